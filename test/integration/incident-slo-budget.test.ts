import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prometheusFor } from '../../src/connectors/prometheus/prometheus-for.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { loadModelOrThrow } from '../../src/model/load-model.ts';
import { testServer, type TestServer } from '../../src/server/test-support/test-server.ts';
import { burnHistory, writeBurnHistoryModel } from '../support/burn-history.ts';
import { prometheusAvailable, startPrometheus, type RunningPrometheus } from '../support/prometheus.ts';

const available = prometheusAvailable();
const hourMs = 3_600_000;

/**
 * A real Prometheus holds 31 days of checkout-api traffic: 0.05% errors, then 1% for the last three hours. An
 * incident declared when the burn began and resolved now records the budget of its 99.9% 30-day SLO that those
 * three hours burned, and the metrics report it.
 */
describe.skipIf(!available)('the SLO budget an incident burned, from a real Prometheus', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steadyops-incident-budget-'));
  const now = Date.now();
  let current = now - 3 * hourMs;
  const clock: Clock = { now: () => new Date(current) };
  let prometheus: RunningPrometheus;
  let server: TestServer;

  beforeAll(async () => {
    prometheus = await startPrometheus({ backfill: burnHistory('checkout-api', now) });
    const folder = writeBurnHistoryModel(dir, prometheus.url);
    const { model } = await loadModelOrThrow(folder, dir);
    server = await testServer({ clock, model: { current: () => model }, prometheus: prometheusFor(model) });
  }, 180_000);

  afterAll(async () => {
    await server?.app.close();
    await prometheus?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records it on the resolution, and the metrics sum it', async () => {
    const post = (url: string, payload: object) => server.app.inject({ method: 'POST', url, headers: server.auth('operator'), payload });
    const declared = await post('/api/v1/incidents', { title: 'checkout 5xx', severity: 'sev2', services: ['checkout-api'], environment: 'production' });
    expect(declared.statusCode, declared.body).toBe(201);
    current = now;
    const resolved = await post('/api/v1/incidents/INC-1/resolve', { summary: 'rolled back' });
    expect(resolved.statusCode, resolved.body).toBe(201);

    // three hours at 1% errors enter the 30-day window and three hours at 0.05% leave it, against a budget of
    // 0.1% of 720 hours: (3 x 1% - 3 x 0.05%) / (720 x 0.1%) = 3.96%
    const expected = ((3 * 0.01 - 3 * 0.0005) / (720 * 0.001)) * 100;
    const event = server.ledger.events.find((candidate) => candidate.type === 'dev.steadyops.incident.resolved')!;
    const [burn] = (event.data as { budgetBurned: Array<{ slo: string; percent: number }> }).budgetBurned;
    expect(burn!.slo).toBe('checkout-api/availability');
    expect(burn!.percent).toBeGreaterThan(expected - 0.3);
    expect(burn!.percent).toBeLessThan(expected + 0.3);

    const metrics = await server.app.inject({ method: 'GET', url: '/api/v1/metrics?service=checkout-api&period=7d', headers: server.auth('viewer') });
    expect(metrics.statusCode, metrics.body).toBe(200);
    const burned = (metrics.json() as { metrics: Array<{ key: string; value: number | null; evidence: number[] }> }).metrics.find((metric) => metric.key === 'sloBudgetBurned')!;
    expect(burned.value).toBeCloseTo(burn!.percent, 3);
    expect(burned.evidence).toContain(event.seq);
  });
});
