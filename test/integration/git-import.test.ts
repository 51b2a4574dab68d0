import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerImportGitCommand } from '../../src/cli/commands/import-git.ts';
import { importGitHistory } from '../../src/connectors/git/import-git-history.ts';
import { createSubjectResolver } from '../../src/connectors/resolve-subject.ts';
import type { EventToAppend } from '../../src/ledger/types.ts';
import { reportError } from '../../src/cli/exit-code.ts';
import { withRuntime } from '../../src/cli/runtime.ts';
import { validateEventData } from '../../src/ledger/event-types.ts';
import type { LedgerEvent } from '../../src/ledger/types.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { fakeCli } from '../fixtures/model/fake-cli-context.ts';
import { repoRoot } from '../support/cli.ts';
import { reportMissingService } from '../support/services.ts';

const gitVersion = (() => {
  try {
    return execFileSync('git', ['--version'], { encoding: 'utf8' });
  } catch (error) {
    reportMissingService('git', (error as Error).message);
    return undefined;
  }
})();

const dir = mkdtempSync(join(tmpdir(), 'steadyops-git-'));
const repo = join(dir, 'checkout-api');
const db = `sqlite:${join(dir, 'store', 'steadyops.db')}`;
const identity = { GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.com', GIT_COMMITTER_NAME: 'Ada', GIT_COMMITTER_EMAIL: 'ada@example.com' };
const shas: Record<string, string> = {};

function git(args: string[], at?: string, email?: string): string {
  const env = {
    ...process.env,
    ...identity,
    ...(email ? { GIT_AUTHOR_EMAIL: email } : {}),
    ...(at ? { GIT_AUTHOR_DATE: at, GIT_COMMITTER_DATE: at } : {}),
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
  };
  return execFileSync('git', ['-C', repo, ...args], { env, encoding: 'utf8' }).trim();
}

function commit(file: string, message: string, at: string, email?: string): string {
  writeFileSync(join(repo, file), `${message}\n`);
  git(['add', file]);
  git(['commit', '-q', '-m', message], at, email);
  return git(['rev-parse', 'HEAD']);
}

async function run(args: string[], config?: string) {
  const cli = fakeCli(dir, { db, ...(config ? { config } : {}) });
  await cli.run(registerImportGitCommand, ['git', ...args]);
  return cli;
}

async function ledgerEvents(): Promise<LedgerEvent[]> {
  return withRuntime({ db, cwd: dir, env: {}, clock: fixedClock('2026-01-05T09:00:00Z') }, ({ ledger }) => ledger.query({ limit: 1_000 }));
}

beforeAll(() => {
  if (!gitVersion) return;
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  git(['remote', 'add', 'origin', 'https://github.com/Northwind/checkout-api.git']);
  shas.first = commit('README.md', 'initial', '2025-12-20T10:00:00Z');
  shas.second = commit('app.ts', 'feat: checkout', '2026-01-03T08:00:00+02:00', 'bo@example.com');
  git(['checkout', '-q', '-b', 'feature/retry']);
  shas.feature = commit('retry.ts', 'feat: retry budget', '2026-01-03T12:00:00Z');
  git(['checkout', '-q', 'main']);
  git(['merge', '-q', '--no-ff', 'feature/retry', '-m', "Merge branch 'feature/retry'"], '2026-01-04T10:00:00Z');
  shas.merge = git(['rev-parse', 'HEAD']);
  git(['tag', '-a', 'v1.0.0', '-m', 'release 1.0.0'], '2026-01-04T11:00:00Z');
  git(['tag', 'old-light', shas.first!]);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(gitVersion)('steadyops import git against a real repository', () => {
  it('imports first-parent commits, the merge and the tags, with commit times and the model subject', async () => {
    const cli = await run(['--repo', repo], join(repoRoot, 'examples/demo/.steadyops'));
    expect(cli.out()).toBe('imported 2 commits, 1 merges, 2 tags (0 already in the ledger)\n');
    const events = await ledgerEvents();
    const byId = new Map(events.map((event) => [event.id, event]));
    expect(byId.size).toBe(5);
    // the feature commit is reached through the merge, not listed on its own (first parent)
    expect(byId.has(shas.feature!)).toBe(false);
    for (const event of events) {
      expect(event.source).toBe('/git/northwind/checkout-api');
      expect(event.subject).toBe('checkout-api');
      expect(validateEventData(event.type, event.data)).toEqual({ ok: true });
    }
    expect(byId.get(shas.second!)).toMatchObject({
      type: 'dev.steadyops.git.commit',
      time: '2026-01-03T08:00:00+02:00', // the committer's own offset is kept
      actor: 'git:bo@example.com',
      data: { branch: 'main', message: 'feat: checkout', author: 'bo@example.com' },
    });
    expect(new Date(byId.get(shas.first!)!.time).toISOString()).toBe('2025-12-20T10:00:00.000Z');
    expect(byId.get(shas.merge!)).toMatchObject({
      type: 'dev.steadyops.git.merge',
      data: { sourceBranch: 'feature/retry', parents: [shas.second, shas.feature] },
    });
    expect(new Date(byId.get(shas.merge!)!.time).toISOString()).toBe('2026-01-04T10:00:00.000Z');
    expect(byId.get('tag:v1.0.0')).toMatchObject({ type: 'dev.steadyops.git.tag', data: { sha: shas.merge, annotated: true } });
    expect(new Date(byId.get('tag:v1.0.0')!.time).toISOString()).toBe('2026-01-04T11:00:00.000Z');
    expect(byId.get('tag:old-light')).toMatchObject({ data: { sha: shas.first, annotated: false } });
  });

  it('stores nothing twice when the same history is imported again', async () => {
    const cli = await run(['--repo', repo, '--format', 'json']);
    expect(JSON.parse(cli.out())).toMatchObject({ repo: 'northwind/checkout-api', branch: 'main', commits: 2, merges: 1, tags: 2, duplicates: 5 });
    expect(await ledgerEvents()).toHaveLength(5);
  });

  it('limits the import with --since (fake clock 2026-01-05T09:00Z) and follows another branch with --branch', async () => {
    const recent = await run(['--repo', repo, '--since', '3d', '--service', 'payments-gateway', '--format', 'json']);
    // 2026-01-02T09:00Z onwards: the second commit, the merge and the annotated tag
    expect(JSON.parse(recent.out())).toMatchObject({ subject: 'payments-gateway', commits: 1, merges: 1, tags: 1, duplicates: 3 });
    const branch = await run(['--repo', repo, '--branch', 'feature/retry', '--since', '2026-01-03T11:00:00Z', '--format', 'json']);
    expect(JSON.parse(branch.out())).toMatchObject({ branch: 'feature/retry', commits: 1, merges: 0, tags: 0, duplicates: 0 });
    expect((await ledgerEvents()).find((event) => event.id === shas.feature)).toMatchObject({ data: { branch: 'feature/retry' } });
  });

  it('appends in batches of the given size and reports progress after each', async () => {
    const batches: number[] = [];
    const progress: number[] = [];
    await withRuntime({ db, cwd: dir, env: {}, clock: fixedClock('2026-01-05T09:00:00Z') }, ({ ledger }) =>
      importGitHistory(
        { ...ledger, append: (events: readonly EventToAppend[]) => (batches.push(events.length), ledger.append(events)) },
        { repo, batchSize: 2, resolve: createSubjectResolver(undefined), onProgress: (summary) => progress.push(summary.duplicates) },
      ),
    );
    expect(batches).toEqual([2, 2, 1]);
    expect(progress).toEqual([2, 4, 5]);
  });

  it.each([
    { name: 'a folder that is not a repository', args: ['--repo', dir], message: /not a git repository/ },
    { name: 'a branch that does not exist', args: ['--repo', repo, '--branch', 'nope'], message: /git rev-parse failed/ },
  ])('rejects $name with git\'s message, exit 2, nothing written', async ({ args, message }) => {
    const before = (await ledgerEvents()).length;
    const error = await run(args).then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(error).toMatchObject({ code: 'SO_E_INPUT_INVALID', message });
    expect(reportError(error).exitCode).toBe(2);
    expect(await ledgerEvents()).toHaveLength(before);
  });
});
