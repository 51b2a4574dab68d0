import type { Kysely } from 'kysely';
import { availableParallelism } from 'node:os';
import type { Store } from '../store/open-store.ts';
import { checkRange, compareNodes, defaultRangeLevel, type Located, type RangeSummary, type RangeTask } from './check-range.ts';
import { startRangeCheckers } from './range-checkers.ts';
import type { Schema } from '../store/schema.ts';
import { Frontier, foldRange, type Hash } from './merkle.ts';
import { openNote, parseCheckpointBody, parseVerifierKey, type NoteVerifier } from './signed-note.ts';
import type { VerifyOptions, VerifyReport } from './types.ts';

export interface VerifyLedgerInput extends VerifyOptions {
  readonly store: Store;
  readonly verifier: NoteVerifier;
  readonly storedNodeMinLevel: number;
  /** ranges checked independently are subtrees of this level (default 14: 16,384 events) */
  readonly rangeLevel?: number;
}

interface CheckpointClaim {
  readonly size: number;
  readonly root: Buffer;
  readonly where: string;
}

class Tampered extends Error {
  constructor(
    readonly seq: number,
    reason: string,
  ) {
    super(reason);
  }
}

/**
 * Recomputes the whole tree from the stored leaves, hashing the stored canonical bytes (never
 * re-serialising), and checks: sequence numbers are gap-free, each leaf hash and each row's indexed
 * columns match its bytes, every stored subtree node, the stored frontier, and every signed
 * checkpoint (a checkpoint larger than the log means rows were cut off).
 */
export async function verifyLedger(input: VerifyLedgerInput): Promise<VerifyReport> {
  const { db } = input.store;
  const verifier = input.verifierKey ? parseVerifierKey(input.verifierKey) : input.verifier;
  const state = await db.selectFrom('ledger_state').select(['size', 'frontier']).where('id', '=', 1).executeTakeFirstOrThrow();
  const total = state.size;
  let checkpointCount = 0;
  try {
    const claims = await checkpointClaims(db, verifier, input.extraCheckpoints ?? []);
    checkpointCount = claims.length;
    const computed = await recomputeTree(input, total, claims);
    if (!Buffer.concat(computed).equals(state.frontier)) {
      throw new Tampered(total + 1, `the ledger head's right edge does not match the ${total} stored events`);
    }
    return { ok: true, size: total, checkpoints: checkpointCount, rootHash: foldRange(computed).toString('base64') };
  } catch (error) {
    if (error instanceof Tampered) {
      return { ok: false, size: total, checkpoints: checkpointCount, firstBadSeq: error.seq, reason: error.message };
    }
    throw error;
  }
}

async function checkpointClaims(db: Kysely<Schema>, verifier: NoteVerifier, extra: readonly string[]): Promise<CheckpointClaim[]> {
  const rows = await db.selectFrom('checkpoints').select(['size', 'root_hash', 'note']).orderBy('size').execute();
  const claims: CheckpointClaim[] = [];
  const notes = [
    ...rows.map((row) => ({ note: row.note, where: `stored checkpoint ${row.size}`, row })),
    ...extra.map((note, i) => ({ note, where: `given checkpoint ${i + 1}`, row: undefined })),
  ];
  for (const { note, where, row } of notes) {
    let body;
    try {
      body = parseCheckpointBody(openNote(note, verifier).text);
    } catch (error) {
      throw new Tampered(row ? row.size : 1, `${where} does not verify: ${(error as Error).message}`);
    }
    if (body.origin !== verifier.name) throw new Tampered(body.size, `${where} is for origin ${body.origin}, not ${verifier.name}`);
    if (row && (body.size !== row.size || !body.rootHash.equals(row.root_hash))) {
      throw new Tampered(row.size, `${where}: its columns differ from its signed note`);
    }
    claims.push({ size: body.size, root: body.rootHash, where });
  }
  return claims.sort((a, b) => a.size - b.size);
}

/**
 * Folds the checked ranges, in order, into the whole tree: every range is a complete subtree of
 * 2^14 leaves (the last one may be partial), so the tree's right edge at any size is the range roots
 * so far plus the current range's own right edge. Returns the right edge after the last event.
 */
async function recomputeTree(input: VerifyLedgerInput, total: number, claims: readonly CheckpointClaim[]): Promise<Hash[]> {
  const { storedNodeMinLevel, onProgress } = input;
  const { db } = input.store;
  const rangeLevel = input.rangeLevel ?? defaultRangeLevel;
  const upper = new Frontier();
  const upperNodes = new Map<string, Buffer>();
  let claimAt = 0;
  let lastGoodSize = 0;
  const checkClaim = (claim: CheckpointClaim, edge: readonly Hash[]): void => {
    if (!foldRange(edge).equals(claim.root)) {
      throw new Tampered(
        lastGoodSize + 1,
        `events ${lastGoodSize + 1}..${claim.size} do not hash to the root signed in ${claim.where} (the events up to ${lastGoodSize} match their checkpoint)`,
      );
    }
    lastGoodSize = claim.size;
  };
  while (claimAt < claims.length && (claims[claimAt] as CheckpointClaim).size === 0) checkClaim(claims[claimAt++] as CheckpointClaim, []);
  let nodeFailure: Located | undefined;
  let edge: Hash[] = [];
  for await (const { task, summary } of checkedRanges(input, total, claims)) {
    const before = upper.hashes();
    for (const { size, hashes } of summary.frontiers) {
      while (claimAt < claims.length && (claims[claimAt] as CheckpointClaim).size < size) claimAt += 1;
      while (claimAt < claims.length && (claims[claimAt] as CheckpointClaim).size === size) {
        checkClaim(claims[claimAt++] as CheckpointClaim, [...before, ...hashes.map((hash) => Buffer.from(hash))]);
      }
    }
    if (summary.failure) throw new Tampered(summary.failure.seq, summary.failure.reason);
    if (summary.nodeFailure && (!nodeFailure || summary.nodeFailure.seq < nodeFailure.seq)) nodeFailure = summary.nodeFailure;
    const end = summary.end.map((hash) => Buffer.from(hash));
    if (task.last - task.first + 1 === 2 ** rangeLevel) {
      upper.push(end[0] as Hash, (ref, hash) => {
        if (ref.level + rangeLevel >= storedNodeMinLevel) upperNodes.set(`${ref.level + rangeLevel}:${ref.index}`, hash);
      });
      edge = upper.hashes();
    } else {
      edge = [...before, ...end];
    }
    onProgress?.({ checked: task.last, total });
  }
  if (claimAt < claims.length) {
    const claim = claims[claimAt] as CheckpointClaim;
    throw new Tampered(total + 1, `${claim.where} covers ${claim.size} events but only ${total} are stored: events after ${total} were removed`);
  }
  const upperFailure = await checkUpperNodes(db, upperNodes, total, storedNodeMinLevel, rangeLevel);
  const failure = [nodeFailure, upperFailure].filter((located): located is Located => located !== undefined).sort((a, b) => a.seq - b.seq)[0];
  if (failure) throw new Tampered(failure.seq, failure.reason);
  return edge;
}

/** Nodes above a range's level are checked here; the total count catches nodes beyond the log. */
async function checkUpperNodes(
  db: Kysely<Schema>,
  computed: ReadonlyMap<string, Buffer>,
  total: number,
  nodeMinLevel: number,
  rangeLevel: number,
): Promise<Located | undefined> {
  const stored = await db.selectFrom('merkle_nodes').select(['level', 'idx', 'hash']).where('level', '>', rangeLevel).execute();
  const mismatch = compareNodes(stored, computed);
  if (mismatch) return mismatch;
  let expectedCount = 0;
  for (let level = nodeMinLevel; 2 ** level <= total; level += 1) expectedCount += Math.floor(total / 2 ** level);
  const row = await db.selectFrom('merkle_nodes').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  if (Number(row.count) !== expectedCount) {
    return { seq: total + 1, reason: `there are ${Number(row.count)} stored subtree hashes where a log of ${total} events has ${expectedCount}` };
  }
  return undefined;
}

/** Logs at least this large are also checked by worker threads, one database connection each. */
const parallelMinEvents = 40_000;

interface RangeJob {
  readonly result: Promise<RangeSummary>;
  settled: boolean;
}

/**
 * The checked ranges of the log, in order. Ranges are independent: on a large log, worker threads
 * (one per spare core) check ranges ahead, and while the range this thread needs next is still with
 * a worker, this thread checks a later one itself instead of waiting.
 */
async function* checkedRanges(
  input: VerifyLedgerInput,
  total: number,
  claims: readonly CheckpointClaim[],
): AsyncGenerator<{ task: RangeTask; summary: RangeSummary }> {
  const rangeLevel = input.rangeLevel ?? defaultRangeLevel;
  const tasks: RangeTask[] = [];
  for (let first = 1; first <= total; first += 2 ** rangeLevel) {
    const last = Math.min(total, first + 2 ** rangeLevel - 1);
    const claimSizes = claims.map((claim) => claim.size).filter((size) => size >= first && size <= last);
    tasks.push({ first, last, claimSizes, nodeMinLevel: input.storedNodeMinLevel, rangeLevel });
  }
  const threads = input.threads ?? Math.min(4, availableParallelism());
  const parallel = threads > 1 && (input.threads !== undefined || total >= parallelMinEvents) && !input.store.url.includes(':memory:');
  const checkers = parallel ? startRangeCheckers({ url: input.store.url, cwd: process.cwd() }, threads - 1) : undefined;
  const jobs: Array<RangeJob | undefined> = [];
  const track = (result: Promise<RangeSummary>): RangeJob => {
    const job: RangeJob = { result, settled: false };
    result.then(
      () => (job.settled = true),
      () => (job.settled = true),
    );
    return job;
  };
  const checkHere = async (index: number): Promise<RangeJob> => ({
    result: Promise.resolve(await checkRange(input.store.db, input.store.dialect, tasks[index] as RangeTask)),
    settled: true,
  });
  const unassigned = (from: number): number => {
    for (let index = from; index < tasks.length; index += 1) if (!jobs[index]) return index;
    return -1;
  };
  try {
    for (let at = 0; at < tasks.length; at += 1) {
      for (;;) {
        if (checkers) {
          // let worker messages in (readiness, results), then hand out what the workers have room for
          await new Promise((resolve) => setImmediate(resolve));
          for (let index = unassigned(at), handed; index >= 0 && (handed = checkers.tryCheck(tasks[index] as RangeTask)); index = unassigned(index + 1)) {
            jobs[index] = track(handed);
          }
        }
        const job = jobs[at];
        if (!job) {
          jobs[at] = await checkHere(at);
          break;
        }
        const later = job.settled ? -1 : unassigned(at + 1);
        if (later < 0) break;
        jobs[later] = await checkHere(later);
      }
      const summary = await (jobs[at] as RangeJob).result;
      jobs[at] = consumed;
      yield { task: tasks[at] as RangeTask, summary };
    }
  } finally {
    await checkers?.close();
  }
}

const consumed: RangeJob = { result: Promise.resolve({ count: 0, frontiers: [], end: [] }), settled: true };
