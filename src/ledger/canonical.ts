import canonicalize from 'canonicalize';
import type { CloudEventInput, LedgerEvent } from './types.ts';

/** The envelope that is hashed: CloudEvents attributes (extensions at top level, as on the wire) plus `actor`. */
export interface Envelope {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly time: string;
  readonly actor: string;
  readonly subject?: string;
  readonly datacontenttype?: string;
  readonly dataschema?: string;
  readonly data?: unknown;
  readonly [extension: string]: unknown;
}

export function buildEnvelope(event: CloudEventInput, actor: string, ingestedAt: Date): Envelope {
  return {
    ...event.extensions,
    specversion: '1.0',
    id: event.id,
    source: event.source,
    type: event.type,
    time: event.time ?? ingestedAt.toISOString(),
    actor,
    ...(event.subject !== undefined ? { subject: event.subject } : {}),
    ...(event.datacontenttype !== undefined ? { datacontenttype: event.datacontenttype } : {}),
    ...(event.dataschema !== undefined ? { dataschema: event.dataschema } : {}),
    ...(event.data !== undefined ? { data: event.data } : {}),
  };
}

/** RFC 8785 canonical JSON bytes: computed once at append and stored exactly as hashed. */
export function canonicalBytes(envelope: Envelope): Buffer {
  const text = canonicalize(envelope);
  if (text === undefined) throw new Error('event cannot be canonicalised');
  return Buffer.from(text, 'utf8');
}

const coreAttributes = new Set(['specversion', 'id', 'source', 'type', 'time', 'actor', 'subject', 'datacontenttype', 'dataschema', 'data']);

export interface StoredAttributes {
  readonly seq: number;
  readonly environment: string | null;
  readonly ingestedMs: number;
  readonly leafHash: Buffer;
}

/** Rebuilds the public event from its stored canonical bytes (the truth) and the ledger's own columns. */
export function eventFromCanonical(bytes: Buffer, stored: StoredAttributes): LedgerEvent {
  const envelope = JSON.parse(bytes.toString('utf8')) as Envelope;
  const extensions: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(envelope)) {
    if (!coreAttributes.has(key)) extensions[key] = value as string | number | boolean;
  }
  return {
    seq: stored.seq,
    specversion: '1.0',
    id: envelope.id,
    source: envelope.source,
    type: envelope.type,
    ...(envelope.subject !== undefined ? { subject: envelope.subject } : {}),
    time: envelope.time,
    ...(envelope.datacontenttype !== undefined ? { datacontenttype: envelope.datacontenttype } : {}),
    ...(envelope.dataschema !== undefined ? { dataschema: envelope.dataschema } : {}),
    ...(envelope.data !== undefined ? { data: envelope.data } : {}),
    ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
    actor: envelope.actor,
    ...(stored.environment !== null ? { environment: stored.environment } : {}),
    ingested_at: new Date(stored.ingestedMs).toISOString(),
    leaf_hash: stored.leafHash.toString('base64'),
  };
}
