import type { Kysely } from 'kysely';
import type { StoreDialect } from '../store/dialect.ts';
import type { Schema } from '../store/schema.ts';
import { Frontier, hashLeaf, hashLeafAt, type NodeRef } from './merkle.ts';

/** Verification works in aligned ranges of 2^14 leaves: each range is one complete subtree of the log. */
export const defaultRangeLevel = 14;

export interface RangeTask {
  /** sequence numbers first..last; first - 1 is a multiple of 2^rangeLevel */
  readonly first: number;
  readonly last: number;
  /** checkpoint sizes inside this range whose roots the caller will check */
  readonly claimSizes: readonly number[];
  /** the lowest level of stored subtree nodes */
  readonly nodeMinLevel: number;
  /** the range is (at most) one subtree of this level */
  readonly rangeLevel: number;
}

export interface Located {
  readonly seq: number;
  readonly reason: string;
}

export interface RangeSummary {
  /** rows that checked out, counted from `first` */
  readonly count: number;
  /** the first row that does not check out */
  readonly failure?: Located;
  /** the first stored subtree node of this range that does not match its leaves */
  readonly nodeFailure?: Located;
  /** for each claim size reached: the range's own complete subtrees at that size, largest first */
  readonly frontiers: ReadonlyArray<{ readonly size: number; readonly hashes: readonly Uint8Array[] }>;
  /** the range's complete subtrees after its last row (one hash when the range is full) */
  readonly end: readonly Uint8Array[];
}

/**
 * Checks one range (no sequence number missing, stored bytes hash to the stored leaf hash, every
 * indexed column says what the hashed event says), folds it into its subtree, and checks the range's
 * stored subtree nodes. Ranges are independent, so worker threads can check them while another
 * thread composes the whole tree.
 */
export async function checkRange(db: Kysely<Schema>, dialect: StoreDialect, task: RangeTask): Promise<RangeSummary> {
  const offset = task.first - 1;
  const computed = new Map<string, Buffer>();
  const onNode = (ref: NodeRef, hash: Buffer): void => {
    if (ref.level >= task.nodeMinLevel) computed.set(`${ref.level}:${ref.index + offset / 2 ** ref.level}`, hash);
  };
  const walk = (await fastWalk(db, dialect, task, onNode)) ?? (await exactWalk(db, task, onNode));
  const nodeFailure = walk.failure ? undefined : await checkRangeNodes(db, task, computed);
  return {
    count: walk.local.size,
    ...(walk.failure ? { failure: walk.failure } : {}),
    ...(nodeFailure ? { nodeFailure } : {}),
    frontiers: walk.frontiers,
    end: walk.local.hashes(),
  };
}

interface Walk {
  readonly local: Frontier;
  readonly frontiers: Array<{ size: number; hashes: Uint8Array[] }>;
  readonly failure?: Located;
}

/** Folds leaves into the range's subtree, recording its right edge at each claimed size. */
function walker(task: RangeTask, onNode: (ref: NodeRef, hash: Buffer) => void) {
  const local = new Frontier();
  const frontiers: Array<{ size: number; hashes: Uint8Array[] }> = [];
  let claimAt = 0;
  const record = (): void => {
    while (claimAt < task.claimSizes.length && (task.claimSizes[claimAt] as number) <= task.first - 1 + local.size) {
      const size = task.claimSizes[claimAt] as number;
      if (size === task.first - 1 + local.size) frontiers.push({ size, hashes: local.hashes() });
      claimAt += 1;
    }
  };
  record();
  return {
    local,
    frontiers,
    push(leaf: Buffer): void {
      local.push(leaf, onNode);
      record();
    },
  };
}

/**
 * The common case: the whole range in one aggregate row, checked without a row object per event.
 * Returns undefined at the first sign of trouble (or if the database cannot read the range that
 * way), so that `exactWalk` names the exact row.
 */
async function fastWalk(db: Kysely<Schema>, dialect: StoreDialect, task: RangeTask, onNode: (ref: NodeRef, hash: Buffer) => void): Promise<Walk | undefined> {
  let read;
  try {
    read = await dialect.readRange(db, task.first, task.last);
  } catch {
    return undefined;
  }
  const expected = task.last - task.first + 1;
  if (read.count !== expected || read.firstSeq !== task.first || read.lastSeq !== task.last || read.firstBadColumns !== null) return undefined;
  if (read.lengths.length !== expected || read.leaves.length !== expected * 32) return undefined;
  if (read.seqs.length !== expected || read.seqs.some((seq, i) => seq !== task.first + i)) return undefined;
  const walk = walker(task, onNode);
  let at = 0;
  for (let i = 0; i < expected; i += 1) {
    const length = read.lengths[i] as number;
    const leaf = hashLeafAt(read.canonical, at, at + length);
    at += length;
    if (read.leaves.compare(leaf, 0, 32, i * 32, i * 32 + 32) !== 0) return undefined;
    walk.push(leaf);
  }
  return walk;
}

/** Row by row, parsing each event here: slower, and exact about which row is wrong and why. */
async function exactWalk(db: Kysely<Schema>, task: RangeTask, onNode: (ref: NodeRef, hash: Buffer) => void): Promise<Walk> {
  const rows = await db
    .selectFrom('events')
    .select(['seq', 'event_id', 'source', 'type', 'subject', 'actor', 'time_ms', 'canonical', 'leaf_hash'])
    .where('seq', '>=', task.first)
    .where('seq', '<=', task.last)
    .orderBy('seq')
    .execute();
  const walk = walker(task, onNode);
  const fail = (seq: number, reason: string): Walk => ({ local: walk.local, frontiers: walk.frontiers, failure: { seq, reason } });
  for (const row of rows) {
    const expected = task.first + walk.local.size;
    if (row.seq !== expected) return fail(expected, `sequence number ${expected} is missing (next stored is ${row.seq})`);
    const leaf = hashLeaf(row.canonical);
    if (!leaf.equals(row.leaf_hash)) return fail(row.seq, 'the stored bytes do not hash to the stored leaf hash');
    if (!columnsMatchEvent(row)) return fail(row.seq, 'the indexed columns disagree with the hashed event');
    walk.push(leaf);
  }
  const next = task.first + walk.local.size;
  if (next <= task.last) return fail(next, `sequence number ${next} is missing`);
  return walk;
}

function columnsMatchEvent(row: {
  event_id: string;
  source: string;
  type: string;
  subject: string | null;
  actor: string;
  time_ms: number;
  canonical: Buffer;
}): boolean {
  let envelope: Record<string, unknown>;
  try {
    envelope = JSON.parse(row.canonical.toString('utf8')) as Record<string, unknown>;
  } catch {
    return false;
  }
  return (
    envelope.id === row.event_id &&
    envelope.source === row.source &&
    envelope.type === row.type &&
    (envelope.subject ?? null) === row.subject &&
    envelope.actor === row.actor &&
    typeof envelope.time === 'string' &&
    Date.parse(envelope.time) === row.time_ms
  );
}

/** Every stored node of levels nodeMinLevel..task.rangeLevel inside the range must be one the leaves produce, and vice versa. */
async function checkRangeNodes(db: Kysely<Schema>, task: RangeTask, computed: ReadonlyMap<string, Buffer>): Promise<Located | undefined> {
  const offset = task.first - 1;
  const levels: number[] = [];
  for (let level = task.nodeMinLevel; level <= task.rangeLevel; level += 1) levels.push(level);
  if (levels.length === 0) return undefined;
  const stored = await db
    .selectFrom('merkle_nodes')
    .select(['level', 'idx', 'hash'])
    .where((eb) =>
      eb.or(
        levels.map((level) =>
          eb.and([eb('level', '=', level), eb('idx', '>=', offset / 2 ** level), eb('idx', '<', (offset + 2 ** task.rangeLevel) / 2 ** level)]),
        ),
      ),
    )
    .execute();
  return compareNodes(stored, computed);
}

/** The first stored node (by the leaves it covers) that is missing, extra, or different from the computed one. */
export function compareNodes(
  stored: ReadonlyArray<{ level: number; idx: number; hash: Buffer }>,
  computed: ReadonlyMap<string, Buffer>,
): Located | undefined {
  let first: Located | undefined;
  const note = (level: number, idx: number, reason: string): void => {
    const seq = idx * 2 ** level + 1;
    if (!first || seq < first.seq) first = { seq, reason };
  };
  const seen = new Set<string>();
  for (const row of stored) {
    const key = `${row.level}:${row.idx}`;
    seen.add(key);
    const expected = computed.get(key);
    if (!expected) note(row.level, row.idx, `stored subtree ${key} is not part of this log`);
    else if (!expected.equals(row.hash)) note(row.level, row.idx, `stored subtree ${key} does not match its leaves`);
  }
  for (const key of computed.keys()) {
    if (seen.has(key)) continue;
    const [level, idx] = key.split(':').map(Number) as [number, number];
    note(level, idx, `stored subtree ${key} is missing; proofs through it would fail`);
  }
  return first;
}
