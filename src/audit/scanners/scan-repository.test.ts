import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlAvailable } from '../../../test/support/kube-api/kubectl.ts';
import type { AuditFacts, KubernetesObjectFact } from '../facts.ts';
import { scanRepository } from './scan-repository.ts';

const fixture = new URL('../../../test/fixtures/audit/repo/', import.meta.url).pathname;
const demo = new URL('../../../examples/demo/', import.meta.url).pathname;
const now = new Date('2026-11-26T12:00:00Z');
const hasKubectl = await kubectlAvailable();

const objectLine = (object: KubernetesObjectFact) =>
  `${object.kind} ${object.namespace ?? ''}/${object.name} @ ${object.location.file}${object.location.line ? `:${object.location.line}` : ''}${object.kustomization ? ` [${object.kustomization}]` : ''}`;

describe.skipIf(!hasKubectl)('scanRepository on a repository with a bit of everything', () => {
  let root: string;
  let facts: AuditFacts;
  const progress: number[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'steadyops-audit-scan-'));
    await cp(fixture, root, { recursive: true });
    // what is not committed: a huge file, a symlink loop, and folders that are never scanned
    await mkdir(join(root, 'huge'));
    await writeFile(join(root, 'huge', 'big.yaml'), `items:\n${'  - just a line of a very large file\n'.repeat(180_000)}`);
    await mkdir(join(root, 'loop'));
    await symlink('../loop', join(root, 'loop', 'back'));
    for (const skipped of ['node_modules/pkg', '.idea', 'dist']) {
      await mkdir(join(root, skipped), { recursive: true });
      await writeFile(join(root, skipped, 'deployment.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: never-scanned }\n');
    }
    facts = await scanRepository({ root, now, onProgress: (files) => progress.push(files) });
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('reads every text file once: the model, the kustomizations and the rest', () => {
    // 38 committed files, less the binary one; the huge file and the skipped folders are not read
    expect(facts.filesScanned).toBe(37);
    expect(progress.at(-1)).toBe(37);
  });

  it('finds manifests (multi-document files, List items) and renders the kustomize overlay instead of its raw files', () => {
    expect(facts.kubernetes.map(objectLine)).toEqual([
      'Service shop-prod/storefront @ deploy/kustomize/overlays/prod/kustomization.yaml [deploy/kustomize/overlays/prod]',
      'Deployment shop-prod/storefront @ deploy/kustomize/overlays/prod/kustomization.yaml [deploy/kustomize/overlays/prod]',
      'PrometheusRule shop/orders-alerts @ k8s/alerts.yaml:1',
      'ConfigMap shop/orders-config @ k8s/config-list.yaml:4',
      'ConfigMap shop/orders-dashboards @ k8s/config-list.yaml:11',
      'Deployment shop/orders @ k8s/orders.yaml:2',
      'Service shop/orders @ k8s/orders.yaml:19',
      'PodDisruptionBudget shop/orders @ k8s/orders.yaml:28',
    ]);
    const storefront = facts.kubernetes.find((object) => object.kind === 'Deployment' && object.name === 'storefront');
    expect(storefront?.object).toMatchObject({ metadata: { namespace: 'shop-prod' }, spec: { replicas: 4 } });
  });

  it('reads the workflow, Terraform (.tf and the plan), migrations of the model, rules, dashboards, CODEOWNERS, runbooks and the model', () => {
    expect(facts.workflows.map((workflow) => [workflow.file, workflow.jobs.map((job) => job.id)])).toEqual([['.github/workflows/deploy.yml', ['build', 'release', 'production']]]);
    expect(facts.terraform.map((resource) => `${resource.source} ${resource.address} @ ${resource.location.file}:${resource.location.line}`)).toEqual([
      'hcl aws_db_instance.orders @ terraform/main.tf:5',
      'hcl aws_s3_bucket.exports @ terraform/main.tf:13',
      'plan aws_db_instance.orders @ terraform/plan.json:7',
    ]);
    expect(facts.migrations.map((migration) => [migration.file, migration.layout, migration.hasReverse, migration.statements.map((statement) => statement.class)])).toEqual([
      ['db/migrations/000001_create_orders.up.sql', 'golang-migrate', true, ['safe']],
      ['db/migrations/000002_drop_legacy_code.up.sql', 'golang-migrate', false, ['data-loss']],
      ['services/billing/db/migration/V1__init.sql', 'flyway', false, ['safe']],
      ['services/billing/db/migration/V2__backfill_amounts.sql', 'flyway', true, ['forward-fix']],
    ]);
    expect(facts.alertRules.map((rule) => `${rule.alert} (${rule.group}) @ ${rule.location.file}:${rule.location.line}`)).toEqual([
      'OrdersErrors (orders.slo) @ monitoring/rules/orders.rules.yml:6',
      'OrdersQueueBacklog (orders.capacity) @ monitoring/rules/orders.rules.yml:17',
      'OrdersPodsRestarting (orders.operator) @ k8s/alerts.yaml:1',
    ]);
    expect(facts.dashboards.map((dashboard) => [dashboard.title, dashboard.location.file, dashboard.panels.map((panel) => panel.title)])).toEqual([
      ['Orders', 'monitoring/dashboards/orders.json', ['Error ratio', 'Queue depth']],
      ['Orders latency', 'k8s/config-list.yaml', ['p99']],
    ]);
    expect(facts.codeowners?.file).toBe('.github/CODEOWNERS');
    expect(facts.runbooks).toEqual(['docs/oncall/orders-db.md', 'runbooks/orders.md']);
    expect(facts.model?.model.services.map((service) => service.name)).toEqual(['orders', 'billing']);
    expect(facts.model?.locations.get('Service/billing')).toEqual({ file: '.steadyops/model.yaml', line: 24 });
    expect(facts.ledger).toBeUndefined();
  });

  it('finds the committed credentials without keeping their values', () => {
    expect(facts.secrets.map((secret) => `${secret.kind} @ ${secret.location.file}:${secret.location.line}`)).toEqual([
      'cloud-access-key @ config/aws.env:3',
      'private-key @ secrets/deploy-key.pem:1',
      'kubeconfig-admin @ secrets/kubeconfig.yaml:8',
      'kubeconfig-token @ secrets/kubeconfig.yaml:12',
    ]);
    expect(JSON.stringify(facts.secrets)).not.toMatch(/FakeSecretForTests|fake-token-for-tests|RkFLRS1LRVk|AKIAFAKEFAKEFAKEFAKE/);
  });

  it('turns every piece of bad input into a warning at its place and goes on', () => {
    expect(facts.warnings).toEqual([
      { location: { file: 'assets/blob.dat' }, message: 'binary file (a NUL byte in its first 8 KB); not scanned' },
      { location: { file: 'broken/bad.yaml', line: 8, column: 1 }, message: 'YAML syntax: Missing closing "quote; the document is not scanned' },
      {
        location: { file: 'charts/web/Chart.yaml' },
        message: 'Helm chart charts/web: 2 template(s) skipped: templates that do not render without Helm; audit the output of `helm template` to check them',
      },
      { location: { file: 'db/migrations/000003_broken.up.sql', line: 3, column: 19 }, message: 'SQL syntax: syntax error at or near "WHERE"; the migration is not classified' },
      {
        location: { file: 'deploy/kustomize/broken/kustomization.yaml' },
        message: expect.stringMatching(/^kubectl kustomize deploy\/kustomize\/broken failed: .*'deploy\/kustomize\/broken\/missing-deployment\.yaml'.*; its manifests are not scanned$/),
      },
      { location: { file: 'huge/big.yaml' }, message: 'larger than 5 MB (6.4 MB); not scanned' },
      { location: { file: 'loop/back' }, message: 'symlink loop: it points at its own ancestor loop; not followed' },
      { location: { file: 'terraform/broken.tf', line: 2, column: 10 }, message: 'Terraform syntax: Invalid expression; Expected the start of an expression, but found an invalid expression token; the file is not scanned' },
    ]);
  });

  it('without a model, finds migrations in conventional folders and tells their layout from the file names', async () => {
    const withoutModel = await scanRepository({ root, now, model: 'none' });
    expect(withoutModel.model).toBeUndefined();
    expect(withoutModel.migrations.map((migration) => [migration.file, migration.layout])).toEqual([
      ['db/migrations/000001_create_orders.up.sql', 'golang-migrate'],
      ['db/migrations/000002_drop_legacy_code.up.sql', 'golang-migrate'],
      ['services/billing/db/migration/V1__init.sql', 'flyway'],
      ['services/billing/db/migration/V2__backfill_amounts.sql', 'flyway'],
    ]);
    // the model's files are then ordinary files: scanned, and not mistaken for Kubernetes objects
    expect(withoutModel.filesScanned).toBe(37);
    expect(withoutModel.kubernetes).toHaveLength(8);
    expect(withoutModel.runbooks).toEqual(['runbooks/orders.md']);
  });
});

describe('scanRepository on examples/demo', () => {
  let facts: AuditFacts;
  beforeAll(async () => {
    facts = await scanRepository({ root: demo, now });
  });

  it('has what the demo audit needs: the model, the manifests, the workflow, Terraform, the four migrations and the runbooks', () => {
    expect(facts.warnings).toEqual([]);
    expect(facts.model?.model.services).toHaveLength(10);
    expect(facts.model?.locations.get('Service/checkout-api')).toEqual({ file: '.steadyops/services.yaml', line: 2 });
    const deployments = facts.kubernetes.filter((object) => object.kind === 'Deployment' && object.location.file.startsWith('k8s/'));
    expect(deployments).toHaveLength(10);
    expect(deployments.find((object) => object.name === 'checkout-api')).toMatchObject({ namespace: 'payments', location: { file: 'k8s/checkout-api.yaml', line: 1 } });
    // the model and catalog-info.yaml have apiVersion and kind too, but are not Kubernetes objects
    expect(facts.kubernetes.filter((object) => !object.location.file.startsWith('k8s/'))).toEqual([]);
    const deploy = facts.workflows.find((workflow) => workflow.file === '.github/workflows/deploy.yml');
    expect(deploy?.jobs.map((job) => [job.id, job.environment ?? null, job.needs])).toEqual([
      ['build', null, []],
      ['staging', 'staging', ['build']],
      ['production', 'production', ['build', 'staging']],
    ]);
    expect(facts.terraform.filter((resource) => resource.location.file === 'terraform/main.tf').map((resource) => resource.address)).toEqual([
      'aws_db_instance.core',
      'aws_elasticache_replication_group.sessions',
    ]);
    expect(facts.migrations.map((migration) => migration.file)).toEqual([
      'migrations/0001_create_orders.sql',
      'migrations/0002_add_payment_reference.sql',
      'migrations/0003_backfill_order_currency.sql',
      'migrations/0004_drop_legacy_status.sql',
    ]);
    expect(facts.migrations.at(-1)?.statements.map((statement) => statement.class)).toEqual(['data-loss', 'data-loss']);
    expect(facts.runbooks).toHaveLength(10);
    expect(facts.codeowners?.file).toBe('CODEOWNERS');
    expect(facts.secrets).toEqual([]);
  });
});
