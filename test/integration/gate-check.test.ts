import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/lib/clock.ts';
import type { GateOutcome } from '../../src/release/gate-service.ts';
import { runCli } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'steadyops-gate-'));
// a Thursday morning in Berlin: no freeze window of the demo's tier-1 policy applies
const thursday = fixedClock('2026-11-26T09:00:00Z');
const demoModel = join(process.cwd(), 'examples/demo/.steadyops');
const cli = (args: string[], options: { config?: string; env?: NodeJS.ProcessEnv; db?: string } = {}) =>
  runCli(['--db', `sqlite:${join(dir, options.db ?? 'steadyops.db')}`, '--config', options.config ?? demoModel, ...args], {
    cwd: dir,
    clock: thursday,
    ...(options.env ? { env: options.env } : {}),
  });
const check = (service: string, release: string, ...extra: string[]) =>
  cli(['gate', 'check', '--service', service, '--env', 'production', '--release', release, '--format', 'json', ...extra]);
const outcomeOf = (stdout: string) => JSON.parse(stdout) as GateOutcome;
const result = (outcome: GateOutcome, type: string) => outcome.results.find((entry) => entry.type === type);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('steadyops gate check on the demo organisation', () => {
  it('allows a release its policy has nothing against, denies one it cannot clear, and records both decisions', async () => {
    const allow = await cli(['gate', 'check', '--service', 'search-api', '--env', 'production', '--release', 'v1.4.0']);
    expect(allow.code, allow.stderr).toBe(0);
    expect(allow.stdout).toMatch(/^ALLOW: search-api v1.4.0 to production \(release policy standard, ledger seq \d+\)/);

    const deny = await check('checkout-api', 'v3.28.0', '--author', 'tomas-ruiz');
    expect(deny.code, deny.stderr).toBe(1);
    const decision = outcomeOf(deny.stdout);
    expect(decision.decision).toBe('deny');
    expect(result(decision, 'approvals')).toMatchObject({ outcome: 'fail', reason: 'The release has 0 of the 1 approval it needs (the author does not count).' });
    expect(result(decision, 'rollbackPlan')?.outcome).toBe('pass');

    const recorded = await cli(['changes', '--since', '5m', '--type', 'dev.steadyops.gate.decided', '--format', 'json']);
    const events = (JSON.parse(recorded.stdout) as { events: Array<{ subject: string; data: { decision: string; checks: unknown[] } }> }).events;
    expect(events.map((event) => [event.subject, event.data.decision])).toEqual([
      ['checkout-api', 'deny'],
      ['search-api', 'allow'],
    ]);
    expect(events[0]?.data.checks.length).toBe(7);

    const unknown = await cli(['gate', 'check', '--service', 'nope', '--env', 'production', '--release', 'v1']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown service "nope"');
    const badEnv = await check('checkout-api', 'v1', '--env', 'prod');
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toContain('unknown environment "prod"');
  });

  it('counts approvals by distinct people other than the author, and only for the version approved', async () => {
    const release = 'v3.29.0';
    const approve = (who: string, version = release) => cli(['gate', 'approve', '--service', 'checkout-api', '--release', version, '--approver', who]);
    expect((await approve('tomas.ruiz@northwindpay.example')).code).toBe(0); // the author, by email
    expect((await approve('priya-nair', 'v3.28.9')).code).toBe(0); // another version
    const stillDenied = outcomeOf((await check('checkout-api', release, '--author', 'tomas-ruiz')).stdout);
    expect(result(stillDenied, 'approvals')?.outcome).toBe('fail');

    const approved = await approve('priya-nair');
    expect(approved.stdout).toMatch(/^Approved checkout-api v3.29.0 \(ledger seq \d+\)/);
    const nowAllowed = await check('checkout-api', release, '--author', 'tomas-ruiz');
    const outcome = outcomeOf(nowAllowed.stdout);
    expect(result(outcome, 'approvals')).toMatchObject({ outcome: 'pass', inputs: { counted: ['priya-nair'] } });
  });

  it('lets an approver override a deny with a reason; every later report shows it', async () => {
    const release = 'v3.30.0';
    const early = await cli(['gate', 'override', '--service', 'checkout-api', '--env', 'production', '--release', release, '--by', 'ana-lima', '--reason', 'hotfix for INC-2291']);
    expect(early.code).toBe(2);
    expect(early.stderr).toContain('a denied gate decision for checkout-api v3.30.0 in production was not found');

    expect((await check('checkout-api', release)).code).toBe(1);
    const vague = await cli(['gate', 'override', '--service', 'checkout-api', '--env', 'production', '--release', release, '--by', 'ana-lima', '--reason', 'ship it']);
    expect(vague.code).toBe(2);
    const override = await cli(['gate', 'override', '--service', 'checkout-api', '--env', 'production', '--release', release, '--by', 'ana-lima', '--reason', 'hotfix for INC-2291']);
    expect(override.code, override.stderr).toBe(0);

    const later = await cli(['gate', 'check', '--service', 'checkout-api', '--env', 'production', '--release', release]);
    expect(later.code).toBe(0);
    expect(later.stdout).toMatch(/^ALLOW: checkout-api v3.30.0/);
    expect(later.stdout).toContain('Overridden: the policy denied this release; ana-lima overrode it');
    expect(later.stdout).toContain('"hotfix for INC-2291"');
    const json = outcomeOf((await check('checkout-api', release)).stdout);
    expect(json).toMatchObject({ decision: 'allow', policyDecision: 'deny', override: { by: 'ana-lima', reason: 'hotfix for INC-2291' } });

    // the override is only for that release
    expect((await check('checkout-api', 'v3.30.1')).code).toBe(1);
    const changes = await cli(['changes', '--since', '5m', '--type', 'dev.steadyops.gate.overridden']);
    expect(changes.stdout).toContain('override by ana-lima: hotfix for INC-2291');
  });

  it('writes GitHub annotations, a job summary and the decision as a step output with --format github', async () => {
    const summary = join(dir, 'summary.md');
    const output = join(dir, 'output.txt');
    writeFileSync(summary, '');
    writeFileSync(output, '');
    const run = await cli(['gate', 'check', '--service', 'checkout-api', '--env', 'production', '--release', 'v3.31.0', '--format', 'github'], {
      env: { GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::error title=Release gate%3A approvals::The release has 0 of the 1 approval it needs/m);
    expect(run.stdout).toMatch(/^::notice title=Release gate%3A DENY::DENY: checkout-api v3.31.0 to production/m);
    const markdown = readFileSync(summary, 'utf8');
    expect(markdown).toContain('### ⛔ DENY: checkout-api v3.31.0 to production');
    expect(markdown).toMatch(/\| ❌ \| `approvals` \| enforce \| The release has 0 of the 1 approval/);
    expect(readFileSync(output, 'utf8')).toMatch(/^decision=deny\nseq=\d+\n$/);
  });
});

describe('steadyops gate check when a signal source is down', () => {
  it("exits 3 and lets the policy's onError decide when the answer hinges on an unreachable Prometheus", async () => {
    const model = join(dir, 'down-model');
    cpSync(demoModel, model, { recursive: true });
    const environments = join(model, 'environments.yaml');
    writeFileSync(environments, readFileSync(environments, 'utf8').replace('http://127.0.0.1:9090', 'http://127.0.0.1:9'));
    // the standard policy: onError allow, and firingAlerts only in shadow
    const tolerant = await cli(['gate', 'check', '--service', 'search-api', '--env', 'production', '--release', 'v2.0.0', '--format', 'json'], { config: model });
    expect(tolerant.code, tolerant.stderr).toBe(0);
    expect(result(outcomeOf(tolerant.stdout), 'firingAlerts')).toMatchObject({ mode: 'shadow', outcome: 'error' });

    const policies = join(model, 'policies.yaml');
    writeFileSync(policies, readFileSync(policies, 'utf8').replace('onError: allow', 'onError: deny').replaceAll('mode: shadow }', 'mode: enforce }'));
    const run = await cli(['gate', 'check', '--service', 'search-api', '--env', 'production', '--release', 'v2.0.0', '--format', 'json'], { config: model });
    const outcome = outcomeOf(run.stdout);
    expect(run.code, run.stderr).toBe(3);
    expect(outcome.decision).toBe('deny');
    expect(outcome.unreachable[0]).toContain('Prometheus at http://127.0.0.1:9');
    // the error budgets and the alerts both needed it: one source, named once
    expect(outcome.unreachable).toHaveLength(1);
    expect(result(outcome, 'errorBudget')?.outcome).toBe('error');
    expect(result(outcome, 'firingAlerts')).toMatchObject({ outcome: 'error', reason: expect.stringContaining('could not be read') });
  });
});
