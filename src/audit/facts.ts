import type { LedgerEvent } from '../ledger/types.ts';
import type { ResolvedModel } from '../model/resolve.ts';
import type { ModelKind } from '../model/schema.ts';

/** Where something is, relative to the audited folder; line and column are 1-based. */
export interface SourceLocation {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

/** Something the scanners could not read; reported, never fatal. */
export interface AuditWarning {
  readonly location: SourceLocation;
  readonly message: string;
}

/** A Kubernetes object as rendered: a manifest file's document, or the output of `kubectl kustomize`. */
export interface KubernetesObjectFact {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly location: SourceLocation;
  /** the folder `kubectl kustomize` rendered it from, when it came from a kustomization */
  readonly kustomization?: string;
  readonly object: Readonly<Record<string, unknown>>;
}

export interface WorkflowStepFact {
  readonly line: number;
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Readonly<Record<string, unknown>>;
}

export interface WorkflowJobFact {
  readonly id: string;
  readonly line: number;
  readonly name?: string;
  /** the environment the job deploys to (`environment: production` or `environment: { name }`) */
  readonly environment?: string;
  readonly permissions?: unknown;
  readonly needs: readonly string[];
  /** `uses:` of a reusable workflow job */
  readonly uses?: string;
  readonly steps: readonly WorkflowStepFact[];
}

/** A GitHub Actions workflow file. */
export interface WorkflowFact {
  readonly file: string;
  readonly name?: string;
  readonly on: unknown;
  /** top-level `permissions`; undefined when the file sets none (GitHub's default token rights apply) */
  readonly permissions?: unknown;
  readonly jobs: readonly WorkflowJobFact[];
}

/** A Terraform resource from a `.tf` file or a JSON plan (`terraform show -json`). */
export interface TerraformResourceFact {
  readonly address: string;
  readonly type: string;
  readonly name: string;
  readonly location: SourceLocation;
  /** the resource's arguments as written (.tf) or as planned (after values) */
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly source: 'hcl' | 'plan';
}

export type MigrationClass = 'safe' | 'forward-fix' | 'data-loss';

export interface MigrationStatementFact {
  readonly line: number;
  readonly text: string;
  readonly class: MigrationClass;
  readonly reason: string;
}

/** One migration file, classified statement by statement like `rollback check` does. */
export interface MigrationFact {
  readonly file: string;
  readonly layout: string;
  /** a down/undo migration exists for it */
  readonly hasReverse: boolean;
  readonly statements: readonly MigrationStatementFact[];
  /** the file's comments (SQL `--` and block comments, `#` in Ruby and Python), where notes such as an expand/contract plan live */
  readonly comments?: readonly string[];
}

/** An alerting rule from a Prometheus rule file. */
export interface AlertRuleFact {
  readonly location: SourceLocation;
  readonly group: string;
  readonly alert: string;
  readonly expr: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** A Grafana dashboard (JSON model) and the queries of its panels. */
export interface DashboardFact {
  readonly location: SourceLocation;
  readonly title: string;
  readonly panels: readonly { readonly title: string; readonly exprs: readonly string[] }[];
}

export interface CodeownersFact {
  readonly file: string;
  readonly entries: readonly { readonly line: number; readonly pattern: string; readonly owners: readonly string[] }[];
}

/** A credential committed to the repository (private keys, admin kubeconfigs, cloud keys); never its value. */
export interface CommittedSecretFact {
  readonly location: SourceLocation;
  readonly kind: 'private-key' | 'kubeconfig-admin' | 'kubeconfig-token' | 'cloud-access-key';
  readonly detail: string;
}

/** The ownership model and where each of its documents is. */
export interface ModelFacts {
  readonly model: ResolvedModel;
  /** `Kind/name` -> where its document starts */
  readonly locations: ReadonlyMap<`${ModelKind}/${string}`, SourceLocation>;
}

/** Ledger history the controls read (oldest first), over `since..until`. */
export interface LedgerFacts {
  readonly since: string;
  readonly until: string;
  readonly events: readonly LedgerEvent[];
}

/** Everything the scanners found; controls are pure functions of these facts. */
export interface AuditFacts {
  /** the audited folder, absolute */
  readonly root: string;
  readonly filesScanned: number;
  readonly model?: ModelFacts;
  readonly ledger?: LedgerFacts;
  readonly kubernetes: readonly KubernetesObjectFact[];
  readonly workflows: readonly WorkflowFact[];
  readonly terraform: readonly TerraformResourceFact[];
  readonly migrations: readonly MigrationFact[];
  readonly alertRules: readonly AlertRuleFact[];
  readonly dashboards: readonly DashboardFact[];
  readonly codeowners?: CodeownersFact;
  /** runbook files (Markdown in runbook folders), relative paths */
  readonly runbooks: readonly string[];
  readonly secrets: readonly CommittedSecretFact[];
  readonly warnings: readonly AuditWarning[];
}

export type FactSource = 'model' | 'ledger' | 'kubernetes' | 'workflows' | 'terraform' | 'migrations' | 'alertRules' | 'dashboards';

/** Facts with nothing found, for tests and for a control that needs none. */
export function emptyFacts(root = '/repo'): AuditFacts {
  return { root, filesScanned: 0, kubernetes: [], workflows: [], terraform: [], migrations: [], alertRules: [], dashboards: [], runbooks: [], secrets: [], warnings: [] };
}
