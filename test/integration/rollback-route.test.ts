import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/lib/clock.ts';
import { loadModelOrThrow } from '../../src/model/load-model.ts';
import type { ResolvedModel } from '../../src/model/resolve.ts';
import type { ReleaseRollbackAnswer } from '../../src/release/rollback/release-rollback-check.ts';
import { testServer, type TestServer } from '../../src/server/test-support/test-server.ts';
import { repoRoot } from '../support/cli.ts';
import { deployEvent } from '../support/events.ts';
import { testTeam, writeModelDir } from '../support/model-dir.ts';
import { gitAvailable } from '../support/services.ts';

const hasGit = gitAvailable();

const now = new Date('2026-11-26T09:00:00Z');
const hourAgo = new Date(now.getTime() - 3_600_000);
const demoMigrations = join(repoRoot, 'examples', 'demo', 'migrations');

function git(repo: string, args: string[]): void {
  const env = { ...process.env, GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.com', GIT_COMMITTER_NAME: 'Ada', GIT_COMMITTER_EMAIL: 'ada@example.com', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
  execFileSync('git', ['-C', repo, ...args], { env, encoding: 'utf8' });
}

/** A repository whose v1.1.0 drops a column (data loss), and whose v1.1.1 changes no migration. */
function createRepository(path: string): void {
  mkdirSync(join(path, 'migrations'), { recursive: true });
  git(path, ['init', '-q', '-b', 'main']);
  const release = (files: string[], extra: Record<string, string>, tag: string) => {
    for (const file of files) copyFileSync(join(demoMigrations, file), join(path, 'migrations', file));
    for (const [file, content] of Object.entries(extra)) writeFileSync(join(path, file), content);
    git(path, ['add', '--all']);
    git(path, ['commit', '-q', '--allow-empty', '-m', tag]);
    git(path, ['tag', tag]);
  };
  release(['0001_create_orders.sql', '0002_add_payment_reference.sql'], { 'README.md': 'checkout-api\n' }, 'v1.0.0');
  release(['0003_backfill_order_currency.sql', '0004_drop_legacy_status.sql'], {}, 'v1.1.0');
  release([], { 'README.md': 'checkout-api, now with docs\n' }, 'v1.1.1');
}

const deploy = (n: number, service: string, version: string, previousVersion?: string) => {
  const draft = deployEvent(n, hourAgo);
  return { ...draft, event: { ...draft.event, subject: service, environment: 'production', data: { service, environment: 'production', version, ...(previousVersion ? { previousVersion } : {}) } } };
};

describe.skipIf(!hasGit)('GET /api/v1/rollback/check against a real git repository', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steadyops-rollback-route-'));
  let model: ResolvedModel;
  let server: TestServer;

  beforeAll(async () => {
    createRepository(dir);
    const folder = writeModelDir(dir, [
      testTeam,
      { kind: 'Service', name: 'checkout-api', spec: { owner: 'payments', tier: 1, migrations: { paths: ['migrations'], layout: 'sql' } } },
      { kind: 'Service', name: 'docs-api', spec: { owner: 'payments', tier: 3, migrations: { paths: ['migrations'], layout: 'sql' } } },
      { kind: 'Service', name: 'billing-api', spec: { owner: 'payments', tier: 2, migrations: { paths: ['migrations'], layout: 'sql' } } },
      { kind: 'Service', name: 'search-api', spec: { owner: 'payments', tier: 2 } },
      { kind: 'Service', name: 'quiet-api', spec: { owner: 'payments', tier: 3 } },
    ]);
    model = (await loadModelOrThrow(folder, dir)).model;
    server = await testServer({ clock: fixedClock(now), model: { current: () => model }, repositoryRoot: dir });
    await server.ledger.append([
      deploy(1, 'checkout-api', 'v1.1.0', 'v1.0.0'),
      deploy(2, 'docs-api', 'v1.1.1', 'v1.1.0'),
      deploy(3, 'search-api', 'v9.9.9', 'v9.9.8'),
      deploy(4, 'checkout-api', 'v1.0.0'),
      deploy(6, 'billing-api', 'v3.25.12', 'v1.1.1'),
    ]);
  }, 60_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const check = async (query: string): Promise<ReleaseRollbackAnswer> => {
    const response = await server.app.inject({ url: `/api/v1/rollback/check?${query}`, headers: server.auth('viewer') });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as ReleaseRollbackAnswer;
  };

  it("says the newest release's rollback loses data, naming the migrations and the deploy event", async () => {
    // the newest checkout-api deploy names no previous version: nothing to compare, said as such
    expect(await check('service=checkout-api')).toMatchObject({ verdict: 'unknown', reason: expect.stringContaining('no version and previous version'), release: { version: 'v1.0.0' } });
    await server.ledger.append([deploy(5, 'checkout-api', 'v1.1.0', 'v1.0.0')]);
    const answer = await check('service=checkout-api&env=production');
    expect(answer).toMatchObject({
      service: 'checkout-api',
      verdict: 'data-loss-risk',
      release: { version: 'v1.1.0', previousVersion: 'v1.0.0', environment: 'production', id: 'deploy-5' },
      migrations: { from: 'v1.1.0', to: 'v1.0.0', count: 2, class: 'data-loss' },
    });
    expect(answer.reason).toMatch(/data-loss/);
  });

  it('says a release that changes no migration is safe to roll back', async () => {
    expect(await check('service=docs-api')).toMatchObject({ verdict: 'safe', migrations: { from: 'v1.1.1', to: 'v1.1.0', count: 0, class: 'safe' } });
  });

  it('says "unknown" with the reason when it cannot answer: no migrations in the model, no release in 24 hours, another environment', async () => {
    expect(await check('service=search-api')).toMatchObject({ verdict: 'unknown', reason: expect.stringContaining('declares no migrations'), release: { version: 'v9.9.9' } });
    expect(await check('service=quiet-api')).toEqual({ service: 'quiet-api', verdict: 'unknown', reason: 'quiet-api has no finished deploy in the last 24 hours' });
    expect(await check('service=checkout-api&env=staging')).toMatchObject({ verdict: 'unknown', reason: 'checkout-api has no finished deploy in staging in the last 24 hours' });
  });

  it("names no path of the server's disk in its reasons, only the model's folder", async () => {
    const unknownTag = await server.app.inject({ url: '/api/v1/rollback/check?service=billing-api', headers: server.auth('viewer') });
    expect(unknownTag.json()).toMatchObject({ verdict: 'unknown', reason: `unknown git revision "v3.25.12" in the model's folder` });
    expect(unknownTag.body).not.toContain(dir);
    expect(unknownTag.body).not.toContain(realpathSync(dir));

    const plainFolder = mkdtempSync(join(tmpdir(), 'steadyops-rollback-plain-'));
    try {
      const elsewhere = await testServer({ clock: fixedClock(now), model: { current: () => model }, repositoryRoot: plainFolder });
      await elsewhere.ledger.append([deploy(1, 'billing-api', 'v1.1.0', 'v1.0.0')]);
      const notGit = await elsewhere.app.inject({ url: '/api/v1/rollback/check?service=billing-api', headers: elsewhere.auth('viewer') });
      expect(notGit.json()).toMatchObject({ verdict: 'unknown', reason: "the model's folder is not a git repository" });
      expect(notGit.body).not.toContain(plainFolder);
      expect(notGit.body).not.toContain(realpathSync(plainFolder));
    } finally {
      rmSync(plainFolder, { recursive: true, force: true });
    }
  });

  it('needs a token and a service; answers 503 without a repository', async () => {
    expect((await server.app.inject({ url: '/api/v1/rollback/check?service=checkout-api' })).statusCode).toBe(401);
    const missing = await server.app.inject({ url: '/api/v1/rollback/check', headers: server.auth('viewer') });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ code: 'SO_E_INPUT_INVALID', detail: expect.stringContaining('querystring.service') });
    const bare = await testServer({ model: { current: () => model } });
    const unconfigured = await bare.app.inject({ url: '/api/v1/rollback/check?service=checkout-api', headers: bare.auth('viewer') });
    expect(unconfigured.statusCode).toBe(503);
    expect(unconfigured.json()).toMatchObject({ code: 'SO_E_NOT_CONFIGURED' });
  });
});
