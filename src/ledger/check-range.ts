import type { Kysely } from 'kysely';
import type { StoreDialect } from '../store/dialect.ts';
import type { Schema } from '../store/schema.ts';
import { Frontier, hashLeaf, type NodeRef } from './merkle.ts';

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
 * Checks one range row by row (no sequence number missing, stored bytes hash to the stored leaf
 * hash, every indexed column says what the hashed event says: the database compares them in its own
 * JSON code), folds it into its subtree, and checks the range's stored subtree nodes. Ranges are
 * independent, so worker threads can check them while another thread composes the whole tree.
 */
export async function checkRange(db: Kysely<Schema>, dialect: StoreDialect, task: RangeTask): Promise<RangeSummary> {
  const { jsonAttribute } = dialect;
  const rows = await db
    .selectFrom('events')
    .select((eb) => [
      'seq',
      'canonical',
      'leaf_hash',
      'time_ms',
      jsonAttribute('canonical', 'time').as('hashed_time'),
      eb
        .and([
          eb(jsonAttribute('canonical', 'id'), '=', eb.ref('event_id')),
          eb(jsonAttribute('canonical', 'source'), '=', eb.ref('source')),
          eb(jsonAttribute('canonical', 'type'), '=', eb.ref('type')),
          eb(jsonAttribute('canonical', 'actor'), '=', eb.ref('actor')),
          eb(jsonAttribute('canonical', 'subject'), 'is not distinct from', eb.ref('subject')),
        ])
        .as('columns_match'),
    ])
    .where('seq', '>=', task.first)
    .where('seq', '<=', task.last)
    .orderBy('seq')
    .execute();
  const offset = task.first - 1;
  const local = new Frontier();
  const computed = new Map<string, Buffer>();
  const onNode = (ref: NodeRef, hash: Buffer): void => {
    if (ref.level >= task.nodeMinLevel) computed.set(`${ref.level}:${ref.index + offset / 2 ** ref.level}`, hash);
  };
  const frontiers: Array<{ size: number; hashes: Uint8Array[] }> = [];
  let claimAt = 0;
  const recordClaims = (): void => {
    while (claimAt < task.claimSizes.length && (task.claimSizes[claimAt] as number) <= offset + local.size) {
      const size = task.claimSizes[claimAt] as number;
      if (size === offset + local.size) frontiers.push({ size, hashes: local.hashes() });
      claimAt += 1;
    }
  };
  recordClaims();
  let failure: Located | undefined;
  for (const row of rows) {
    const expected = offset + local.size + 1;
    if (row.seq !== expected) {
      failure = { seq: expected, reason: `sequence number ${expected} is missing (next stored is ${row.seq})` };
      break;
    }
    const leaf = hashLeaf(row.canonical);
    if (!leaf.equals(row.leaf_hash)) {
      failure = { seq: row.seq, reason: 'the stored bytes do not hash to the stored leaf hash' };
      break;
    }
    if (!row.columns_match || row.hashed_time === null || Date.parse(row.hashed_time) !== row.time_ms) {
      failure = { seq: row.seq, reason: 'the indexed columns disagree with the hashed event' };
      break;
    }
    local.push(leaf, onNode);
    recordClaims();
  }
  if (!failure && offset + local.size < task.last) {
    failure = { seq: offset + local.size + 1, reason: `sequence number ${offset + local.size + 1} is missing` };
  }
  const nodeFailure = failure ? undefined : await checkRangeNodes(db, task, computed);
  return {
    count: local.size,
    ...(failure ? { failure } : {}),
    ...(nodeFailure ? { nodeFailure } : {}),
    frontiers,
    end: local.hashes(),
  };
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
