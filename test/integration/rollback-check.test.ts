import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { AppsV1Api, KubeConfig, type V1Deployment } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../support/cli.ts';
import { startKubeApi, type KubeApi } from '../support/kube-api/start-kube-api.ts';
import { gitAvailable } from '../support/services.ts';

const hasGit = gitAvailable();

const dir = mkdtempSync(join(tmpdir(), 'steadyops-rollback-'));
const demoModel = join(repoRoot, 'examples', 'demo', '.steadyops');
const demoMigrations = join(repoRoot, 'examples', 'demo', 'migrations');
// a kubeconfig that does not exist, so nothing on this machine is asked unless a test says so
const noKubeconfig = { KUBECONFIG: join(dir, 'no-kubeconfig') };

function git(repo: string, args: string[]): string {
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'Ada',
    GIT_AUTHOR_EMAIL: 'ada@example.com',
    GIT_COMMITTER_NAME: 'Ada',
    GIT_COMMITTER_EMAIL: 'ada@example.com',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
  };
  return execFileSync('git', ['-C', repo, ...args], { env, encoding: 'utf8' }).trim();
}

interface Repo {
  readonly path: string;
  /** writes `files` (path -> content), commits them, and tags the commit when a tag is given */
  commit(files: Record<string, string>, message: string, tag?: string): string;
}

function createRepo(name: string): Repo {
  const path = join(dir, name);
  mkdirSync(path, { recursive: true });
  git(path, ['init', '-q', '-b', 'main']);
  return {
    path,
    commit(files, message, tag) {
      for (const [file, content] of Object.entries(files)) {
        mkdirSync(dirname(join(path, file)), { recursive: true });
        writeFileSync(join(path, file), content);
      }
      git(path, ['add', '--all']);
      git(path, ['commit', '-q', '--allow-empty', '-m', message]);
      if (tag) git(path, ['tag', tag]);
      return git(path, ['rev-parse', 'HEAD']);
    },
  };
}

const check = (args: string[], env: NodeJS.ProcessEnv = noKubeconfig) => runCli(['rollback', 'check', ...args], { cwd: dir, env });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasGit)('steadyops rollback check on the demo migrations in a real git repository', () => {
  let repo: Repo;
  let initial = '';

  beforeAll(() => {
    repo = createRepo('checkout-api');
    initial = repo.commit({ 'README.md': 'checkout-api\n' }, 'start');
    mkdirSync(join(repo.path, 'migrations'));
    for (const file of ['0001_create_orders.sql', '0002_add_payment_reference.sql']) copyFileSync(join(demoMigrations, file), join(repo.path, 'migrations', file));
    repo.commit({}, 'release 1.0: orders and payment references', 'v1.0.0');
    for (const file of ['0003_backfill_order_currency.sql', '0004_drop_legacy_status.sql']) copyFileSync(join(demoMigrations, file), join(repo.path, 'migrations', file));
    repo.commit({ 'migrations/README.md': 'one file per migration\n' }, 'release 1.1: currency backfill, drop legacy status', 'v1.1.0');
  });

  it('flags 0004 as data-loss and 0003 as a backfill without reverse, at file:line, and exits 1', async () => {
    const result = await check(['--service', 'checkout-api', '--config', demoModel, '--repo', repo.path]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    const out = result.stdout;
    expect(out).toContain(`from HEAD (${git(repo.path, ['rev-parse', 'HEAD']).slice(0, 12)}) back to v1.0.0`);
    expect(out).toContain('DATA-LOSS  migrations/0003_backfill_order_currency.sql (no reverse migration)');
    expect(out).toContain('migrations/0003_backfill_order_currency.sql:2  data-loss  UPDATE orders SET currency = upper(currency) WHERE currency <> upper(currency)');
    expect(out).toContain('Rewrites existing rows of orders (a data backfill), and no reverse migration undoes it');
    expect(out).toContain('migrations/0004_drop_legacy_status.sql:4  data-loss  ALTER TABLE orders DROP COLUMN legacy_status');
    expect(out).toContain('migrations/0004_drop_legacy_status.sql:5  data-loss  DROP TABLE order_status_history');
    expect(out).toContain('migrations/README.md: not a .sql file');
    expect(out).toContain('Previous ReplicaSet: not checked: no kubeconfig found');
    expect(out).toMatch(/UNSAFE: 3 data-loss finding\(s\) in 2 migration\(s\)/);
    expect(out).not.toContain('0001_create_orders');
  });

  it('answers in JSON with every finding', async () => {
    const result = await check(['--service', 'checkout-api', '--config', demoModel, '--repo', repo.path, '--format', 'json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ service: 'checkout-api', layout: 'sql', paths: ['migrations'], from: { ref: 'HEAD' }, to: { ref: 'v1.0.0' }, verdict: { class: 'data-loss', safe: false } });
    expect(report.migrations.map((migration: { path: string; class: string }) => [migration.path, migration.class])).toEqual([
      ['migrations/0003_backfill_order_currency.sql', 'data-loss'],
      ['migrations/0004_drop_legacy_status.sql', 'data-loss'],
    ]);
    expect(report.migrations[1].findings.map((finding: { line: number; class: string }) => [finding.line, finding.class])).toEqual([
      [4, 'data-loss'],
      [5, 'data-loss'],
    ]);
    expect(report.replicaSet).toEqual({ status: 'not-checked', reason: expect.stringContaining('no kubeconfig found') });
  });

  it('finds the first release additive (safe, exit 0) with an explicit --to, and says so when no tag comes before --from', async () => {
    const safe = await check(['--service', 'checkout-api', '--config', demoModel, '--repo', repo.path, '--from', 'v1.0.0', '--to', initial, '--no-kubernetes']);
    expect(safe.code, safe.stderr).toBe(0);
    expect(safe.stdout).toContain('migrations/0002_add_payment_reference.sql:3  safe  CREATE INDEX CONCURRENTLY orders_payment_reference_idx ON orders (payment_reference)');
    expect(safe.stdout).toContain('Previous ReplicaSet: not checked: --no-kubernetes was given');
    expect(safe.stdout).toContain('SAFE: 2 migration(s), all additive');
    const noTag = await check(['--service', 'checkout-api', '--config', demoModel, '--repo', repo.path, '--from', 'v1.0.0']);
    expect(noTag.code).toBe(2);
    expect(noTag.stderr).toContain('no tag before v1.0.0 to roll back to');
  });

  it('turns the backfill into forward-fix once a down migration reverses it; the dropped column stays data-loss', async () => {
    const branch = createRepo('checkout-api-with-down');
    branch.commit({ 'migrations/0002_add_payment_reference.sql': 'ALTER TABLE orders ADD COLUMN payment_reference text;\n' }, 'one', 'v1.0.0');
    branch.commit(
      {
        'migrations/0003_backfill_order_currency.sql': "-- normalise\nUPDATE orders SET currency = upper(currency);\n",
        'migrations/0003_backfill_order_currency.down.sql': 'UPDATE orders SET currency = lower(currency);\n',
      },
      'two',
      'v1.1.0',
    );
    const result = await check(['--service', 'checkout-api', '--config', demoModel, '--repo', branch.path, '--format', 'json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.migrations).toEqual([
      expect.objectContaining({ path: 'migrations/0003_backfill_order_currency.sql', class: 'forward-fix', reverse: 'migrations/0003_backfill_order_currency.down.sql' }),
    ]);
    expect(report.migrations[0].findings[0]).toMatchObject({ line: 2, class: 'forward-fix' });
    const accepted = await check(['--service', 'checkout-api', '--config', demoModel, '--repo', branch.path, '--accept-forward-fix']);
    expect(accepted.code, accepted.stdout).toBe(0);
    expect(accepted.stdout).toContain('SAFE: 1 forward-fix finding(s), accepted with --accept-forward-fix');
  });

  it('rejects bad input with exit 2 and a clear reason', async () => {
    const base = ['--config', demoModel, '--repo', repo.path];
    const unknownService = await check(['--service', 'checkout', ...base]);
    expect([unknownService.code, unknownService.stderr]).toEqual([2, expect.stringContaining('unknown service "checkout"')]);
    const noMigrations = await check(['--service', 'auth-service', ...base]);
    expect([noMigrations.code, noMigrations.stderr]).toEqual([2, expect.stringContaining('service auth-service declares no migrations')]);
    const unknownRevision = await check(['--service', 'checkout-api', ...base, '--to', 'v0.9.0']);
    expect([unknownRevision.code, unknownRevision.stderr]).toEqual([2, expect.stringContaining('unknown git revision "v0.9.0"')]);
    const notARepo = await check(['--service', 'checkout-api', '--config', demoModel, '--repo', dir]);
    expect([notARepo.code, notARepo.stderr]).toEqual([2, expect.stringContaining('is not a git repository')]);
    const badFormat = await check(['--service', 'checkout-api', ...base, '--format', 'sarif']);
    expect([badFormat.code, badFormat.stderr]).toEqual([2, expect.stringContaining('use text or json')]);
  });

  it('reports SQL that does not parse at file:line:col with exit 2', async () => {
    const broken = createRepo('broken');
    broken.commit({ 'migrations/0001.sql': 'CREATE TABLE t (id int);\n' }, 'one', 'v1');
    broken.commit({ 'migrations/0002.sql': '-- oops\nALTER TABLE t\n  ADD COLUMN x texx ,;\n' }, 'two');
    const result = await check(['--service', 'checkout-api', '--config', demoModel, '--repo', broken.path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error SO_E_INPUT_INVALID: migration migrations/0002.sql is not valid PostgreSQL: syntax error at or near ";"');
    expect(result.stderr).toContain('migrations/0002.sql:3:22: syntax error at or near ";"');
  });
});

const teamDocument = `apiVersion: steadyops.dev/v1
kind: Team
metadata: {name: shop}
spec:
  members: [{name: Ada Lovelace, email: ada@shop.example}]
  timezone: UTC
`;

const layoutsModel = `${teamDocument}${['sql:plain', 'flyway:flyway', 'golang-migrate:gomigrate', 'prisma:prisma/migrations', 'rails:db/migrate', 'alembic:alembic']
  .map((entry) => {
    const [layout, path] = entry.split(':');
    return `---
apiVersion: steadyops.dev/v1
kind: Service
metadata: {name: ${layout}-svc}
spec:
  owner: shop
  tier: 2
  migrations: {paths: ["${path}"], layout: ${layout}}
`;
  })
  .join('')}`;

describe.skipIf(!hasGit)('steadyops rollback check across migration layouts', () => {
  let repo: Repo;
  const model = join(dir, 'layouts-model.yaml');

  beforeAll(() => {
    repo = createRepo('layouts');
    writeFileSync(model, layoutsModel);
    repo.commit(
      {
        'plain/0001_init.sql': 'CREATE TABLE orders (id int);\n',
        'flyway/V1__init.sql': 'CREATE TABLE orders (id int);\n',
        'gomigrate/000001_init.up.sql': 'CREATE TABLE orders (id int);\n',
        'gomigrate/000001_init.down.sql': 'DROP TABLE orders;\n',
        'prisma/migrations/20240101000000_init/migration.sql': 'CREATE TABLE "Order" (id int);\n',
        'prisma/migrations/migration_lock.toml': 'provider = "postgresql"\n',
        'db/migrate/20240101000000_init.rb': 'class Init < ActiveRecord::Migration[7.1]\n  def change\n    create_table :orders\n  end\nend\n',
        'alembic/env.py': 'from alembic import context\n',
        'alembic/versions/0001_init.py': 'from alembic import op\n\n\ndef upgrade():\n    op.create_table("orders")\n\n\ndef downgrade():\n    op.drop_table("orders")\n',
      },
      'v1',
      'v1',
    );
    repo.commit(
      {
        'plain/0002_add.sql': 'ALTER TABLE orders ADD COLUMN note text;\nCREATE INDEX orders_note ON orders (note);\n',
        'flyway/V2__rename.sql': 'ALTER TABLE orders RENAME COLUMN id TO order_id;\n',
        'flyway/V3__purge.sql': '\n\nDELETE FROM orders WHERE order_id < 0;\n',
        'flyway/U3__purge.sql': '-- nothing can bring rows back, but the undo exists\nSELECT 1;\n',
        'gomigrate/000002_drop.up.sql': 'ALTER TABLE orders DROP COLUMN id;\n',
        'gomigrate/000002_drop.down.sql': 'ALTER TABLE orders ADD COLUMN id int;\n',
        'prisma/migrations/20240201000000_status/migration.sql': '-- CreateEnum\nCREATE TYPE "Status" AS ENUM (\'open\');\n\n-- AlterTable\nALTER TABLE "Order" ADD COLUMN "status" "Status" NOT NULL;\n',
        'db/migrate/20240201000000_backfill.rb':
          'class Backfill < ActiveRecord::Migration[7.1]\n  def up\n    execute <<~SQL\n      UPDATE orders SET id = id + 1;\n    SQL\n  end\nend\n',
        'alembic/versions/0002_drop.py': 'from alembic import op\n\n\ndef upgrade():\n    op.drop_column("orders", "id")\n\n\ndef downgrade():\n    pass\n',
      },
      'v2',
      'v2',
    );
  });

  const run = async (service: string, ...extra: string[]) => {
    const result = await check(['--service', service, '--config', model, '--repo', repo.path, '--format', 'json', ...extra]);
    return { code: result.code, stderr: result.stderr, report: result.stdout ? JSON.parse(result.stdout) : undefined };
  };
  const findingsOf = (report: { migrations: { findings: { file: string; line: number; class: string }[] }[] }) =>
    report.migrations.flatMap((migration) => migration.findings.map((finding) => `${finding.file}:${finding.line} ${finding.class}`));

  it('sql: additive statements are safe, exit 0', async () => {
    const { code, report } = await run('sql-svc');
    expect(code).toBe(0);
    expect(findingsOf(report)).toEqual(['plain/0002_add.sql:1 safe', 'plain/0002_add.sql:2 safe']);
  });

  it('flyway: versions in order; an undo file turns a delete into forward-fix; exit 1 until accepted', async () => {
    const { code, report } = await run('flyway-svc');
    expect(code).toBe(1);
    expect(findingsOf(report)).toEqual(['flyway/V2__rename.sql:1 forward-fix', 'flyway/V3__purge.sql:3 forward-fix']);
    expect(report.migrations[1].reverse).toBe('flyway/U3__purge.sql');
    expect(report.skipped).toEqual([{ path: 'flyway/U3__purge.sql', reason: expect.stringContaining('reverse migration') }]);
    expect((await run('flyway-svc', '--accept-forward-fix')).code).toBe(0);
  });

  it('golang-migrate: a dropped column is data-loss although a down file exists', async () => {
    const { code, report } = await run('golang-migrate-svc');
    expect(code).toBe(1);
    expect(report.migrations).toEqual([expect.objectContaining({ path: 'gomigrate/000002_drop.up.sql', class: 'data-loss', reverse: 'gomigrate/000002_drop.down.sql' })]);
    expect(findingsOf(report)).toEqual(['gomigrate/000002_drop.up.sql:1 data-loss']);
  });

  it('prisma: migration.sql per folder; a NOT NULL column without default is forward-fix', async () => {
    const { code, report } = await run('prisma-svc');
    expect(code).toBe(1);
    expect(findingsOf(report)).toEqual(['prisma/migrations/20240201000000_status/migration.sql:2 safe', 'prisma/migrations/20240201000000_status/migration.sql:5 forward-fix']);
    expect(report.verdict).toMatchObject({ class: 'forward-fix', safe: false });
  });

  it('rails: SQL in an execute heredoc is read at its line in the .rb file', async () => {
    const { code, report } = await run('rails-svc');
    expect(code).toBe(1);
    expect(findingsOf(report)).toEqual(['db/migrate/20240201000000_backfill.rb:4 data-loss']);
  });

  it('alembic: op.drop_column in upgrade() is data-loss; downgrade() that passes is no reverse', async () => {
    const { code, report } = await run('alembic-svc');
    expect(code).toBe(1);
    expect(findingsOf(report)).toEqual(['alembic/versions/0002_drop.py:5 data-loss']);
    expect(report.migrations[0].reverse).toBeUndefined();
  });
});

describe.skipIf(!hasGit)('steadyops rollback check and the Deployment in the Kubernetes test API server', () => {
  let api: KubeApi;
  let repo: Repo;
  const model = join(dir, 'web-model.yaml');
  const deployment = (image: string): V1Deployment => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image }] } },
    },
  });

  beforeAll(async () => {
    api = await startKubeApi({ completeAfterMs: 50 });
    writeFileSync(
      model,
      `${teamDocument}---
apiVersion: steadyops.dev/v1
kind: Service
metadata: {name: web}
spec:
  owner: shop
  tier: 2
  runtime: {kind: kubernetes, namespace: shop, deployment: web, context: steadyops-test}
  migrations: {paths: [migrations], layout: golang-migrate}
---
apiVersion: steadyops.dev/v1
kind: Service
metadata: {name: ghost}
spec:
  owner: shop
  tier: 3
  runtime: {kind: kubernetes, namespace: shop, deployment: ghost}
  migrations: {paths: [migrations], layout: golang-migrate}
`,
    );
    repo = createRepo('web');
    repo.commit({ 'migrations/000001_init.up.sql': 'CREATE TABLE pages (id int);\n' }, 'v1', 'v1.0.0');
    repo.commit({ 'migrations/000002_slug.up.sql': 'ALTER TABLE pages ADD COLUMN slug text;\n', 'migrations/000002_slug.down.sql': 'ALTER TABLE pages DROP COLUMN slug;\n' }, 'v2', 'v1.1.0');

    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(api.kubeconfigPath);
    const apps = kubeConfig.makeApiClient(AppsV1Api);
    await apps.createNamespacedDeployment({ namespace: 'shop', body: deployment('shop/web:1.0') });
    const current = await apps.readNamespacedDeployment({ name: 'web', namespace: 'shop' });
    await apps.replaceNamespacedDeployment({ name: 'web', namespace: 'shop', body: { ...current, spec: deployment('shop/web:1.1').spec } });
    const replicaSets = await apps.listNamespacedReplicaSet({ namespace: 'shop' });
    expect(replicaSets.items.map((item) => item.metadata?.annotations?.['deployment.kubernetes.io/revision']).sort()).toEqual(['1', '2']);
  });
  afterAll(async () => {
    await api?.close();
  });

  it("names the previous ReplicaSet, its revision and image, from the Deployment's selector and owner", async () => {
    const result = await check(['--service', 'web', '--config', model, '--repo', repo.path, '--kubeconfig', api.kubeconfigPath]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Previous ReplicaSet: web-[0-9a-f]{10} \(revision 1, shop\/web:1\.0, \d replica\(s\)\) still exists in steadyops-test; kubectl rollout undo deployment\/web -n shop returns to it\. Current: web-[0-9a-f]{10} \(revision 2, shop\/web:1\.1/);
    expect(result.stdout).toContain('SAFE: 1 migration(s), all additive');

    const json = JSON.parse((await check(['--service', 'web', '--config', model, '--repo', repo.path, '--format', 'json'], { KUBECONFIG: api.kubeconfigPath })).stdout);
    expect(json.replicaSet).toMatchObject({ status: 'found', context: 'steadyops-test', namespace: 'shop', deployment: 'web', previous: { revision: 1, images: ['shop/web:1.0'] }, current: { revision: 2, images: ['shop/web:1.1'] } });
  });

  it('says plainly when the Deployment does not exist', async () => {
    const result = await check(['--service', 'ghost', '--config', model, '--repo', repo.path, '--kubeconfig', api.kubeconfigPath]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Previous ReplicaSet: none. Deployment shop/ghost does not exist in context steadyops-test.');
  });

  it('an unreachable cluster is "not checked" unless --kubeconfig or --context asked for it (then exit 3)', async () => {
    await api.stop();
    try {
      const implicit = await check(['--service', 'web', '--config', model, '--repo', repo.path], { KUBECONFIG: api.kubeconfigPath });
      expect(implicit.code, implicit.stderr).toBe(0);
      expect(implicit.stdout).toMatch(/Previous ReplicaSet: not checked: could not reach Kubernetes API http:\/\/127\.0\.0\.1:\d+/);
      const explicit = await check(['--service', 'web', '--config', model, '--repo', repo.path, '--kubeconfig', api.kubeconfigPath]);
      expect(explicit.code).toBe(3);
      expect(explicit.stderr).toMatch(/error SO_E_UNREACHABLE: could not reach Kubernetes API http:\/\/127\.0\.0\.1:\d+/);
      const wrongContext = await check(['--service', 'web', '--config', model, '--repo', repo.path, '--kubeconfig', api.kubeconfigPath, '--context', 'prod-eu']);
      expect([wrongContext.code, wrongContext.stderr]).toEqual([2, expect.stringContaining('no context prod-eu in the kubeconfig')]);
    } finally {
      await api.restart();
    }
  });
});
