/** The shapes of the API answers the dashboard reads (docs/api.md); only the fields it uses. */
export interface LedgerEvent {
  readonly seq: number;
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject?: string;
  readonly time: string;
  readonly data?: unknown;
  readonly actor: string;
  readonly environment?: string;
  readonly ingested_at: string;
  readonly leaf_hash: string;
}

export interface ChangesResponse {
  readonly since: string;
  readonly until: string;
  readonly events: readonly LedgerEvent[];
  readonly next?: number;
}

export interface InclusionProof {
  readonly seq: number;
  readonly leafIndex: number;
  readonly treeSize: number;
  readonly leafHash: string;
  readonly canonical: string;
  readonly hashes: readonly string[];
  readonly checkpoint: string;
}

export interface EventsResponse {
  readonly events: ReadonlyArray<{ readonly event: LedgerEvent; readonly proof: InclusionProof }>;
}

export interface Whoami {
  readonly tokenId: string;
  readonly name: string;
  readonly role: 'viewer' | 'operator' | 'approver' | 'admin';
  readonly actor: string;
}

export interface ModelTeam {
  readonly name: string;
  readonly title?: string;
}

export interface ModelService {
  readonly name: string;
  readonly owner: string;
  readonly tier?: number;
}

export interface ModelDatastore {
  readonly name: string;
  readonly owner: string;
  readonly engine?: string;
  readonly restoreDrill?: { readonly every: string; readonly rto?: string };
}

export interface OwnershipModel {
  readonly teams: readonly ModelTeam[];
  readonly services: readonly ModelService[];
  readonly datastores: readonly ModelDatastore[];
}

export interface SaturationDependency {
  readonly service: string;
  readonly environment: string;
  readonly kind: string;
  readonly dependency: string;
  readonly critical?: boolean;
  readonly value?: number;
  readonly ratio?: number;
  readonly threshold: number;
  readonly saturated: boolean;
  readonly noData: boolean;
  readonly summary: string;
}

export interface SaturationReport {
  readonly at: string;
  readonly saturated: number;
  readonly dependencies: readonly SaturationDependency[];
}

export interface SloStatus {
  readonly service: string;
  readonly slo: string;
  readonly environment: string;
  readonly objective: number;
  readonly period: string;
  readonly sli?: number;
  readonly budgetRemaining?: number;
  readonly currentBurn?: { readonly window: string; readonly rate?: number };
  readonly exhaustedAt?: string;
  readonly firing?: 'page' | 'ticket';
  readonly noData?: boolean;
  readonly summary: string;
}

export interface SloReport {
  readonly at: string;
  readonly slos: readonly SloStatus[];
}
