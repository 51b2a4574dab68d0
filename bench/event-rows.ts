import { environmentOf } from '../src/ledger/event-types.ts';
import type { EventToAppend } from '../src/ledger/types.ts';
import type { EventsTable } from '../src/store/schema.ts';

/**
 * What a plain event store does with the same events: serialise each one as it came and insert it
 * with the same columns. No canonical form, no hashing, no Merkle tree, no projection: the work the
 * baselines do inside their timed loop, so the ratio prices exactly what tamper evidence adds.
 */
export function plainRows(events: readonly EventToAppend[], firstSeq: number, now: Date): EventsTable[] {
  const ingested = now.getTime();
  return events.map(({ event, actor }, i) => ({
    seq: firstSeq + i,
    event_id: event.id,
    source: event.source,
    type: event.type,
    subject: event.subject ?? null,
    environment: environmentOf(event) ?? null,
    actor,
    time_ms: event.time ? Date.parse(event.time) : ingested,
    ingested_ms: ingested,
    canonical: Buffer.from(JSON.stringify({ ...event, actor })),
    leaf_hash: noHash,
  }));
}

const noHash = Buffer.alloc(32);

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let at = 0; at < items.length; at += size) chunks.push(items.slice(at, at + size));
  return chunks;
}
