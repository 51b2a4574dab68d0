import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SaturationReport } from '../../src/release/saturation-service.ts';
import { runCli, startServer, type ServerProcess } from '../support/cli.ts';
import { prometheusApiServer } from '../support/prometheus-api.ts';
import { testTeam, writeModelDir } from '../support/model-dir.ts';
import { waitUntil } from '../support/processes.ts';
import { prometheusAvailable, startPrometheus, startTestExporter, type RunningPrometheus, type TestExporter } from '../support/prometheus.ts';

const available = prometheusAvailable();
const dir = mkdtempSync(join(tmpdir(), 'steadyops-saturation-'));
const noOverride = { STEADYOPS_PROMETHEUS_URL: '', STEADYOPS_DB: `sqlite:${join(dir, 'steadyops.db')}` };

function writeModel(prometheusUrl: string): string {
  return writeModelDir(dir, [
    testTeam,
    { kind: 'Environment', name: 'production', spec: { protection: 'strict', order: 1, prometheus: { url: prometheusUrl } } },
    { kind: 'Datastore', name: 'core-postgres', spec: { engine: 'postgresql', owner: 'payments' } },
    { kind: 'Datastore', name: 'session-redis', spec: { engine: 'redis', owner: 'payments' } },
    { kind: 'Service', name: 'fraud-scoring', spec: { owner: 'payments', tier: 2 } },
    {
      kind: 'Service',
      name: 'checkout-api',
      spec: {
        owner: 'payments',
        tier: 1,
        dependsOn: [
          // two exporters serve this gauge (0.92 and 0.4): the highest counts
          { datastore: 'core-postgres', critical: true, saturation: { query: 'db_pool_in_use_ratio', threshold: 0.8, description: 'share of Postgres connections in use' } },
          { external: 'stripe-api', saturation: { query: 'max(rate_limit_used_ratio)', threshold: 0.9, description: 'share of the Stripe rate limit used' } },
          { service: 'fraud-scoring', saturation: { query: 'sum(queue_depth)', threshold: 1000, description: 'fraud-scoring queue depth' } },
          { datastore: 'session-redis', saturation: { query: 'redis_memory_used_ratio', threshold: 0.85 } },
        ],
      },
    },
    {
      kind: 'Service',
      name: 'search-api',
      spec: { owner: 'payments', tier: 3, dependsOn: [{ service: 'fraud-scoring', saturation: { query: 'sum(queue_depth)', threshold: 5000 } }] },
    },
  ]);
}

describe.skipIf(!available)('steadyops saturation against a real Prometheus', () => {
  let prometheus: RunningPrometheus;
  let exporters: TestExporter[] = [];
  let config: string;
  let server: ServerProcess | undefined;
  const cli = (args: string[], env: NodeJS.ProcessEnv = noOverride) => runCli(['--config', config, 'saturation', ...args], { cwd: dir, env });

  beforeAll(async () => {
    exporters = await Promise.all([startTestExporter('checkout-api'), startTestExporter('checkout-api-canary')]);
    exporters[0]?.set({ gauges: { db_pool_in_use_ratio: 0.92, rate_limit_used_ratio: 0.3, queue_depth: 120 } });
    exporters[1]?.set({ gauges: { db_pool_in_use_ratio: 0.4 } });
    prometheus = await startPrometheus({ targets: exporters.map((exporter) => exporter.target), scrapeInterval: '1s' });
    await prometheus.waitForTargets();
    config = writeModel(prometheus.url);
    // every gauge scraped from both exporters
    await waitUntil(
      async () => {
        const body = (await (await fetch(`${prometheus.url}/api/v1/query?query=count(db_pool_in_use_ratio)`)).json()) as { data: { result: Array<{ value: [number, string] }> } };
        return body.data.result[0]?.value[1] === '2';
      },
      15_000,
      () => prometheus.output(),
    );
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    await prometheus?.stop();
    await Promise.all(exporters.map((exporter) => exporter.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists every declared dependency worst first, exits 1 when one is saturated, and says which series', async () => {
    const result = await cli(['--format', 'json']);
    expect(result.code, result.stderr).toBe(1);
    const report = JSON.parse(result.stdout) as SaturationReport;
    expect(report.saturated).toBe(1);
    expect(report.dependencies.map((entry) => [entry.service, entry.dependency, entry.saturated, entry.noData])).toEqual([
      ['checkout-api', 'core-postgres', true, false],
      ['checkout-api', 'stripe-api', false, false],
      ['checkout-api', 'fraud-scoring', false, false],
      ['search-api', 'fraud-scoring', false, false],
      ['checkout-api', 'session-redis', false, true],
    ]);
    const [postgres] = report.dependencies;
    expect(postgres).toMatchObject({ kind: 'datastore', critical: true, environment: 'production', value: 0.92, threshold: 0.8, series: 2, labels: expect.objectContaining({ service: 'checkout-api' }) });
    expect(postgres?.ratio).toBeCloseTo(1.15, 6);
    expect(postgres?.headroom).toBeCloseTo(-0.12, 6);
    expect(postgres?.summary).toMatch(
      /^core-postgres \(datastore of checkout-api\) is saturated: share of Postgres connections in use is 0\.92, at or above its threshold of 0\.8 \(115% of it\)\. Highest of 2 series: \{.*service="checkout-api".*\}\.$/,
    );
    expect(report.dependencies[4]?.summary).toContain('has no data in production');
  });

  it('prints a table, the saturated and unknown ones in sentences, and a count', async () => {
    const result = await cli([]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^SERVICE\s+DEPENDENCY\s+ENV\s+VALUE\s+THRESHOLD\s+USE\s+HEADROOM\s+STATE\s+DESCRIPTION$/m);
    expect(result.stdout).toMatch(/^checkout-api\s+datastore\/core-postgres\s+production\s+0\.92\s+0\.8\s+115%\s+-0\.12\s+SATURATED\s+share of Postgres connections in use; highest series \{/m);
    expect(result.stdout).toMatch(/^checkout-api\s+datastore\/session-redis\s+production\s+-\s+0\.85\s+-\s+-\s+no data\s+redis_memory_used_ratio$/m);
    expect(result.stdout).toMatch(/^1 of 5 dependencies saturated\.$/m);
  });

  it('exits 0 when none of the selected dependencies is saturated', async () => {
    const result = await cli(['--service', 'search-api']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^search-api\s+service\/fraud-scoring\s+production\s+120\s+5000\s+2%\s+4880\s+ok\s+sum\(queue_depth\)$/m);
  });

  it('answers the same over GET /api/v1/saturation (viewer role)', async () => {
    const app = await prometheusApiServer(config, dir);
    const response = await app.app.inject({ url: '/api/v1/saturation?service=checkout-api', headers: app.auth('viewer') });
    expect(response.statusCode, response.body).toBe(200);
    const report = response.json() as SaturationReport;
    expect(report.saturated).toBe(1);
    expect(report.dependencies.map((entry) => entry.dependency)).toEqual(['core-postgres', 'stripe-api', 'fraud-scoring', 'session-redis']);
    expect(report.dependencies[3]).not.toHaveProperty('value');
    await app.app.close();
  });

  it('is served by steadyops serve, reading the Prometheus of the model it runs with, and asked by the CLI with --server', async () => {
    const token = JSON.parse((await runCli(['token', 'create', '--name', 'reader', '--role', 'viewer', '--format', 'json'], { cwd: dir, env: noOverride })).stdout) as { token: string };
    server = await startServer(['--config', config], { cwd: dir, env: noOverride });
    const headers = { authorization: `Bearer ${token.token}` };
    const saturation = await fetch(`${server.url}/api/v1/saturation?service=search-api`, { headers });
    expect(saturation.status).toBe(200);
    expect(((await saturation.json()) as SaturationReport).dependencies[0]).toMatchObject({ dependency: 'fraud-scoring', value: 120 });
    const slos = await fetch(`${server.url}/api/v1/slos`, { headers });
    expect(slos.status).toBe(200);
    expect(await slos.json()).toMatchObject({ slos: [] });

    // the CLI asks the server instead of Prometheus with --server
    const remote = await runCli(['--server', server.url, '--token', token.token, 'saturation', '--format', 'json'], { cwd: dir, env: noOverride });
    expect(remote.code, remote.stderr).toBe(1);
    expect((JSON.parse(remote.stdout) as SaturationReport).dependencies.map((entry) => entry.dependency)).toEqual([
      'core-postgres',
      'stripe-api',
      'fraud-scoring',
      'fraud-scoring',
      'session-redis',
    ]);
  }, 60_000);

  it('exits 3 when Prometheus is unreachable, also through STEADYOPS_PROMETHEUS_URL', async () => {
    const result = await cli([], { ...noOverride, STEADYOPS_PROMETHEUS_URL: 'http://127.0.0.1:9' });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/^error SO_E_UNREACHABLE: could not reach Prometheus at http:\/\/127\.0\.0\.1:9 \(environment production\)/);
  });
});
