/** A CloudEvents 1.0 event as submitted, after validation (see `cloud-event.ts`). */
export interface CloudEventInput {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject?: string;
  readonly time?: string;
  readonly datacontenttype?: string;
  readonly dataschema?: string;
  readonly data?: unknown;
  /** CloudEvents extension attributes (lower-case alphanumeric names), e.g. `environment`. */
  readonly extensions?: Readonly<Record<string, string | number | boolean>>;
}

/** What the ledger appends: the event plus who submitted it. */
export interface EventToAppend {
  readonly event: CloudEventInput;
  readonly actor: string;
}

/** An event as stored: the envelope that was hashed, plus the ledger's own attributes. */
export interface LedgerEvent {
  readonly seq: number;
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject?: string;
  readonly time: string;
  readonly datacontenttype?: string;
  readonly dataschema?: string;
  readonly data?: unknown;
  readonly extensions?: Readonly<Record<string, string | number | boolean>>;
  readonly actor: string;
  readonly environment?: string;
  readonly ingested_at: string;
  /** base64 of SHA-256(0x00 || canonical bytes) */
  readonly leaf_hash: string;
}

export interface AppendOutcome {
  readonly id: string;
  readonly source: string;
  readonly seq: number;
  /** true when (source, id) was already in the ledger: acknowledged, not stored twice */
  readonly duplicate: boolean;
}

export interface ChangeQuery {
  readonly since?: Date;
  readonly until?: Date;
  readonly subjects?: readonly string[];
  /** only events without a subject: nobody owns them yet */
  readonly unowned?: boolean;
  readonly environment?: string;
  /** exact types or prefixes ending in `*`, e.g. `dev.steadyops.deploy.*` */
  readonly types?: readonly string[];
  readonly actor?: string;
  readonly limit?: number;
  /** return events with seq lower than this (keyset pagination, newest first) */
  readonly beforeSeq?: number;
}

export interface SignedCheckpoint {
  readonly origin: string;
  readonly size: number;
  /** base64 root hash */
  readonly rootHash: string;
  /** the C2SP signed note, exactly as signed */
  readonly note: string;
  readonly createdAt: string;
}

export interface InclusionProof {
  readonly seq: number;
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly leafHash: string;
  /** base64 of the event's stored canonical bytes, so a verifier can recompute the leaf hash */
  readonly canonical: string;
  /** base64 hashes, bottom-up, per RFC 9162 section 2.1.3 */
  readonly hashes: readonly string[];
  readonly checkpoint: string;
}

export interface ConsistencyProof {
  readonly oldSize: number;
  readonly newSize: number;
  readonly hashes: readonly string[];
  readonly oldCheckpoint: string;
  readonly newCheckpoint: string;
}

export interface VerifyProgress {
  readonly checked: number;
  readonly total: number;
}

export interface VerifyOptions {
  readonly onProgress?: (progress: VerifyProgress) => void;
  /** signed notes kept outside the database (e.g. by a witness), checked like stored checkpoints */
  readonly extraCheckpoints?: readonly string[];
  /** verify signatures with this verifier key instead of the local signing key */
  readonly verifierKey?: string;
  /** worker threads checking rows (default: one per core, at most 4, for logs of 40,000 events or more; 1 checks in this thread) */
  readonly threads?: number;
}

export type VerifyReport =
  | { readonly ok: true; readonly size: number; readonly checkpoints: number; readonly rootHash: string }
  | {
      readonly ok: false;
      readonly size: number;
      readonly checkpoints: number;
      /** the first sequence number at which the stored log disagrees with itself or a checkpoint */
      readonly firstBadSeq: number;
      readonly reason: string;
    };

/** The ledger's public face: what services, the server and the CLI use. */
export interface Ledger {
  append(events: readonly EventToAppend[]): Promise<AppendOutcome[]>;
  query(query: ChangeQuery): Promise<LedgerEvent[]>;
  /** every stored event with this id (ids are unique per source only) */
  findById(id: string): Promise<LedgerEvent[]>;
  getBySeq(seq: number): Promise<LedgerEvent | undefined>;
  /** events with a sequence number greater than `afterSeq`, in sequence order, at most `limit` (a primary-key range read) */
  readAfter(afterSeq: number, limit: number): Promise<LedgerEvent[]>;
  size(): Promise<number>;
  /** signs a checkpoint for the current size unless the latest one already covers it */
  cutCheckpoint(): Promise<SignedCheckpoint | undefined>;
  latestCheckpoint(): Promise<SignedCheckpoint | undefined>;
  checkpointAt(size: number): Promise<SignedCheckpoint | undefined>;
  inclusionProof(seq: number, treeSize?: number): Promise<InclusionProof>;
  consistencyProof(oldSize: number, newSize: number): Promise<ConsistencyProof>;
  verify(options?: VerifyOptions): Promise<VerifyReport>;
  /** the C2SP note verifier key, `<name>+<hex key id>+<base64 key>` */
  verifierKey(): Promise<string>;
}
