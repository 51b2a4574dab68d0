import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli.ts';
import { fixedClock } from '../../lib/clock.ts';
import type { MetricKey, MetricsReport } from '../../metrics/types.ts';
import { demoModelPath, seedDemoLedger } from '../demo.ts';
import { openRuntime } from '../runtime.ts';

const clock = fixedClock('2026-11-26T09:00:00Z');
let dir: string;
let db: string;

beforeAll(async () => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'metrics-cli-')));
  db = `sqlite:${join(dir, 'steadyops.db')}`;
  const runtime = await openRuntime({ db, cwd: dir, env: {}, clock });
  await seedDemoLedger(runtime.ledger, clock.now());
  await runtime.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const metrics = (args: readonly string[]) => runCli(['--db', db, 'metrics', ...args], { cwd: dir, clock });
const valueOf = (report: MetricsReport, key: MetricKey) => report.metrics.find((metric) => metric.key === key)!;

describe('steadyops metrics on the demo ledger', () => {
  it('measures every DORA metric from the lineage the demo records, with evidence', async () => {
    const result = await metrics(['--period', '7d', '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as MetricsReport;
    expect(report.scope).toEqual({ label: 'all services', services: 'all', environment: 'production' });
    expect(report.deploys.count).toBeGreaterThan(10);
    expect(report.deploys.withoutLineage).toBe(0);
    for (const key of ['deploymentFrequency', 'changeLeadTime', 'changeFailRate', 'failedDeploymentRecoveryTime', 'deploymentReworkRate', 'mtta', 'mttr'] as const) {
      expect(valueOf(report, key).value, key).not.toBeNull();
    }
    expect(valueOf(report, 'changeFailRate').value).toBeGreaterThan(0);
    expect(valueOf(report, 'sloBudgetBurned').value).toBeNull();
    expect(valueOf(report, 'changeLeadTime').evidence.length).toBeGreaterThan(report.deploys.count);
    expect(valueOf(report, 'deploymentFrequency').trend.direction).not.toBe('unknown');
  });

  it('counts the bad release of the incident story as a failed change, recovered by its rollback and fixed forward', async () => {
    const result = await metrics(['--service', 'checkout-api', '--period', '14d', '--format', 'json', '--config', demoModelPath]);
    const report = JSON.parse(result.stdout) as MetricsReport;
    expect(report.incidents.bySeverity['sev1']).toBe(1);
    const cause = report.metrics.find((metric) => metric.key === 'mttr')!.evidence[0]!;
    expect(valueOf(report, 'changeFailRate').evidence).toContain(cause);
    expect(valueOf(report, 'changeFailRate').ratio!.numerator).toBeGreaterThanOrEqual(1);
    expect(valueOf(report, 'failedDeploymentRecoveryTime').value).not.toBeNull();
    expect(valueOf(report, 'deploymentReworkRate').ratio!.numerator).toBe(1);
  });

  it('prints a table with trends and one sentence per metric', async () => {
    const result = await metrics(['--period', '7d']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^all services in production, 7d to 2026-11-26T09:00:00.000Z/);
    expect(result.stdout).toMatch(/METRIC\s+VALUE\s+DORA BAND\s+TREND/);
    expect(result.stdout).toMatch(/Deployment frequency\s+[\d.]+ \/day\s+(elite|high|medium|low)\s+/);
    expect(result.stdout).toMatch(/Change fail rate: \d+ of \d+ deploy\(s\)/);
    expect(result.stdout).toMatch(/SLO budget burned by incidents\s+not measured/);
    expect(result.stdout).toMatch(/and \d+ more\]/);
  });

  it('scopes to a team from the model', async () => {
    const result = await metrics(['--team', 'payments', '--config', demoModelPath, '--format', 'json', '--period', '14d']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as MetricsReport;
    expect(report.scope.label).toBe('team payments');
    expect(report.scope.services).toContain('checkout-api');
  });

  it('rejects a bad period or format with exit 2, naming what is valid', async () => {
    const period = await metrics(['--period', '12h']);
    expect(period.code).toBe(2);
    expect(period.stderr).toMatch(/period: "12h" is not a whole number of days; use whole days or weeks/);
    const format = await metrics(['--format', 'sarif']);
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/use text, json or markdown/);
    const team = await metrics(['--team', 'nobody', '--config', demoModelPath]);
    expect(team.code).toBe(2);
    expect(team.stderr).toMatch(/unknown team "nobody"; teams: /);
  });
});
