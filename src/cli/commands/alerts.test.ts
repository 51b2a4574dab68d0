import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../../../test/support/cli.ts';
import type { EventToAppend } from '../../ledger/types.ts';
import { fixedClock } from '../../lib/clock.ts';
import { loadModelOrThrow } from '../../model/load-model.ts';
import { testServer } from '../../server/test-support/test-server.ts';
import { openRuntime } from '../runtime.ts';

const clock = fixedClock('2026-11-26T09:00:00Z');
let dir: string;
let db: string;

function alert(type: 'firing' | 'resolved' | 'acknowledged', id: string, time: string, data: Record<string, unknown>): EventToAppend {
  return {
    actor: type === 'acknowledged' ? 'pagerduty:priya' : 'system:alertmanager',
    event: {
      specversion: '1.0',
      id,
      source: '/alertmanager/production',
      type: `dev.steadyops.alert.${type}`,
      time,
      data: { severity: 'critical', labels: {}, startsAt: time, environment: 'production', ...data },
      ...(typeof data.service === 'string' ? { subject: data.service } : {}),
    },
  };
}

beforeEach(async () => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'alerts-cli-')));
  for (const folder of ['.steadyops', 'runbooks', 'monitoring']) cpSync(join(repoRoot, 'examples/demo', folder), join(dir, folder), { recursive: true });
  // one route of the copy loses its first action: a gap the model alone shows
  const services = join(dir, '.steadyops', 'services.yaml');
  const withoutFirstAction = readFileSync(services, 'utf8').replace(/(alertname: BillingRunLate, [^\n]*?), firstAction: "[^"]*"/, '$1');
  expect(withoutFirstAction).not.toMatch(/BillingRunLate[^\n]*firstAction/);
  writeFileSync(services, withoutFirstAction);
  db = `sqlite:${join(dir, 'steadyops.db')}`;
  const runtime = await openRuntime({ db, cwd: dir, env: {}, clock });
  await runtime.ledger.append([
    alert('firing', 'a1', '2026-11-26T08:00:00.000Z', { fingerprint: 'f1', alertname: 'CheckoutHighErrorRate', service: 'checkout-api' }),
    alert('acknowledged', 'a2', '2026-11-26T08:03:00.000Z', { fingerprint: 'f1', alertname: 'CheckoutHighErrorRate', service: 'checkout-api', startsAt: '2026-11-26T08:00:00.000Z', acknowledgedAt: '2026-11-26T08:03:00.000Z' }),
    alert('firing', 'b1', '2026-11-26T07:00:00.000Z', { fingerprint: 'f2', alertname: 'SearchLatencyHigh', service: 'search-api' }),
    alert('resolved', 'b2', '2026-11-26T07:20:00.000Z', { fingerprint: 'f2', alertname: 'SearchLatencyHigh', service: 'search-api', startsAt: '2026-11-26T07:00:00.000Z', endsAt: '2026-11-26T07:20:00.000Z' }),
    alert('firing', 'c1', '2026-11-20T07:00:00.000Z', { fingerprint: 'f3', alertname: 'OldAlert' }),
  ]);
  await runtime.close();
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const alerts = (args: readonly string[]) => runCli(['--db', db, 'alerts', ...args], { cwd: dir, clock });

describe('steadyops alerts', () => {
  it('prints the routed alerts of the window as a table', async () => {
    const result = await alerts(['--since', '24h']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^ALERT\s+SERVICE\s+SEVERITY\s+STATE\s+TEAM\s+ON-CALL\s+FIRST ACTION \/ RUNBOOK$/);
    expect(lines[1]).toMatch(/CheckoutHighErrorRate\s+checkout-api\s+page\s+acknowledged since 2026-11-26 08:00Z\s+payments\s+\S.*<.*@.*>\s+Check `steadyops changes/);
    expect(lines[2]).toMatch(/SearchLatencyHigh\s+search-api\s+ticket\s+resolved since 2026-11-26 07:20Z\s+growth/);
    expect(result.stdout).not.toContain('OldAlert');
  });

  it('filters by firing, team and service, and prints json', async () => {
    const result = await alerts(['--firing', '--team', 'payments', '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { alerts: Array<{ alertname: string; state: string; acknowledgedBy?: string; onCall: { kind: string } }> };
    expect(report.alerts).toEqual([expect.objectContaining({ alertname: 'CheckoutHighErrorRate', state: 'acknowledged', acknowledgedBy: 'pagerduty:priya', onCall: expect.objectContaining({ kind: 'rotation' }) })]);
    const none = JSON.parse((await alerts(['--service', 'search-api', '--firing', '--format', 'json'])).stdout) as { alerts: unknown[] };
    expect(none.alerts).toEqual([]);
  });

  it('--gaps lists alerts without owner, runbook or first action from the ledger, rule files and model, and exits 1', async () => {
    const result = await alerts(['--gaps', '--since', '30d', '--format', 'json']);
    expect(result.code).toBe(1);
    const gaps = (JSON.parse(result.stdout) as { gaps: Array<{ alertname: string; sources: string[]; missing: string[]; where?: string }> }).gaps;
    expect(gaps.find((gap) => gap.alertname === 'NodeDiskFilling')).toEqual(expect.objectContaining({ sources: ['rule'], missing: ['owner', 'runbook', 'firstAction'], where: 'monitoring/alerts.yaml:24' }));
    expect(gaps.find((gap) => gap.alertname === 'OldAlert')).toEqual(expect.objectContaining({ sources: ['ledger'], missing: ['owner', 'runbook', 'firstAction'] }));
    expect(gaps.find((gap) => gap.alertname === 'BillingRunLate')).toEqual(expect.objectContaining({ sources: ['model', 'rule'], missing: ['firstAction'] }));
    expect(gaps.map((gap) => gap.alertname)).not.toContain('CheckoutHighErrorRate');
  });

  it('--gaps exits 0 when every alert of the selection is complete', async () => {
    const result = await alerts(['--gaps', '--service', 'checkout-api']);
    expect(result.stdout).toBe('every alert has an owner, a runbook and a first action\n');
    expect(result.code).toBe(0);
  });

  it('rejects a bad --since and an unknown team with exit 2', async () => {
    expect((await alerts(['--since', 'yesterday'])).code).toBe(2);
    const unknown = await alerts(['--team', 'nobody']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('team nobody was not found');
  });

  it('asks a remote server with --server, and exits 1 on remote gaps', async () => {
    const { model } = await loadModelOrThrow(join(dir, '.steadyops'));
    const server = await testServer({ model: { current: () => model }, repositoryRoot: dir, clock });
    await server.ledger.append([alert('firing', 'r1', '2026-11-26T08:30:00.000Z', { fingerprint: 'r1', alertname: 'FraudScorerSlow', service: 'fraud-scorer' })]);
    const address = await server.app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const remote = (args: readonly string[]) => runCli(['--server', address, '--token', server.secrets.viewer, 'alerts', ...args], { cwd: dir, clock });
      const listed = await remote(['--firing', '--format', 'json']);
      expect(listed.code, listed.stderr).toBe(0);
      expect(JSON.parse(listed.stdout)).toMatchObject({ alerts: [{ alertname: 'FraudScorerSlow', team: 'payments', firstAction: expect.stringContaining('fraud-rules-v2') }] });
      const gaps = await remote(['--gaps']);
      expect(gaps.code).toBe(1);
      expect(gaps.stdout).toMatch(/NodeDiskFilling\s+rule\s+monitoring\/alerts.yaml:24\s+-\s+-\s+owner, runbook, firstAction/);
    } finally {
      await server.app.close();
    }
  });
});
