import type { Kysely } from 'kysely';
import type { Schema } from '../store/schema.ts';
import type { Envelope } from './canonical.ts';
import { Frontier, hashLeaf } from './merkle.ts';
import { openNote, parseCheckpointBody, parseVerifierKey, type NoteVerifier } from './signed-note.ts';
import type { VerifyOptions, VerifyReport } from './types.ts';

export interface VerifyLedgerInput extends VerifyOptions {
  readonly db: Kysely<Schema>;
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
  const { db } = input;
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
  const { db, storedNodeMinLevel, onProgress } = input;
  const pageSize = input.pageSize ?? 20_000;
  const frontier = new Frontier();
  const computedNodes: Buffer[][] = [];
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
  let lastSeq = 0;
  for (;;) {
    const rows = await db
      .selectFrom('events')
      .select(['seq', 'event_id', 'source', 'type', 'subject', 'actor', 'time_ms', 'canonical', 'leaf_hash'])
      .where('seq', '>', lastSeq)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) break;
    for (const row of rows) {
      if (row.seq !== frontier.size + 1) throw new Tampered(frontier.size + 1, `sequence number ${frontier.size + 1} is missing (next stored is ${row.seq})`);
      const leaf = hashLeaf(row.canonical);
      if (!leaf.equals(row.leaf_hash)) throw new Tampered(row.seq, 'the stored bytes do not hash to the stored leaf hash');
      checkColumns(row);
      frontier.push(leaf, (ref, hash) => {
        if (ref.level >= storedNodeMinLevel) (computedNodes[ref.level] ??= []).push(hash);
      });
      checkClaims();
    }
    lastSeq = (rows[rows.length - 1] as { seq: number }).seq;
    onProgress?.({ checked: frontier.size, total });
  }
  if (claimAt < claims.length) {
    const claim = claims[claimAt] as CheckpointClaim;
    throw new Tampered(frontier.size + 1, `${claim.where} covers ${claim.size} events but only ${frontier.size} are stored: events after ${frontier.size} were removed`);
  }
  await checkStoredNodes(db, computedNodes, pageSize);
  return frontier;
}

function checkColumns(row: {
  seq: number;
  event_id: string;
  source: string;
  type: string;
  subject: string | null;
  actor: string;
  time_ms: number;
  canonical: Buffer;
}): void {
  const envelope = JSON.parse(row.canonical.toString('utf8')) as Envelope;
  const differs =
    envelope.id !== row.event_id ||
    envelope.source !== row.source ||
    envelope.type !== row.type ||
    (envelope.subject ?? null) !== row.subject ||
    envelope.actor !== row.actor ||
    Date.parse(envelope.time) !== row.time_ms;
  if (differs) throw new Tampered(row.seq, 'the indexed columns disagree with the hashed event');
}

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
