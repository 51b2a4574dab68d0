import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SloReport } from '../../src/slo/slo-status-service.ts';
import type { SloStatus } from '../../src/slo/slo-status.ts';
import { runCli } from '../support/cli.ts';
import { testTeam, writeModelDir } from '../support/model-dir.ts';
import { prometheusApiServer } from '../support/prometheus-api.ts';
import { waitUntil } from '../support/processes.ts';
import { counterHistory, prometheusAvailable, startPrometheus, startTestExporter, type RunningPrometheus, type TestExporter } from '../support/prometheus.ts';

const available = prometheusAvailable();
const dayMs = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'steadyops-slo-status-'));

const ratioSli = (metric: string, service: string) => ({
  ratio: {
    errors: `sum(rate(${metric}{service="${service}",code="500"}[{{.window}}]))`,
    total: `sum(rate(${metric}{service="${service}"}[{{.window}}]))`,
  },
});

/**
 * Two environments, two Prometheus servers: Prometheus accepts no scraped sample older than the end of
 * backfilled blocks, so history (which runs past now) and live scrapes cannot share one.
 */
function writeModel(historyUrl: string, liveUrl: string): string {
  return writeModelDir(dir, [
    testTeam,
    { kind: 'Environment', name: 'production', spec: { protection: 'strict', order: 1, prometheus: { url: historyUrl } } },
    { kind: 'Environment', name: 'live', spec: { protection: 'standard', order: 2, prometheus: { url: liveUrl } } },
    {
      kind: 'Service',
      name: 'checkout-api',
      spec: {
        owner: 'payments',
        tier: 1,
        environments: ['production'],
        slos: [
          // 10 days of backfilled history at 100 req/s, 0.05% failing: half of a 99.9% budget
          { name: 'availability', objective: 99.9, period: '7d', sli: ratioSli('history_requests_total', 'checkout-api') },
          { name: 'latency', objective: 99, period: '7d', sli: ratioSli('no_such_metric_total', 'checkout-api') },
        ],
      },
    },
    {
      kind: 'Service',
      name: 'payments-api',
      spec: {
        owner: 'payments',
        tier: 1,
        environments: ['live'],
        // a 1h period scales the burn windows down to seconds: 5s/1s, 30s/3s, 2m/10s, 6m/30s
        slos: [{ name: 'availability', objective: 99, period: '1h', sli: ratioSli('http_requests_total', 'payments-api') }],
      },
    },
  ]);
}

describe.skipIf(!available)('steadyops slo status against a real Prometheus', () => {
  let history: RunningPrometheus;
  let live: RunningPrometheus;
  let exporter: TestExporter;
  let config: string;
  const cli = (args: string[]) => runCli(['--config', config, 'slo', 'status', ...args], { cwd: dir, env: { STEADYOPS_PROMETHEUS_URL: '' } });
  const json = async (args: string[]) => {
    const result = await cli([...args, '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as SloReport;
  };
  const find = (report: SloReport, service: string, slo: string) => report.slos.find((entry) => entry.service === service && entry.slo === slo) as SloStatus;

  beforeAll(async () => {
    exporter = await startTestExporter('payments-api');
    exporter.set({ rps: 100, errorRatio: 0.5 });
    const now = Date.now();
    const start = Math.floor((now - 10 * dayMs) / 1000);
    // samples run a few minutes past now, so the shortest windows have data whenever the queries run
    const backfill = counterHistory(
      [
        { name: 'history_requests', labels: { service: 'checkout-api', code: '200' }, value: (t) => (t - start) * 99.95 },
        { name: 'history_requests', labels: { service: 'checkout-api', code: '500' }, value: (t) => (t - start) * 0.05 },
      ],
      new Date(now - 10 * dayMs),
      new Date(now + 5 * 60_000),
      15,
    );
    [history, live] = await Promise.all([startPrometheus({ backfill }), startPrometheus({ targets: [exporter.target], scrapeInterval: '1s' })]);
    await live.waitForTargets();
    config = writeModel(history.url, live.url);
  }, 120_000);

  afterAll(async () => {
    await history?.stop();
    await live?.stop();
    await exporter?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads half the budget left from ten days of history at 0.05% errors against 99.9%', async () => {
    const report = await json(['--service', 'checkout-api']);
    const status = find(report, 'checkout-api', 'availability');
    expect(status).toMatchObject({ environment: 'production', objective: 99.9, period: '7d', noData: false });
    expect(status.firing).toBeUndefined();
    expect(status.sli).toBeCloseTo(0.9995, 6);
    expect(status.budgetRemaining).toBeCloseTo(0.5, 3);
    expect(status.budgetTotalMs).toBeCloseTo(604_800, 0);
    expect(status.budgetRemainingMs).toBeCloseTo(302_400, -3);
    expect(status.burnRates.map((rate) => rate.window)).toEqual(['14m/1m10s', '1h24m/7m', '5h36m/28m', '16h48m/1h24m']);
    for (const rate of status.burnRates) {
      expect(rate.long).toBeCloseTo(0.5, 2);
      expect(rate.short).toBeCloseTo(0.5, 2);
      expect(rate.firing).toBe(false);
    }
    // half the budget left, burning at half the sustainable rate: it lasts one more period
    expect(Date.parse(status.exhaustedAt ?? '') - Date.parse(report.at)).toBeCloseTo(7 * dayMs, -7);
    expect(status.summary).toMatch(/^checkout-api availability is at 99\.95% against its 99\.9% objective over the last 7d; 50% of its error budget is left \(5m2s of 10m5s\)\./);
    expect(status.summary).toMatch(/at 0\.5x the sustainable rate over the last 1h24m; at this rate the budget runs out on \d{4}-\d\d-\d\d \d\d:\d\d UTC\. No burn-rate alert would be firing\.$/);
  });

  it('says "no data" for an SLO whose metrics Prometheus does not have, never 100%', async () => {
    const status = find(await json(['--service', 'checkout-api']), 'checkout-api', 'latency');
    expect(status.noData).toBe(true);
    expect(status.firing).toBeUndefined();
    expect(status.sli).toBeUndefined();
    expect(status.budgetRemaining).toBeUndefined();
    expect(status.summary).toContain('has no data in production');

    const text = await cli(['--service', 'checkout-api']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^checkout-api\s+latency\s+production\s+no data\s+99% \/ 7d\s+-\s+-\s+-$/m);
    expect(text.stdout).toMatch(/^checkout-api\s+availability\s+production\s+99\.95%\s+99\.9% \/ 7d\s+50% \(5m2s of 10m5s\)\s+0\.5x \(1h24m\)\s+-$/m);
    expect(text.stdout).not.toMatch(/100%/);
  });

  it('shows the page alert that would be firing for a live service failing half its requests', async () => {
    let status: SloStatus | undefined;
    await waitUntil(
      async () => {
        status = find(await json(['--service', 'payments-api', '--env', 'live']), 'payments-api', 'availability');
        return status.firing === 'page';
      },
      20_000,
      () => JSON.stringify(status, null, 2),
    );
    const burn = status as SloStatus;
    expect(burn.sli).toBeCloseTo(0.5, 1);
    expect(burn.budgetRemaining).toBeLessThan(-40);
    expect(burn.exhaustedAt).toBeUndefined();
    expect(burn.burnRates.find((rate) => rate.window === '30s/3s')).toMatchObject({ severity: 'page', factor: 6, firing: true });
    expect(burn.summary).toMatch(/its error budget is overspent by \d+%/);
    expect(burn.summary).toMatch(/It is burning its error budget \d+x faster than sustainable over the last 30s, and the budget is already spent\. The page alert would be firing: it burns \d+(\.\d)?x over the last 30s and \d+(\.\d)?x over the last 3s, both above 6x\.$/);
  }, 30_000);

  it('answers the same over GET /api/v1/slos (viewer role)', async () => {
    const server = await prometheusApiServer(config, dir);
    const response = await server.app.inject({ url: '/api/v1/slos?service=checkout-api&env=production', headers: server.auth('viewer') });
    expect(response.statusCode, response.body).toBe(200);
    const report = response.json() as SloReport;
    expect(report.slos.map((status) => [status.slo, status.noData])).toEqual([
      ['availability', false],
      ['latency', true],
    ]);
    expect(find(report, 'checkout-api', 'availability').budgetRemaining).toBeCloseTo(0.5, 3);
    expect(find(report, 'checkout-api', 'latency')).not.toHaveProperty('sli');
    await server.app.close();
  });

  it('exits 3 and says where it looked when Prometheus is unreachable', async () => {
    const result = await cli(['--prometheus', 'http://127.0.0.1:9']);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^error SO_E_UNREACHABLE: could not reach Prometheus at http:\/\/127\.0\.0\.1:9 \(environment (production|live)\): .+; check that Prometheus is up/);
  });

  it('exits 2 for an unknown service, naming the ones there are', async () => {
    const result = await cli(['--service', 'nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown service "nope"; services in the model: checkout-api, payments-api');
  });
});
