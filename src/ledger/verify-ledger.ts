import type { Kysely } from 'kysely';
import { availableParallelism } from 'node:os';
import type { Store } from '../store/open-store.ts';
import { checkLeaves, type CheckedLeaves, type LeafRange } from './check-leaves.ts';
import { startLeafCheckers } from './leaf-checkers.ts';
import type { Schema } from '../store/schema.ts';
import { Frontier, type NodeRef } from './merkle.ts';
import { openNote, parseCheckpointBody, parseVerifierKey, type NoteVerifier } from './signed-note.ts';
import type { VerifyOptions, VerifyReport } from './types.ts';

export interface VerifyLedgerInput extends VerifyOptions {
  readonly store: Store;
  readonly verifier: NoteVerifier;
  readonly storedNodeMinLevel: number;
  readonly pageSize?: number;
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
    if (computed.size !== total || !computed.encode().equals(state.frontier)) {
      throw new Tampered(Math.min(computed.size, total) + 1, `the ledger head says ${total} events but ${computed.size} are stored`);
    }
    return { ok: true, size: total, checkpoints: checkpointCount, rootHash: computed.root().toString('base64') };
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

async function recomputeTree(input: VerifyLedgerInput, total: number, claims: readonly CheckpointClaim[]): Promise<Frontier> {
  const { storedNodeMinLevel, onProgress } = input;
  const { db } = input.store;
  const pageSize = input.pageSize ?? 20_000;
  const frontier = new Frontier();
  const computedNodes: Buffer[][] = [];
  const onNode = (ref: NodeRef, hash: Buffer): void => {
    if (ref.level >= storedNodeMinLevel) (computedNodes[ref.level] ??= []).push(hash);
  };
  let claimAt = 0;
  let lastGoodSize = 0;
  const checkClaims = (): void => {
    while (claimAt < claims.length && (claims[claimAt] as CheckpointClaim).size <= frontier.size) {
      const claim = claims[claimAt] as CheckpointClaim;
      if (claim.size === frontier.size) {
        if (!frontier.root().equals(claim.root)) {
          throw new Tampered(
            lastGoodSize + 1,
            `events ${lastGoodSize + 1}..${claim.size} do not hash to the root signed in ${claim.where} (the events up to ${lastGoodSize} match their checkpoint)`,
          );
        }
        lastGoodSize = claim.size;
      }
      claimAt += 1;
    }
  };
  checkClaims();
  for await (const checked of checkedRanges(input, total)) {
    for (let at = 0; at < checked.count; at += 1) {
      frontier.push(checked.leaves.subarray(at * 32, at * 32 + 32), onNode);
      checkClaims();
    }
    if (checked.failure) throw new Tampered(checked.failure.seq, checked.failure.reason);
    onProgress?.({ checked: frontier.size, total });
  }
  if (claimAt < claims.length) {
    const claim = claims[claimAt] as CheckpointClaim;
    throw new Tampered(frontier.size + 1, `${claim.where} covers ${claim.size} events but only ${frontier.size} are stored: events after ${frontier.size} were removed`);
  }
  await checkStoredNodes(db, computedNodes, pageSize);
  return frontier;
}

/** Logs at least this large are also checked by worker threads, one database connection each. */
const parallelMinEvents = 40_000;

interface RangeJob {
  readonly result: Promise<CheckedLeaves>;
  settled: boolean;
}

/**
 * The checked ranges of the log, in order. Ranges are independent: on a large log, worker threads
 * (one per spare core) check ranges ahead, and while the range this thread needs next is still with
 * a worker, this thread checks a later one itself instead of waiting.
 */
async function* checkedRanges(input: VerifyLedgerInput, total: number): AsyncGenerator<CheckedLeaves> {
  const pageSize = input.pageSize ?? 20_000;
  const ranges: LeafRange[] = [];
  for (let first = 1; first <= total; first += pageSize) ranges.push({ first, last: Math.min(total, first + pageSize - 1) });
  const threads = input.threads ?? Math.min(4, availableParallelism());
  const parallel = threads > 1 && (input.threads !== undefined || total >= parallelMinEvents) && !input.store.url.includes(':memory:');
  const checkers = parallel ? startLeafCheckers({ url: input.store.url, cwd: process.cwd() }, threads - 1) : undefined;
  const jobs: Array<RangeJob | undefined> = [];
  const track = (result: Promise<CheckedLeaves>): RangeJob => {
    const job: RangeJob = { result, settled: false };
    result.then(
      () => (job.settled = true),
      () => (job.settled = true),
    );
    return job;
  };
  const checkHere = async (index: number): Promise<RangeJob> => ({
    result: Promise.resolve(await checkLeaves(input.store.db, input.store.dialect, ranges[index] as LeafRange)),
    settled: true,
  });
  const unassigned = (from: number): number => {
    for (let index = from; index < ranges.length; index += 1) if (!jobs[index]) return index;
    return -1;
  };
  try {
    for (let at = 0; at < ranges.length; at += 1) {
      for (;;) {
        if (checkers) {
          // let worker messages in (readiness, results), then hand out what the workers have room for
          await new Promise((resolve) => setImmediate(resolve));
          for (let index = unassigned(at), handed; index >= 0 && (handed = checkers.tryCheck(ranges[index] as LeafRange)); index = unassigned(index + 1)) {
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
      const checked = await (jobs[at] as RangeJob).result;
      jobs[at] = consumed;
      yield checked;
    }
  } finally {
    await checkers?.close();
  }
}

const consumed: RangeJob = { result: Promise.resolve({ leaves: Buffer.alloc(0), count: 0 }), settled: true };

async function checkStoredNodes(db: Kysely<Schema>, computed: readonly Buffer[][], pageSize: number): Promise<void> {
  let after = { level: -1, idx: -1 };
  let seen = 0;
  for (;;) {
    const rows = await db
      .selectFrom('merkle_nodes')
      .select(['level', 'idx', 'hash'])
      .where((eb) => eb.or([eb('level', '>', after.level), eb.and([eb('level', '=', after.level), eb('idx', '>', after.idx)])]))
      .orderBy('level')
      .orderBy('idx')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      const expected = computed[row.level]?.[row.idx];
      if (!expected || !expected.equals(row.hash)) {
        throw new Tampered(row.idx * 2 ** row.level + 1, `stored subtree ${row.level}:${row.idx} does not match its leaves`);
      }
      seen += 1;
    }
    const last = rows[rows.length - 1] as { level: number; idx: number };
    after = { level: last.level, idx: last.idx };
  }
  const expectedCount = computed.reduce((sum, level) => sum + (level?.length ?? 0), 0);
  if (seen !== expectedCount) {
    throw new Tampered(1, `${expectedCount - seen} stored subtree hashes are missing; proofs would fail`);
  }
}
