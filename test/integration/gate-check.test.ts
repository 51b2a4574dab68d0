import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'steadyops-gate-'));
const cli = (args: string[]) =>
  runCli(['--db', `sqlite:${join(dir, 'steadyops.db')}`, '--config', join(process.cwd(), 'examples/demo/.steadyops'), ...args], { cwd: dir });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('steadyops gate check on the demo organisation', () => {
  it('allows a release its policy has nothing against, denies one it cannot clear, and records both decisions', async () => {
    const allow = await cli(['gate', 'check', '--service', 'search-api', '--env', 'production', '--release', 'v1.4.0']);
    expect(allow.code, allow.stderr).toBe(0);
    expect(allow.stdout).toMatch(/^ALLOW: release policy standard/);

    const deny = await cli(['gate', 'check', '--service', 'checkout-api', '--env', 'production', '--release', 'v3.28.0', '--format', 'json']);
    expect(deny.code).toBe(1);
    const decision = JSON.parse(deny.stdout) as { decision: string; enforcedFailures: Array<{ type: string; outcome: string; reason: string }> };
    expect(decision.decision).toBe('deny');
    expect(decision.enforcedFailures.map((failure) => failure.type)).toContain('errorBudget');

    const recorded = await cli(['changes', '--since', '5m', '--type', 'dev.steadyops.gate.decided', '--format', 'json']);
    const events = (JSON.parse(recorded.stdout) as { events: Array<{ subject: string; data: { decision: string; checks: unknown[] } }> }).events;
    expect(events.map((event) => [event.subject, event.data.decision])).toEqual([
      ['checkout-api', 'deny'],
      ['search-api', 'allow'],
    ]);
    expect(events[0]?.data.checks.length).toBeGreaterThan(3);

    const unknown = await cli(['gate', 'check', '--service', 'nope', '--env', 'production', '--release', 'v1']);
    expect(unknown.code).toBe(2);
  });
});
