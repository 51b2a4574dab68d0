import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrometheusClient } from '../../src/connectors/prometheus/prometheus-client.ts';
import { SteadyopsError } from '../../src/lib/errors.ts';
import { waitUntil } from '../support/processes.ts';
import { counterHistory, prometheusAvailable, startPrometheus, startTestExporter, type RunningPrometheus, type TestExporter } from '../support/prometheus.ts';

const available = prometheusAvailable();
const now = new Date();
const dayS = 86_400;

describe.skipIf(!available)('Prometheus client against a real Prometheus', () => {
  let prometheus: RunningPrometheus;
  let exporter: TestExporter;

  beforeAll(async () => {
    exporter = await startTestExporter('checkout-api');
    exporter.set({ rps: 100, errorRatio: 0.25, gauges: { db_pool_in_use_ratio: 0.9 } });
    // two days of history: 10 req/s, 1% of them failing
    const backfill = counterHistory(
      [
        { name: 'history_requests', labels: { code: '200' }, value: (t) => Math.round((t - 1e9) * 9.9) },
        { name: 'history_requests', labels: { code: '500' }, value: (t) => Math.round((t - 1e9) * 0.1) },
      ],
      new Date(now.getTime() - 2 * dayS * 1000),
      new Date(now.getTime() - 3 * 3_600_000),
      60,
    );
    prometheus = await startPrometheus({ targets: [exporter.target], backfill });
    await prometheus.waitForTargets();
  }, 90_000);

  afterAll(async () => {
    await prometheus?.stop();
    await exporter?.stop();
  });

  it('reads the error ratio the exporter serves', async () => {
    const client = createPrometheusClient({ url: prometheus.url });
    const ratio = 'sum(rate(http_requests_total{code="500"}[5s])) / sum(rate(http_requests_total[5s]))';
    await waitUntil(async () => (await client.query(ratio)).length === 1, 20_000, () => prometheus.output());
    const [sample] = await client.query(ratio);
    expect(sample?.value).toBeGreaterThan(0.2);
    expect(sample?.value).toBeLessThan(0.3);
  }, 30_000);

  it('answers several queries at once, in the order asked, including scalars', async () => {
    const client = createPrometheusClient({ url: prometheus.url });
    const [gauge, scalar, empty] = await client.queryAll(['db_pool_in_use_ratio', 'scalar(vector(4))', 'no_such_metric']);
    expect(gauge).toEqual([{ labels: expect.objectContaining({ __name__: 'db_pool_in_use_ratio', service: 'checkout-api' }), value: 0.9 }]);
    expect(scalar).toEqual([{ labels: {}, value: 4 }]);
    expect(empty).toEqual([]);
  });

  it('reads history backfilled with promtool', async () => {
    const client = createPrometheusClient({ url: prometheus.url });
    const [ratio] = await client.query(
      'sum(increase(history_requests_total{code="500"}[1d])) / sum(increase(history_requests_total[1d]))',
      new Date(now.getTime() - 4 * 3_600_000),
    );
    expect(ratio?.value).toBeCloseTo(0.01, 3);
  });

  it('reports a query Prometheus rejects as invalid input, naming the problem', async () => {
    const client = createPrometheusClient({ url: prometheus.url });
    const error = await client.query('sum(rate(x[5m])').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SteadyopsError);
    expect((error as SteadyopsError).code).toBe('SO_E_INPUT_INVALID');
    expect((error as Error).message).toMatch(/rejected the query/);
  });
});

describe('Prometheus client when Prometheus is down', () => {
  it('reports an unreachable Prometheus as SO_E_UNREACHABLE (exit 3)', async () => {
    const client = createPrometheusClient({ url: 'http://127.0.0.1:9', timeoutMs: 2_000 });
    const error = await client.query('up').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SteadyopsError);
    expect((error as SteadyopsError).code).toBe('SO_E_UNREACHABLE');
    expect((error as Error).message).toContain('Prometheus at http://127.0.0.1:9');
  });

  it('reports a non-Prometheus answer as unreachable, not as data', async () => {
    const client = createPrometheusClient({ url: 'http://example.invalid', fetch: async () => new Response('<html>proxy error</html>', { status: 502 }) });
    const error = await client.query('up').catch((caught: unknown) => caught);
    expect((error as SteadyopsError).code).toBe('SO_E_UNREACHABLE');
    expect((error as Error).message).toMatch(/HTTP 502/);
  });
});
