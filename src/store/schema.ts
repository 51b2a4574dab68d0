import type { Generated } from 'kysely';

/** The tables, as Kysely sees them. Times are epoch milliseconds; hashes and canonical bytes are binary. */
export interface EventsTable {
  seq: number;
  event_id: string;
  source: string;
  type: string;
  subject: string | null;
  environment: string | null;
  actor: string;
  time_ms: number;
  ingested_ms: number;
  canonical: Buffer;
  leaf_hash: Buffer;
}

export interface MerkleNodesTable {
  level: number;
  idx: number;
  hash: Buffer;
}

export interface LedgerStateTable {
  id: number;
  size: number;
  frontier: Buffer;
  /** the size of the latest signed checkpoint */
  checkpoint_size: number;
  updated_ms: number;
}

export interface CheckpointsTable {
  size: number;
  root_hash: Buffer;
  note: string;
  created_ms: number;
}

/** Public keys only: the private key never enters the database it protects. */
export interface SigningKeysTable {
  name: string;
  verifier_key: string;
  created_ms: number;
}

export interface TokensTable {
  id: string;
  name: string;
  role: string;
  secret_hash: string;
  created_ms: number;
  created_by: string;
  expires_ms: number | null;
  revoked_ms: number | null;
  last_used_ms: number | null;
}

/** Projection: per subject and event type, the latest event and a count. Rebuildable from the ledger. */
export interface SubjectActivityTable {
  subject: string;
  type: string;
  last_seq: number;
  last_time_ms: number;
  event_count: Generated<number>;
}

export interface Schema {
  events: EventsTable;
  merkle_nodes: MerkleNodesTable;
  ledger_state: LedgerStateTable;
  checkpoints: CheckpointsTable;
  signing_keys: SigningKeysTable;
  tokens: TokensTable;
  subject_activity: SubjectActivityTable;
}
