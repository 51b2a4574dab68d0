import { buildEnvelope, canonicalBytes } from './canonical.ts';
import { environmentOf } from './event-types.ts';
import { hashLeaf } from './merkle.ts';
import type { EventToAppend } from './types.ts';

/** What appending needs from an event before it takes the ledger lock; none of it depends on the sequence number. */
export interface PreparedEvent {
  readonly canonical: Buffer;
  readonly leaf: Buffer;
  readonly timeMs: number;
  readonly environment: string | null;
}

/** Pure: canonical bytes (RFC 8785), leaf hash (RFC 6962), and the indexed values of each event. */
export function prepareEvents(events: readonly EventToAppend[], now: Date): PreparedEvent[] {
  return events.map(({ event, actor }) => {
    const envelope = buildEnvelope(event, actor, now);
    const canonical = canonicalBytes(envelope);
    return { canonical, leaf: hashLeaf(canonical), timeMs: Date.parse(envelope.time), environment: environmentOf(event) ?? null };
  });
}

/** The prepared events of one chunk, packed into transferable buffers for the trip back from a worker thread. */
export interface PackedEvents {
  readonly bytes: ArrayBuffer;
  readonly ends: Uint32Array;
  readonly leaves: ArrayBuffer;
  readonly times: Float64Array;
  readonly environments: ReadonlyArray<string | null>;
}

export function packEvents(prepared: readonly PreparedEvent[]): PackedEvents {
  const ends = new Uint32Array(prepared.length);
  let total = 0;
  prepared.forEach((item, i) => {
    total += item.canonical.length;
    ends[i] = total;
  });
  const bytes = new Uint8Array(total);
  const leaves = new Uint8Array(prepared.length * 32);
  const times = new Float64Array(prepared.length);
  prepared.forEach((item, i) => {
    bytes.set(item.canonical, (ends[i] as number) - item.canonical.length);
    leaves.set(item.leaf, i * 32);
    times[i] = item.timeMs;
  });
  return { bytes: bytes.buffer, ends, leaves: leaves.buffer, times, environments: prepared.map((item) => item.environment) };
}

export function unpackEvents(packed: PackedEvents): PreparedEvent[] {
  const prepared: PreparedEvent[] = [];
  let start = 0;
  for (let i = 0; i < packed.ends.length; i += 1) {
    const end = packed.ends[i] as number;
    prepared.push({
      canonical: Buffer.from(packed.bytes, start, end - start),
      leaf: Buffer.from(packed.leaves, i * 32, 32),
      timeMs: packed.times[i] as number,
      environment: packed.environments[i] ?? null,
    });
    start = end;
  }
  return prepared;
}
