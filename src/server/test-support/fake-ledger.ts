// Test-only: an in-memory Ledger with the contract's semantics, recording every call it receives.
import { createHash } from 'node:crypto';
import type {
  AppendOutcome,
  ChangeQuery,
  ConsistencyProof,
  EventToAppend,
  InclusionProof,
  Ledger,
  LedgerEvent,
  SignedCheckpoint,
  VerifyReport,
} from '../../ledger/types.ts';
import type { Clock } from '../../lib/clock.ts';
import { SteadyopsError } from '../../lib/errors.ts';

export const fakeVerifierKey = 'steadyops.test+0badc0de+AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=';

export class FakeLedger implements Ledger {
  readonly events: LedgerEvent[] = [];
  readonly checkpoints: SignedCheckpoint[] = [];
  readonly appendCalls: EventToAppend[][] = [];
  readonly queries: ChangeQuery[] = [];
  readonly clock: Clock;

  constructor(clock: Clock) {
    this.clock = clock;
  }

  async append(batch: readonly EventToAppend[]): Promise<AppendOutcome[]> {
    this.appendCalls.push([...batch]);
    return batch.map(({ event, actor }) => {
      const existing = this.events.find((stored) => stored.source === event.source && stored.id === event.id);
      if (existing) return { id: event.id, source: event.source, seq: existing.seq, duplicate: true };
      const now = this.clock.now().toISOString();
      const stored: LedgerEvent = {
        ...event,
        seq: this.events.length + 1,
        time: event.time ?? now,
        actor,
        ingested_at: now,
        leaf_hash: createHash('sha256').update(JSON.stringify(event)).digest('base64'),
      };
      this.events.push(stored);
      return { id: event.id, source: event.source, seq: stored.seq, duplicate: false };
    });
  }

  async query(query: ChangeQuery): Promise<LedgerEvent[]> {
    this.queries.push(query);
    return this.events
      .filter((event) => matches(event, query))
      .sort((a, b) => b.seq - a.seq)
      .slice(0, query.limit ?? 100);
  }

  async findById(id: string): Promise<LedgerEvent[]> {
    return this.events.filter((event) => event.id === id);
  }

  async getBySeq(seq: number): Promise<LedgerEvent | undefined> {
    return this.events.find((event) => event.seq === seq);
  }

  async readAfter(afterSeq: number, limit: number): Promise<LedgerEvent[]> {
    return this.events.filter((event) => event.seq > afterSeq).slice(0, limit);
  }

  async size(): Promise<number> {
    return this.events.length;
  }

  async cutCheckpoint(): Promise<SignedCheckpoint | undefined> {
    const size = this.events.length;
    const latest = this.checkpoints.at(-1);
    if (size === 0 || (latest && latest.size >= size)) return latest;
    const rootHash = createHash('sha256').update(`root-${size}`).digest('base64');
    const checkpoint: SignedCheckpoint = {
      origin: 'steadyops.test/ledger',
      size,
      rootHash,
      note: `steadyops.test/ledger\n${size}\n${rootHash}\n\n\u2014 steadyops.test C0ffeeSignature${size}=\n`,
      createdAt: this.clock.now().toISOString(),
    };
    this.checkpoints.push(checkpoint);
    return checkpoint;
  }

  async latestCheckpoint(): Promise<SignedCheckpoint | undefined> {
    return this.checkpoints.at(-1);
  }

  async checkpointAt(size: number): Promise<SignedCheckpoint | undefined> {
    return this.checkpoints.find((checkpoint) => checkpoint.size === size);
  }

  async inclusionProof(seq: number, treeSize?: number): Promise<InclusionProof> {
    const checkpoint = treeSize === undefined ? this.checkpoints.at(-1) : await this.checkpointAt(treeSize);
    const event = await this.getBySeq(seq);
    if (!event) throw new SteadyopsError('SO_E_NOT_FOUND', { what: 'event with seq', id: seq });
    if (!checkpoint || checkpoint.size < seq) throw new SteadyopsError('SO_E_CHECKPOINT_MISSING', { size: seq });
    return {
      seq,
      leafIndex: seq - 1,
      treeSize: checkpoint.size,
      leafHash: event.leaf_hash,
      canonical: Buffer.from(JSON.stringify(event)).toString('base64'),
      hashes: [createHash('sha256').update(`sibling-${seq}`).digest('base64')],
      checkpoint: checkpoint.note,
    };
  }

  async consistencyProof(oldSize: number, newSize: number): Promise<ConsistencyProof> {
    const oldCheckpoint = await this.checkpointAt(oldSize);
    const newCheckpoint = await this.checkpointAt(newSize);
    if (!oldCheckpoint) throw new SteadyopsError('SO_E_CHECKPOINT_MISSING', { size: oldSize });
    if (!newCheckpoint) throw new SteadyopsError('SO_E_CHECKPOINT_MISSING', { size: newSize });
    return { oldSize, newSize, hashes: [], oldCheckpoint: oldCheckpoint.note, newCheckpoint: newCheckpoint.note };
  }

  async verify(): Promise<VerifyReport> {
    return { ok: true, size: this.events.length, checkpoints: this.checkpoints.length, rootHash: '' };
  }

  async verifierKey(): Promise<string> {
    return fakeVerifierKey;
  }
}

function matches(event: LedgerEvent, query: ChangeQuery): boolean {
  const time = new Date(event.time).getTime();
  if (query.since && time < query.since.getTime()) return false;
  if (query.until && time > query.until.getTime()) return false;
  if (query.subjects && !query.subjects.includes(event.subject ?? '')) return false;
  if (query.environment && event.environment !== query.environment) return false;
  if (query.actor && event.actor !== query.actor) return false;
  if (query.beforeSeq !== undefined && event.seq >= query.beforeSeq) return false;
  if (query.types && !query.types.some((type) => typeMatches(type, event.type))) return false;
  return true;
}

function typeMatches(pattern: string, type: string): boolean {
  return pattern.endsWith('*') ? type.startsWith(pattern.slice(0, -1)) : pattern === type;
}
