import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../../../test/support/cli.ts';
import { fixedClock } from '../../lib/clock.ts';
import { seedDemoLedger } from '../demo.ts';
import { openRuntime } from '../runtime.ts';

const fixture = join(repoRoot, 'test/fixtures/audit-small');
const demo = join(repoRoot, 'examples/demo');
const day1 = fixedClock('2026-11-26T09:00:00Z');
const day2 = fixedClock('2026-11-27T09:00:00Z');

interface JsonReport {
  run: { findings: Array<{ fingerprint: string; controlId: string; resource: string; status: string; acceptance?: { acceptedBy: string } }> };
  summary: { open: number; riskAccepted: number };
  comparison?: { fixed: Array<{ controlId: string; resource: string }>; new: Array<{ controlId: string; resource: string }>; regressed: unknown[]; unchanged: number };
}

let dir: string;
let repo: string;

beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'audit-cli-')));
  repo = join(dir, 'repo');
  cpSync(fixture, repo, { recursive: true });
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const audit = (args: readonly string[], clock = day1) => runCli(['audit', ...args], { cwd: dir, clock });
const json = (stdout: string) => JSON.parse(stdout) as JsonReport;
const findingsOf = (report: JsonReport) => report.run.findings.map((finding) => `${finding.controlId} ${finding.resource}`);
const editFile = (file: string, edit: (text: string) => string) => writeFileSync(join(repo, file), edit(readFileSync(join(repo, file), 'utf8')));

async function createLedger(seed = false): Promise<string> {
  const db = `sqlite:${join(dir, 'steadyops.db')}`;
  const runtime = await openRuntime({ db, cwd: dir, env: {}, clock: day1 });
  if (seed) await seedDemoLedger(runtime.ledger, day1.now());
  await runtime.close();
  return db;
}

describe('steadyops audit on a small repository', () => {
  it('audits without a ledger when the database does not exist, and says so', async () => {
    const result = await audit(['repo']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('ledger: none at .steadyops/steadyops.db; the ledger controls do not apply and the run is not recorded');
    expect(result.stdout).toContain(`steadyops audit of ${repo}`);
    expect(result.stdout).toContain('Open findings: 5');
  });

  it('exits 1 when an open finding is at or above --fail-on', async () => {
    expect((await audit(['repo', '--fail-on', 'high'])).code).toBe(1);
    expect((await audit(['repo', '--fail-on', 'medium'])).code).toBe(1);
    expect((await audit(['repo', '--fail-on', 'critical'])).code).toBe(0);
  });

  it('writes the report to --out', async () => {
    const result = await audit(['repo', '--format', 'json', '--out', 'audit.json', '--no-ledger']);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toContain('audit report (json) written to audit.json: 5 open findings');
    expect(findingsOf(json(readFileSync(join(dir, 'audit.json'), 'utf8')))).toEqual([
      'OBS-002 Service orders',
      'OWN-005 Service storefront',
      'OWN-005 Service orders',
      'REL-001 Service orders',
      'RUN-006 Deployment shop/orders',
    ]);
  });

  it('shows what was fixed and what is new since --baseline', async () => {
    await audit(['repo', '--format', 'json', '--out', 'previous.json', '--no-ledger']);
    editFile('k8s/orders.yaml', (text) => text.replace(':latest', ':2.0.1'));
    editFile('k8s/storefront.yaml', (text) => text.replace(':1.4.2', ':latest'));
    const result = await audit(['repo', '--format', 'json', '--baseline', 'previous.json', '--no-ledger'], day2);
    expect(result.code).toBe(0);
    const { comparison } = json(result.stdout);
    expect(comparison).toMatchObject({ fixed: [{ controlId: 'RUN-006', resource: 'Deployment shop/orders' }], new: [{ controlId: 'RUN-006', resource: 'Deployment shop/storefront' }], regressed: [], unchanged: 4 });
    const text = await audit(['repo', '--baseline', 'previous.json', '--no-ledger'], day2);
    expect(text.stdout).toContain('Since 2026-11-26T09:00:00.000Z: 1 fixed, 1 new, 0 regressed, 4 unchanged');
  });

  it.each([
    ['a missing folder', ['missing'], /missing is not a folder/],
    ['an unknown --fail-on', ['repo', '--fail-on', 'severe'], /--fail-on severe is not a severity/],
    ['an unknown --format', ['repo', '--format', 'pdf'], /--format pdf is not supported here/],
    ['a baseline that does not exist', ['repo', '--baseline', 'nope.json'], /--baseline nope\.json cannot be read \(ENOENT\)/],
  ])('exits 2 on %s', async (_name, args, message) => {
    const result = await audit(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('exits 2 on a baseline that is not a JSON report, naming the file', async () => {
    writeFileSync(join(dir, 'previous.json'), JSON.stringify({ version: 'something else' }));
    const result = await audit(['repo', '--baseline', 'previous.json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error SO_E_INPUT_INVALID: previous.json is not an audit report written with --format json');
    expect(result.stderr).toContain('previous.json: run: ');
  });
});

describe('with a ledger', () => {
  it('records runs; an accepted finding is risk-accepted in the next run and no longer fails --fail-on', async () => {
    const db = await createLedger();
    const first = json((await audit(['repo', '--db', db, '--format', 'json'])).stdout);
    const highs = first.run.findings.filter((finding) => ['REL-001', 'RUN-006'].includes(finding.controlId));
    for (const high of highs) {
      const accepted = await runCli(
        ['audit', 'accept', high.fingerprint, 'repo', '--db', db, '--reason', 'fixed by the orders rewrite in Q1', '--expires', '30d', '--by', 'dana@shop.example'],
        { cwd: dir, clock: day1 },
      );
      expect(accepted.code, accepted.stderr).toBe(0);
      expect(accepted.stdout).toMatch(new RegExp(`^Accepted the risk of ${high.fingerprint} until 2026-12-26T09:00:00.000Z \\(by dana@shop.example, ledger seq \\d+\\)`));
    }
    const second = await audit(['repo', '--db', db, '--format', 'json', '--fail-on', 'high'], day2);
    expect(second.code).toBe(0);
    const report = json(second.stdout);
    expect(report.summary).toMatchObject({ open: 3, riskAccepted: 2 });
    expect(report.run.findings.filter((finding) => finding.status === 'risk-accepted').map((finding) => finding.acceptance?.acceptedBy)).toEqual(['dana@shop.example', 'dana@shop.example']);
  });

  it('refuses an acceptance that breaks the rules, with exit 2', async () => {
    const db = await createLedger();
    await audit(['repo', '--db', db]);
    const accept = (args: readonly string[]) => runCli(['audit', 'accept', ...args, '--db', db], { cwd: dir, clock: day1 });
    expect((await accept(['0123456789abcdef', 'repo', '--reason', 'long enough reason', '--expires', '30d', '--by', 'dana'])).stderr).toContain('finding 0123456789abcdef in the latest audit run');
    const short = await accept(['0123456789abcdef', 'repo', '--reason', 'short', '--expires', '30d', '--by', 'dana']);
    expect(short).toMatchObject({ code: 2, stderr: expect.stringContaining('at least 10 characters') });
    expect((await accept(['0123456789abcdef', 'repo', '--reason', 'long enough reason', '--expires', '1y', '--by', 'dana'])).code).toBe(2);
    expect((await accept(['0123456789abcdef', 'repo', '--reason', 'long enough reason', '--expires', '30d'])).stderr).toContain('say who accepts the risk');
  });
});

describe('steadyops backlog', () => {
  it('prints the backlog grouped by milestone, with why', async () => {
    const result = await runCli(['backlog', 'repo', '--no-ledger'], { cwd: dir, clock: day1 });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.filter((line) => /^\S/.test(line))).toEqual([
      `Reliability backlog of ${repo} (2026-11-26T09:00:00.000Z): 5 open findings`,
      'Stabilize: fix the highest-risk gaps first (2)',
      'Measure: make reliability measurable and evidenced (1)',
      'Document: write it down and tidy up (2)',
    ]);
    expect(lines.filter((line) => /^\s+\d+\. /.test(line)).map((line) => line.trim().split(/\s+/).slice(0, 2).join(' '))).toEqual(['1. REL-001', '2. RUN-006', '3. OBS-002', '4. OWN-005', '5. OWN-005']);
    expect(result.stdout).toContain(
      'why: high (weight 8) x tier-2 service orders with 1 dependent (blast radius 4) x no ledger history (likelihood 1) / effort S (1) = priority 32; stabilize: a high-risk gap in how production runs.',
    );
  });

  it('filters by team and limit, as JSON', async () => {
    const result = await runCli(['backlog', 'repo', '--team', 'shop', '--limit', '2', '--format', 'json', '--no-ledger'], { cwd: dir, clock: day1 });
    const body = JSON.parse(result.stdout) as { open: number; team: string; limit: number; items: Array<{ rank: number; finding: { controlId: string } }> };
    expect(body).toMatchObject({ open: 5, team: 'shop', limit: 2 });
    expect(body.items.map((item) => [item.rank, item.finding.controlId])).toEqual([
      [1, 'REL-001'],
      [2, 'RUN-006'],
    ]);
    expect((await runCli(['backlog', 'repo', '--limit', '0'], { cwd: dir })).code).toBe(2);
  });
});

describe('steadyops audit controls', () => {
  it('lists the catalog as text, JSON and Markdown', async () => {
    const text = await runCli(['audit', 'controls'], { cwd: dir });
    expect(text.stdout).toMatch(/^ID\s+DOMAIN\s+SEVERITY\s+EFFORT\s+TITLE\n/);
    expect(text.stdout).toMatch(/REL-001\s+release\s+high\s+S\s+Service has no rollback criteria/);
    const controls = JSON.parse((await runCli(['audit', 'controls', '--format', 'json'], { cwd: dir })).stdout) as Array<{ id: string; soc2: string[] }>;
    expect(controls.length).toBeGreaterThanOrEqual(60);
    expect(controls.find((control) => control.id === 'REL-001')?.soc2.length).toBeGreaterThan(0);
    expect((await runCli(['audit', 'controls', '--format', 'markdown'], { cwd: dir })).stdout).toContain('| REL-001 | release | high | S | Service has no rollback criteria |');
  });
});

describe('steadyops audit examples/demo', () => {
  it('finds the planted gaps; --fail-on high fails, the backlog starts with stabilizing', async () => {
    const result = await runCli(['audit', demo, '--format', 'json', '--no-ledger', '--fail-on', 'high'], { cwd: dir, clock: day1 });
    expect(result.code).toBe(1);
    const found = findingsOf(json(result.stdout));
    expect(found).toContain('REL-001 Service billing-scheduler');
    expect(found).toContain('REL-001 Service notification-worker');
    expect(found).toContain('OBS-002 Service billing-scheduler');
    expect((await runCli(['audit', demo, '--no-ledger', '--fail-on', 'critical'], { cwd: dir, clock: day1 })).code).toBe(0);
    const backlog = await runCli(['backlog', demo, '--no-ledger', '--limit', '3'], { cwd: dir, clock: day1 });
    expect(backlog.stdout.split('\n')[2]).toBe('Stabilize: fix the highest-risk gaps first (3)');
  });

  it('with the demo ledger: likelihood from its incidents and deploys, and its own audit records add no finding', async () => {
    const db = await createLedger(true);
    const first = json((await runCli(['audit', demo, '--db', db, '--format', 'json'], { cwd: dir, clock: day1 })).stdout);
    const second = json((await runCli(['audit', demo, '--db', db, '--format', 'json'], { cwd: dir, clock: day1 })).stdout);
    expect(findingsOf(second)).toEqual(findingsOf(first));
    const backlog = await runCli(['backlog', demo, '--db', db, '--format', 'json'], { cwd: dir, clock: day1 });
    const items = (JSON.parse(backlog.stdout) as { items: Array<{ rank: number; milestone: string; priority: number; why: string }> }).items;
    expect(items.map((item) => item.rank)).toEqual(items.map((_, index) => index + 1));
    expect(items[0]!.milestone).toBe('stabilize');
    expect(items.some((item) => / [1-9]\d* incidents? and \d+ production deploys? in 30 days/.test(item.why))).toBe(true);
  });
});

describe('steadyops audit without a model', () => {
  it('still audits the files, and says what a model would add', async () => {
    rmSync(join(repo, '.steadyops'), { recursive: true, force: true });
    const run = await audit([repo]);
    expect(run.stderr).toContain('ledger: none');
    expect(run.stdout).toMatch(/Without an ownership model, \d+ controls could not run \(ACC-\d{3}, .*\): an ownership model says who owns each service/);
    expect(run.stdout).toContain('`steadyops init` drafts one');
    const report = JSON.parse((await audit([repo, '--format', 'json'])).stdout) as { summary: { wouldAdd: Array<{ source: string; controls: string[] }> } };
    expect(report.summary.wouldAdd.find((missing) => missing.source === 'model')?.controls).toEqual(expect.arrayContaining(['REL-001', 'OBS-001', 'RUN-011']));
  });
});
