// Test-only: builders for scanned facts (manifests, workflows, Terraform, migrations) in the controls' tests.
import { emptyFacts, type AuditFacts, type KubernetesObjectFact, type MigrationFact, type MigrationStatementFact, type TerraformResourceFact, type WorkflowFact, type WorkflowJobFact, type WorkflowStepFact } from '../facts.ts';
import type { PlainRecord } from './plain-values.ts';

/** A rendered manifest; kind, name and namespace come from the object itself. */
export function manifest(object: Record<string, unknown>, file = 'k8s/app.yaml'): KubernetesObjectFact {
  const metadata = (object['metadata'] ?? {}) as { name?: string; namespace?: string };
  return {
    apiVersion: String(object['apiVersion'] ?? 'apps/v1'),
    kind: String(object['kind']),
    name: metadata.name ?? '?',
    ...(metadata.namespace ? { namespace: metadata.namespace } : {}),
    location: { file, line: 1 },
    object,
  };
}

export const goodContainer = (name: string): Record<string, unknown> => ({
  name,
  image: `ghcr.io/acme/${name}:v1.2.3`,
  ports: [{ name: 'http', containerPort: 8080 }],
  readinessProbe: { httpGet: { path: '/readyz', port: 'http' } },
  livenessProbe: { httpGet: { path: '/healthz', port: 'http' } },
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
  securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
});

/** A Deployment that passes every runtime control unless `spec`, `pod` or `container` say otherwise. */
export function deployment(
  name: string,
  options: { namespace?: string; kind?: string; spec?: PlainRecord; pod?: PlainRecord; container?: PlainRecord; containers?: readonly PlainRecord[] } = {},
): KubernetesObjectFact {
  const labels = { 'app.kubernetes.io/name': name };
  const containers = options.containers ?? [{ ...goodContainer(name), ...options.container }];
  const template = { metadata: { labels }, spec: { containers, topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone' }], ...options.pod } };
  const kind = options.kind ?? 'Deployment';
  const spec =
    kind === 'CronJob'
      ? { schedule: '0 * * * *', jobTemplate: { spec: { template } }, ...options.spec }
      : { replicas: 3, selector: { matchLabels: labels }, template, ...options.spec };
  return manifest(
    { apiVersion: 'apps/v1', kind, metadata: { name, namespace: options.namespace ?? 'payments' }, spec },
    `k8s/${name}.yaml`,
  );
}

export function budget(name: string, spec: PlainRecord, namespace = 'payments'): KubernetesObjectFact {
  return manifest({ apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name, namespace }, spec }, `k8s/${name}-pdb.yaml`);
}

export const withKubernetes = (objects: readonly KubernetesObjectFact[], base: AuditFacts = emptyFacts()): AuditFacts => ({ ...base, kubernetes: objects });

export const step = (fields: Partial<WorkflowStepFact>, line = 10): WorkflowStepFact => ({ line, ...fields });

export function job(id: string, steps: readonly Partial<WorkflowStepFact>[], extra: Partial<WorkflowJobFact> = {}): WorkflowJobFact {
  return { id, line: 5, needs: [], steps: steps.map((fields, index) => step(fields, 10 + index)), ...extra };
}

export function workflow(jobs: readonly WorkflowJobFact[], extra: Partial<WorkflowFact> = {}): WorkflowFact {
  return { file: '.github/workflows/deploy.yml', on: { push: { branches: ['main'] } }, permissions: { contents: 'read' }, jobs, ...extra };
}

export const withWorkflows = (workflows: readonly WorkflowFact[], base: AuditFacts = emptyFacts()): AuditFacts => ({ ...base, workflows });

export function terraform(address: string, attributes: PlainRecord, source: 'hcl' | 'plan' = 'hcl'): TerraformResourceFact {
  const [type = '', name = ''] = address.split('.');
  return { address, type, name, location: { file: 'terraform/main.tf', line: 1 }, attributes, source };
}

export const withTerraform = (resources: readonly TerraformResourceFact[], base: AuditFacts = emptyFacts()): AuditFacts => ({ ...base, terraform: resources });

export const statement = (line: number, text: string, kind: MigrationStatementFact['class'] = 'safe'): MigrationStatementFact => ({ line, text, class: kind, reason: 'test' });

export function migration(file: string, statements: readonly MigrationStatementFact[], extra: Partial<MigrationFact> = {}): MigrationFact {
  return { file, layout: 'sql', hasReverse: false, statements, ...extra };
}

export const withMigrations = (migrations: readonly MigrationFact[], base: AuditFacts = emptyFacts()): AuditFacts => ({ ...base, migrations });
