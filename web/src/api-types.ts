/** The shapes of the API answers the dashboard reads (docs/api.md); only the fields it uses. */
import type { InclusionProof } from '../../src/ledger/types.ts';

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

/** as the ledger produces it (a type only: nothing of the server reaches the bundle) */
export type { InclusionProof };

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

/* Audit page (GET /api/v1/audit, docs/audit-report.schema.json) and Settings page (connectors, tokens, ledger head). */
export type AuditSeverity = 'low' | 'medium' | 'high' | 'critical';
export type AuditDomain = 'ownership' | 'release' | 'runtime' | 'infrastructure' | 'database' | 'observability' | 'backup' | 'access' | 'documentation' | 'incident';
export type MaturityLevel = 'none' | 'bronze' | 'silver' | 'gold';

export interface AuditRiskAcceptance {
  readonly fingerprint: string;
  readonly acceptedBy: string;
  readonly reason: string;
  readonly expiresAt: string;
  readonly seq?: number;
}

export interface AuditFinding {
  readonly fingerprint: string;
  readonly controlId: string;
  readonly title: string;
  readonly domain: AuditDomain;
  readonly severity: AuditSeverity;
  readonly effort: 'S' | 'M' | 'L';
  readonly status: 'open' | 'risk-accepted';
  readonly resource: string;
  readonly location?: { readonly file: string; readonly line?: number; readonly column?: number };
  readonly evidence: string;
  readonly service?: string;
  readonly team?: string;
  readonly acceptance?: AuditRiskAcceptance;
}

export interface AuditBacklogItem {
  readonly rank: number;
  readonly fingerprint: string;
  readonly milestone: 'stabilize' | 'measure' | 'document';
  readonly priority: number;
  readonly why: string;
}

export interface AuditScorecard {
  readonly kind: 'service' | 'team';
  readonly name: string;
  readonly level: MaturityLevel;
  readonly openFindings: Readonly<Record<AuditSeverity, number>>;
  readonly nextLevelBlockers: readonly string[];
  readonly trend: readonly MaturityLevel[];
}

export interface AuditReport {
  readonly version: string;
  readonly run: {
    readonly at: string;
    readonly root: string;
    readonly filesScanned: number;
    readonly findings: readonly AuditFinding[];
    readonly warnings: ReadonlyArray<{ readonly message: string }>;
  };
  readonly summary: {
    readonly open: number;
    readonly riskAccepted: number;
    readonly bySeverity: Readonly<Record<AuditSeverity, number>>;
    readonly byDomain: Readonly<Record<AuditDomain, number>>;
    readonly controls: { readonly pass: number; readonly fail: number; readonly notApplicable: number };
    readonly wouldAdd: ReadonlyArray<{ readonly source: string; readonly controls: readonly string[]; readonly how: string }>;
  };
  readonly backlog: readonly AuditBacklogItem[];
  readonly scorecards: readonly AuditScorecard[];
  readonly operatingModel: { readonly recommended: string; readonly reasons: readonly string[]; readonly facts: Readonly<Record<string, number>> };
}

export interface AcceptanceResult {
  readonly seq: number;
  readonly acceptance: AuditRiskAcceptance;
}

export interface LedgerCheckpoint {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: string;
  readonly note: string;
  readonly createdAt: string;
  readonly verifierKey: string;
}

export interface ConnectorStatus {
  readonly id: string;
  readonly title: string;
  readonly kind: 'webhook' | 'watcher' | 'import' | 'push' | 'internal';
  readonly hooks: readonly string[];
  readonly configured: Readonly<Record<string, boolean>>;
  readonly lastEvent: { readonly seq: number; readonly type: string; readonly source: string; readonly time: string; readonly receivedAt: string } | null;
  readonly last24h: number;
}

export interface ConnectorsResponse {
  readonly head: number;
  readonly window: { readonly fromSeq: number; readonly countsComplete: boolean };
  readonly connectors: readonly ConnectorStatus[];
}

export interface TokenRecord {
  readonly id: string;
  readonly name: string;
  readonly role: Whoami['role'];
  readonly createdAt: string;
  readonly createdBy: string;
  readonly expiresAt?: string;
  readonly revokedAt?: string;
  readonly lastUsedAt?: string;
}

/** The Services page's view of the model: the fields of teams and services its catalog and map read. */
export interface TeamOncall {
  readonly rotation?: { readonly members: readonly string[]; readonly period: string; readonly handoff: string; readonly start?: string };
  readonly schedule?: { readonly provider: string; readonly id: string; readonly url?: string };
}

export interface CatalogTeam extends ModelTeam {
  readonly timezone?: string;
  readonly oncall?: TeamOncall;
}

export interface CatalogService extends ModelService {
  readonly description?: string;
  readonly dependsOn?: ReadonlyArray<{ readonly service?: string; readonly datastore?: string; readonly external?: string; readonly critical?: boolean }>;
}

export interface CatalogModel extends OwnershipModel {
  readonly teams: readonly CatalogTeam[];
  readonly services: readonly CatalogService[];
}

/** GET /api/v1/slos/:service/:slo/history: burn rates and budget left over time (columnar, for charts). */
export interface SloHistory {
  readonly service: string;
  readonly slo: string;
  readonly environment: string;
  readonly range: string;
  /** unix seconds */
  readonly timestamps: readonly number[];
  readonly burnRates: ReadonlyArray<{ readonly window: string; readonly factor: number; readonly values: ReadonlyArray<number | null> }>;
  readonly budgetRemaining: ReadonlyArray<number | null>;
}
