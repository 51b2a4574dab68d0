import { sql, type Kysely, type Transaction } from 'kysely';
import type { Clock } from '../lib/clock.ts';
import { SteadyopsError } from '../lib/errors.ts';
import type { Store } from '../store/open-store.ts';
import type { BulkRow } from '../store/dialect.ts';
import type { EventsTable, Schema } from '../store/schema.ts';
import { eventFromCanonical } from './canonical.ts';
import { createEventPreparer } from './event-preparer.ts';
import { createGroupCommit } from './group-commit.ts';
import {
  Frontier,
  nodeKey,
  planConsistency,
  planInclusion,
  refsOf,
  resolvePlans,
  type Hash,
  type NodeRef,
} from './merkle.ts';
import { formatCheckpointBody, formatVerifierKey, type NoteSigner } from './signed-note.ts';
import type {
  AppendOutcome,
  ChangeQuery,
  ConsistencyProof,
  EventToAppend,
  InclusionProof,
  Ledger,
  LedgerEvent,
  SignedCheckpoint,
} from './types.ts';
import { verifyLedger } from './verify-ledger.ts';

/**
 * Subtrees below this level are recomputed from (at most 2^level) leaf hashes when a proof needs
 * them; from this level up they are stored. That keeps the node table at about n/8 rows while a
 * proof still reads O(log n) rows.
 */
export const storedNodeMinLevel = 4;

export interface LedgerOptions {
  readonly store: Store;
  readonly signer: NoteSigner;
  readonly clock: Clock;
  /** sign a checkpoint inside the append that makes the log grow this much past the last one */
  readonly checkpointEvery?: number;
}

/** What a reader needs to rebuild a public event: the hashed bytes are the truth, the rest is the ledger's own. */
const eventReadColumns = ['seq', 'canonical', 'environment', 'ingested_ms', 'leaf_hash'] as const;

/** A state change that must commit or roll back together with the events that record it. */
export type StateChange = (trx: Transaction<Schema>) => Promise<void>;

interface AppendJob {
  readonly events: readonly EventToAppend[];
  readonly change?: StateChange;
}

/** The ledger as services that own state see it: they append their event in the same transaction. */
export interface StoreLedger extends Ledger {
  appendWith(events: readonly EventToAppend[], change: StateChange): Promise<AppendOutcome[]>;
  /** stops the ledger's worker thread; the store is closed by its owner */
  close(): Promise<void>;
}

export async function createLedger(options: LedgerOptions): Promise<StoreLedger> {
  const { store, signer, clock } = options;
  const { db, dialect } = store;
  const checkpointEvery = options.checkpointEvery ?? 1_000;
  const verifierKey = formatVerifierKey(signer.name, signer.publicKey);
  await recordSigningKey(db, signer.name, verifierKey, clock);


  async function appendGroups(jobs: readonly AppendJob[]): Promise<AppendOutcome[][]> {
    const now = clock.now();
    const events = jobs.flatMap((job) => job.events);
    // canonical bytes and leaf hashes do not depend on the sequence number: prepare them (on a
    // worker thread for large appends) while this thread takes the lock and inserts
    const chunks = preparer.prepare(events, now);
    return db.transaction().execute(async (trx) => {
      const head = await dialect.lockLedger(trx);
      const frontier = Frontier.decode(head.size, head.frontier);
      const existing = await findExisting(trx, events);
      const nodes: Array<{ level: number; idx: number; hash: Buffer }> = [];
      const activity = new Map<string, ActivityRow>();
      const onNode = (ref: NodeRef, hash: Hash): void => {
        if (ref.level >= storedNodeMinLevel) nodes.push({ level: ref.level, idx: ref.index, hash });
      };
      const outcomes: AppendOutcome[] = [];
      let at = 0;
      for (const chunk of chunks) {
        const prepared = await chunk;
        const rows: EventsTable[] = [];
        for (const item of prepared) {
          const { event, actor } = events[at] as EventToAppend;
          at += 1;
          const key = `${event.source}\u0000${event.id}`;
          const seen = existing.get(key);
          if (seen !== undefined) {
            outcomes.push({ id: event.id, source: event.source, seq: seen, duplicate: true });
            continue;
          }
          const seq = frontier.size + 1;
          frontier.push(item.leaf, onNode);
          rows.push({
            seq,
            event_id: event.id,
            source: event.source,
            type: event.type,
            subject: event.subject ?? null,
            environment: item.environment,
            actor,
            time_ms: item.timeMs,
            ingested_ms: now.getTime(),
            canonical: item.canonical,
            leaf_hash: item.leaf,
          });
          if (event.subject !== undefined) trackActivity(activity, event.subject, event.type, seq, item.timeMs);
          existing.set(key, seq);
          outcomes.push({ id: event.id, source: event.source, seq, duplicate: false });
        }
        await dialect.bulkInsert(trx, 'events', rows as unknown as BulkRow[]);
      }
      for (const job of jobs) await job.change?.(trx);
      if (frontier.size > head.size) {
        await dialect.bulkInsert(trx, 'merkle_nodes', nodes);
        await upsertActivity(trx, [...activity.values()]);
        const checkpointDue = frontier.size - head.checkpoint_size >= checkpointEvery;
        if (checkpointDue) await insertCheckpoint(trx, frontier.size, frontier.root(), now);
        await trx
          .updateTable('ledger_state')
          .set({
            size: frontier.size,
            frontier: frontier.encode(),
            updated_ms: now.getTime(),
            ...(checkpointDue ? { checkpoint_size: frontier.size } : {}),
          })
          .where('id', '=', 1)
          .execute();
      }
      let from = 0;
      return jobs.map((job) => outcomes.slice(from, (from += job.events.length)));
    });
  }

  async function findExisting(trx: Transaction<Schema>, events: readonly EventToAppend[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    const ids = [...new Set(events.map(({ event }) => event.id))];
    for (let at = 0; at < ids.length; at += 5_000) {
      const rows = await trx
        .selectFrom('events')
        .select(['seq', 'source', 'event_id'])
        .where('event_id', 'in', ids.slice(at, at + 5_000))
        .execute();
      for (const row of rows) found.set(`${row.source}\u0000${row.event_id}`, row.seq);
    }
    return found;
  }

  async function upsertActivity(trx: Transaction<Schema>, rows: readonly ActivityRow[]): Promise<void> {
    for (let at = 0; at < rows.length; at += 2_000) {
      await trx
        .insertInto('subject_activity')
        .values(rows.slice(at, at + 2_000).map(({ count, ...row }) => ({ ...row, event_count: count })))
        .onConflict((oc) =>
          oc.columns(['subject', 'type']).doUpdateSet((eb) => ({
            last_seq: eb.ref('excluded.last_seq'),
            last_time_ms: sql<number>`case when excluded.last_time_ms > subject_activity.last_time_ms then excluded.last_time_ms else subject_activity.last_time_ms end`,
            event_count: sql<number>`subject_activity.event_count + excluded.event_count`,
          })),
        )
        .execute();
    }
  }

  async function insertCheckpoint(trx: Kysely<Schema>, size: number, root: Hash, now: Date): Promise<SignedCheckpoint> {
    const note = signer.sign(formatCheckpointBody({ origin: signer.name, size, rootHash: root }));
    const row = { size, root_hash: root, note, created_ms: now.getTime() };
    await trx.insertInto('checkpoints').values(row).execute();
    return checkpointFromRow(row, signer.name);
  }

  async function subtreeHashes(refs: readonly NodeRef[]): Promise<Map<string, Hash>> {
    const hashes = new Map<string, Hash>();
    const stored = refs.filter((ref) => ref.level >= storedNodeMinLevel);
    const computed = refs.filter((ref) => ref.level < storedNodeMinLevel);
    if (stored.length > 0) {
      const rows = await db
        .selectFrom('merkle_nodes')
        .select(['level', 'idx', 'hash'])
        .where((eb) => eb.or(stored.map((ref) => eb.and([eb('level', '=', ref.level), eb('idx', '=', ref.index)]))))
        .execute();
      for (const row of rows) hashes.set(nodeKey({ level: row.level, index: row.idx }), row.hash);
    }
    if (computed.length > 0) {
      const ranges = computed.map((ref) => [ref.index * 2 ** ref.level + 1, (ref.index + 1) * 2 ** ref.level] as const);
      const rows = await db
        .selectFrom('events')
        .select(['seq', 'leaf_hash'])
        .where((eb) => eb.or(ranges.map(([first, last]) => eb.between('seq', first, last))))
        .orderBy('seq')
        .execute();
      const leaves = new Map(rows.map((row) => [row.seq, row.leaf_hash]));
      for (const ref of computed) {
        const frontier = new Frontier();
        for (let seq = ref.index * 2 ** ref.level + 1; seq <= (ref.index + 1) * 2 ** ref.level; seq += 1) {
          const leaf = leaves.get(seq);
          if (!leaf) throw new SteadyopsError('SO_E_LEDGER_TAMPERED', { seq, detail: 'a leaf needed for the proof is missing' });
          frontier.push(leaf);
        }
        hashes.set(nodeKey(ref), frontier.root());
      }
    }
    return hashes;
  }

  async function requireCheckpoint(size: number): Promise<SignedCheckpoint> {
    const row = await db.selectFrom('checkpoints').selectAll().where('size', '=', size).executeTakeFirst();
    if (!row) throw new SteadyopsError('SO_E_CHECKPOINT_MISSING', { size });
    return checkpointFromRow(row, signer.name);
  }

  const preparer = createEventPreparer(dialect.prepareOffThread ? {} : { minEventsForWorker: Number.POSITIVE_INFINITY });
  const commits = createGroupCommit<AppendJob, AppendOutcome[]>(appendGroups, (job) => job.events.length);

  const ledger: StoreLedger = {
    append: (events) => (events.length === 0 ? Promise.resolve([]) : commits.submit({ events })),

    appendWith: (events, change) => commits.submit({ events, change }),

    async query(query: ChangeQuery): Promise<LedgerEvent[]> {
      let select = db.selectFrom('events').select(eventReadColumns);
      if (query.since) select = select.where('time_ms', '>=', query.since.getTime());
      if (query.until) select = select.where('time_ms', '<=', query.until.getTime());
      if (query.subjects && query.subjects.length > 0) select = select.where('subject', 'in', [...query.subjects]);
      if (query.unowned) select = select.where('subject', 'is', null);
      if (query.environment) select = select.where('environment', '=', query.environment);
      if (query.actor) select = select.where('actor', '=', query.actor);
      if (query.beforeSeq !== undefined) {
        // the page ends at the event `beforeSeq` in (time, seq) order, the order rows are returned in:
        // imported history's times are not in seq order, so seq alone would skip or repeat events
        const cursor = await db.selectFrom('events').select(['time_ms']).where('seq', '=', query.beforeSeq).executeTakeFirst();
        const beforeSeq = query.beforeSeq;
        select = cursor
          ? select.where((eb) => eb.or([eb('time_ms', '<', cursor.time_ms), eb.and([eb('time_ms', '=', cursor.time_ms), eb('seq', '<', beforeSeq)])]))
          : select.where('seq', '<', beforeSeq);
      }
      if (query.types && query.types.length > 0) {
        const types = query.types;
        select = select.where((eb) =>
          eb.or(
            types.map((type) =>
              type.endsWith('*')
                ? eb.and([eb('type', '>=', type.slice(0, -1)), eb('type', '<', `${type.slice(0, -1)}\uffff`)])
                : eb('type', '=', type),
            ),
          ),
        );
      }
      const rows = await select
        .orderBy('time_ms', 'desc')
        .orderBy('seq', 'desc')
        .limit(query.limit ?? 100)
        .execute();
      return rows.map(toEvent);
    },

    async findById(id) {
      const rows = await db
        .selectFrom('events')
        .select(eventReadColumns)
        .where('event_id', '=', id)
        .orderBy('seq')
        .execute();
      return rows.map(toEvent);
    },

    async getBySeq(seq) {
      const row = await db
        .selectFrom('events')
        .select(eventReadColumns)
        .where('seq', '=', seq)
        .executeTakeFirst();
      return row ? toEvent(row) : undefined;
    },

    async readAfter(afterSeq, limit) {
      const rows = await db
        .selectFrom('events')
        .select(eventReadColumns)
        .where('seq', '>', afterSeq)
        .orderBy('seq')
        .limit(limit)
        .execute();
      return rows.map(toEvent);
    },

    async size() {
      const row = await db.selectFrom('ledger_state').select('size').where('id', '=', 1).executeTakeFirstOrThrow();
      return row.size;
    },

    async cutCheckpoint() {
      return db.transaction().execute(async (trx) => {
        const head = await dialect.lockLedger(trx);
        if (head.checkpoint_size === head.size && (head.size > 0 || (await hasCheckpoint(trx, 0)))) return undefined;
        const checkpoint = await insertCheckpoint(trx, head.size, Frontier.decode(head.size, head.frontier).root(), clock.now());
        await trx.updateTable('ledger_state').set({ checkpoint_size: head.size }).where('id', '=', 1).execute();
        return checkpoint;
      });
    },

    async latestCheckpoint() {
      const row = await db.selectFrom('checkpoints').selectAll().orderBy('size', 'desc').limit(1).executeTakeFirst();
      return row ? checkpointFromRow(row, signer.name) : undefined;
    },

    async checkpointAt(size) {
      const row = await db.selectFrom('checkpoints').selectAll().where('size', '=', size).executeTakeFirst();
      return row ? checkpointFromRow(row, signer.name) : undefined;
    },

    async inclusionProof(seq, treeSize): Promise<InclusionProof> {
      const checkpoint = treeSize === undefined ? await ledger.latestCheckpoint() : await requireCheckpoint(treeSize);
      if (!checkpoint || checkpoint.size < seq) throw new SteadyopsError('SO_E_CHECKPOINT_MISSING', { size: seq });
      const leafRow = await db.selectFrom('events').select(['leaf_hash', 'canonical']).where('seq', '=', seq).executeTakeFirst();
      if (!leafRow) throw new SteadyopsError('SO_E_NOT_FOUND', { what: 'event with sequence number', id: seq });
      const plans = planInclusion(seq - 1, checkpoint.size);
      const hashes = resolvePlans(plans, await subtreeHashes(refsOf(plans)));
      return {
        seq,
        leafIndex: seq - 1,
        treeSize: checkpoint.size,
        leafHash: leafRow.leaf_hash.toString('base64'),
        canonical: leafRow.canonical.toString('base64'),
        hashes: hashes.map((hash) => hash.toString('base64')),
        checkpoint: checkpoint.note,
      };
    },

    async consistencyProof(oldSize, newSize): Promise<ConsistencyProof> {
      if (oldSize > newSize) {
        throw new SteadyopsError('SO_E_USAGE', { detail: `the old size ${oldSize} is larger than the new size ${newSize}` });
      }
      const [oldCheckpoint, newCheckpoint] = await Promise.all([requireCheckpoint(oldSize), requireCheckpoint(newSize)]);
      const plans = planConsistency(oldSize, newSize);
      const hashes = resolvePlans(plans, await subtreeHashes(refsOf(plans)));
      return {
        oldSize,
        newSize,
        hashes: hashes.map((hash) => hash.toString('base64')),
        oldCheckpoint: oldCheckpoint.note,
        newCheckpoint: newCheckpoint.note,
      };
    },

    verify: (verifyOptions) => verifyLedger({ store, verifier: signer, storedNodeMinLevel, ...verifyOptions }),

    async verifierKey() {
      return verifierKey;
    },

    close: () => preparer.close(),
  };
  return ledger;
}

function trackActivity(
  activity: Map<string, ActivityRow>,
  subject: string,
  type: string,
  seq: number,
  timeMs: number,
): void {
  const key = `${subject}\u0000${type}`;
  const current = activity.get(key);
  if (current) {
    current.last_seq = seq;
    current.last_time_ms = Math.max(current.last_time_ms, timeMs);
    current.count += 1;
  } else {
    activity.set(key, { subject, type, last_seq: seq, last_time_ms: timeMs, count: 1 });
  }
}

async function hasCheckpoint(db: Kysely<Schema>, size: number): Promise<boolean> {
  return (await db.selectFrom('checkpoints').select('size').where('size', '=', size).executeTakeFirst()) !== undefined;
}

interface ActivityRow {
  subject: string;
  type: string;
  last_seq: number;
  last_time_ms: number;
  count: number;
}

async function recordSigningKey(db: Kysely<Schema>, name: string, verifierKey: string, clock: Clock): Promise<void> {
  const recorded = await db.selectFrom('signing_keys').select(['verifier_key']).orderBy('created_ms').limit(1).executeTakeFirst();
  if (recorded && recorded.verifier_key !== verifierKey) {
    throw new SteadyopsError('SO_E_SIGNING_KEY_MISMATCH', { keyFile: name, verifierKey, recorded: recorded.verifier_key });
  }
  if (!recorded) {
    await db
      .insertInto('signing_keys')
      .values({ name, verifier_key: verifierKey, created_ms: clock.now().getTime() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
  }
}

function checkpointFromRow(row: { size: number; root_hash: Buffer; note: string; created_ms: number }, origin: string): SignedCheckpoint {
  return {
    origin,
    size: row.size,
    rootHash: row.root_hash.toString('base64'),
    note: row.note,
    createdAt: new Date(row.created_ms).toISOString(),
  };
}

function toEvent(row: { seq: number; canonical: Buffer; environment: string | null; ingested_ms: number; leaf_hash: Buffer }): LedgerEvent {
  return eventFromCanonical(row.canonical, {
    seq: row.seq,
    environment: row.environment,
    ingestedMs: row.ingested_ms,
    leafHash: row.leaf_hash,
  });
}
