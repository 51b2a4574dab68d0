import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../../../test/support/cli.ts';
import { fixedClock } from '../../lib/clock.ts';

const clock = fixedClock('2026-11-26T09:00:00Z');
let dir: string;

beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'runbook-cli-')));
  for (const folder of ['.steadyops', 'runbooks', 'monitoring']) cpSync(join(repoRoot, 'examples/demo', folder), join(dir, folder), { recursive: true });
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const runbook = (args: readonly string[]) => runCli(['runbook', ...args], { cwd: dir, clock });

describe('steadyops runbook lint', () => {
  it("finds only the demo's planted gap: NodeDiskFilling has no runbook", async () => {
    const result = await runbook(['lint']);
    expect(result.stdout).toBe(
      'monitoring/alerts.yaml:24:1: alert NodeDiskFilling has no runbook annotation, no model route with a runbook and no runbook listing it [alert-runbook]\n1 finding(s) in 10 runbook(s)\n',
    );
    expect(result.code).toBe(1);
  });

  it('exits 0 when clean, and reports findings at file:line:col in json', async () => {
    writeFileSync(join(dir, 'monitoring/alerts.yaml'), 'groups: []\n');
    expect(await runbook(['lint'])).toMatchObject({ code: 0, stdout: '10 runbook(s), no findings\n' });
    const file = join(dir, 'runbooks/fraud-scorer.md');
    writeFileSync(file, readFileSync(file, 'utf8').replace('## Rollback', '## Undo').replace('Check the MaxMind', '$ kubectl get pods -n payments\n\nCheck the MaxMind'));
    const result = await runbook(['lint', '--format', 'json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      runbooks: 10,
      findings: [
        { rule: 'rollback', file: 'runbooks/fraud-scorer.md', line: 1, column: 1, message: 'fraud-scorer is tier 1 and its runbook has no "Rollback" section' },
        expect.objectContaining({ rule: 'fenced-commands', file: 'runbooks/fraud-scorer.md', line: 18, column: 1 }),
      ],
    });
  });

  it('exits 2 without a model', async () => {
    rmSync(join(dir, '.steadyops'), { recursive: true });
    expect((await runbook(['lint'])).code).toBe(2);
  });
});

describe('steadyops runbook new', () => {
  it('writes a runbook that passes the lint, and refuses to overwrite it without --force', async () => {
    rmSync(join(dir, 'runbooks/checkout-api.md'));
    const written = await runbook(['new', '--service', 'checkout-api']);
    expect(written).toMatchObject({ code: 0, stdout: 'wrote runbooks/checkout-api.md\n' });
    const text = readFileSync(join(dir, 'runbooks/checkout-api.md'), 'utf8');
    expect(text).toContain('kubectl --context prod-eu rollout undo deployment/checkout-api -n payments');
    expect(text).toContain('lastReviewed: 2026-11-26');
    writeFileSync(join(dir, 'monitoring/alerts.yaml'), 'groups: []\n');
    expect(await runbook(['lint'])).toMatchObject({ code: 0 });

    const again = await runbook(['new', '--service', 'checkout-api']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('runbooks/checkout-api.md already exists; pass --force to overwrite it');
    expect((await runbook(['new', '--service', 'checkout-api', '--force'])).code).toBe(0);
  });

  it('writes where --out says, and rejects an unknown service', async () => {
    expect(await runbook(['new', '--service', 'search-api', '--out', 'docs/search.md'])).toMatchObject({ code: 0, stdout: 'wrote docs/search.md\n' });
    expect(readFileSync(join(dir, 'docs/search.md'), 'utf8')).toContain('kubectl --context prod-eu get pods -n web -o wide');
    const unknown = await runbook(['new', '--service', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('service nope was not found');
  });
});
