import { buildEnvelope, canonicalBytes } from '../src/ledger/canonical.ts';
import { environmentOf } from '../src/ledger/event-types.ts';
import { hashLeaf } from '../src/ledger/merkle.ts';
import type { EventToAppend } from '../src/ledger/types.ts';
import type { EventsTable } from '../src/store/schema.ts';

/** The rows the ledger would store for these events: the baselines insert exactly these bytes. */
export function eventRows(events: readonly EventToAppend[], firstSeq: number, now: Date): EventsTable[] {
  return events.map(({ event, actor }, i) => {
    const envelope = buildEnvelope(event, actor, now);
    const canonical = canonicalBytes(envelope);
    return {
      seq: firstSeq + i,
      event_id: event.id,
      source: event.source,
      type: event.type,
      subject: event.subject ?? null,
      environment: environmentOf(event) ?? null,
      actor,
      time_ms: Date.parse(envelope.time),
      ingested_ms: now.getTime(),
      canonical,
      leaf_hash: hashLeaf(canonical),
    };
  });
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let at = 0; at < items.length; at += size) chunks.push(items.slice(at, at + size));
  return chunks;
}
