import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prometheusFor } from '../../src/connectors/prometheus/prometheus-for.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { loadModelOrThrow } from '../../src/model/load-model.ts';
import type { ResolvedModel } from '../../src/model/resolve.ts';
import { testServer, type TestServer } from '../../src/server/test-support/test-server.ts';
import type { SloHistory } from '../../src/slo/slo-history.ts';
import { createSloHistoryService } from '../../src/slo/slo-history-service.ts';
import { burnHistory, writeBurnHistoryModel } from '../support/burn-history.ts';
import { freePort } from '../support/processes.ts';
import { prometheusAvailable, startPrometheus, type RunningPrometheus } from '../support/prometheus.ts';

const available = prometheusAvailable();
const hourMs = 3_600_000;
const dir = mkdtempSync(join(tmpdir(), 'steadyops-slo-history-'));

async function loadModel(prometheusUrl: string): Promise<ResolvedModel> {
  const folder = writeBurnHistoryModel(dir, prometheusUrl);
  return (await loadModelOrThrow(folder, dir)).model;
}

describe.skipIf(!available)('GET /api/v1/slos/:service/:slo/history against a real Prometheus', () => {
  const now = Date.now();
  let prometheus: RunningPrometheus;
  let server: TestServer;

  beforeAll(async () => {
    prometheus = await startPrometheus({ backfill: burnHistory('checkout-api', now) });
    const model = await loadModel(prometheus.url);
    const clock = fixedClock(new Date(now));
    server = await testServer({ clock, model: { current: () => model }, prometheus: prometheusFor(model) });
  }, 180_000);

  afterAll(async () => {
    await prometheus?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string, role: 'viewer' | 'admin' = 'viewer') => server.app.inject({ url: path, headers: server.auth(role) });

  it('answers 24 hours of 1h and 6h burn rates and budget remaining, every 5 minutes', async () => {
    const response = await get('/api/v1/slos/checkout-api/availability/history?range=24h');
    expect(response.statusCode, response.body).toBe(200);
    const history = response.json() as SloHistory;
    expect(history).toMatchObject({ service: 'checkout-api', slo: 'availability', environment: 'production', objective: 99.9, period: '30d', range: '24h', stepMs: 300_000 });
    expect(history.timestamps).toHaveLength(289);
    expect(history.timestamps[1]! - history.timestamps[0]!).toBe(300);
    expect(Date.parse(history.end)).toBeLessThanOrEqual(now);
    expect(now - Date.parse(history.end)).toBeLessThan(300_000);
    expect(history.burnRates.map((line) => [line.window, line.factor, line.values.length])).toEqual([
      ['1h', 14.4, 289],
      ['6h', 6, 289],
    ]);
    const [oneHour, sixHours] = history.burnRates;
    // twelve hours ago: the quiet burn of 0.5x on both windows, half of the 30-day budget left
    const twelveHoursAgo = history.timestamps.findIndex((at) => at * 1000 >= now - 12 * hourMs);
    expect(oneHour!.values[twelveHoursAgo]).toBeCloseTo(0.5, 1);
    expect(sixHours!.values[twelveHoursAgo]).toBeCloseTo(0.5, 1);
    expect(history.budgetRemaining[twelveHoursAgo]).toBeCloseTo(0.5, 2);
    // now: three hours into burning at 10x; the 6h window is half quiet, half burning
    const last = history.timestamps.length - 1;
    expect(oneHour!.values[last]).toBeCloseTo(10, 0);
    expect(sixHours!.values[last]).toBeGreaterThan(4.5);
    expect(sixHours!.values[last]).toBeLessThan(6);
    expect(history.budgetRemaining[last]).toBeCloseTo(1 - (0.05 * 717 + 1 * 3) / (720 * 0.1), 1);
    expect(history.budgetRemaining[last]!).toBeLessThan(history.budgetRemaining[twelveHoursAgo]!);
  });

  it('answers 7 days every 30 minutes, or every step asked for', async () => {
    const week = (await get('/api/v1/slos/checkout-api/availability/history?range=7d')).json() as SloHistory;
    expect(week.timestamps).toHaveLength(337);
    expect(week.stepMs).toBe(1_800_000);
    const hourly = (await get('/api/v1/slos/checkout-api/availability/history?range=7d&step=1h')).json() as SloHistory;
    expect(hourly.timestamps).toHaveLength(169);
    expect(hourly.burnRates[0]!.values.every((value) => value !== null)).toBe(true);
  });

  it('refuses a bad range or step, and names the field', async () => {
    const range = await get('/api/v1/slos/checkout-api/availability/history?range=3d');
    expect(range.statusCode).toBe(400);
    expect(range.json()).toMatchObject({ code: 'SO_E_INPUT_INVALID', detail: expect.stringContaining('querystring.range') });
    const step = await get('/api/v1/slos/checkout-api/availability/history?range=7d&step=10s');
    expect(step.statusCode).toBe(400);
    expect(step.json()).toMatchObject({ code: 'SO_E_USAGE', detail: expect.stringContaining('more than 2000 points') });
  });

  it('answers 404 for an SLO or service the model does not define', async () => {
    const slo = await get('/api/v1/slos/checkout-api/latency/history');
    expect(slo.statusCode).toBe(404);
    expect(slo.json()).toMatchObject({ code: 'SO_E_NOT_FOUND', detail: expect.stringContaining('latency of checkout-api') });
    const service = await get('/api/v1/slos/nope/availability/history');
    expect(service.statusCode).toBe(400);
    expect(service.json()).toMatchObject({ code: 'SO_E_USAGE', detail: expect.stringContaining('unknown service "nope"') });
  });

  it('needs a token', async () => {
    expect((await server.app.inject({ url: '/api/v1/slos/checkout-api/availability/history' })).statusCode).toBe(401);
  });
});

describe('GET /api/v1/slos/:service/:slo/history without a working Prometheus', () => {
  it('answers 503 SO_E_NOT_CONFIGURED when the server has no Prometheus', async () => {
    const model = await loadModel('http://127.0.0.1:9');
    const server = await testServer({ model: { current: () => model } });
    const response = await server.app.inject({ url: '/api/v1/slos/checkout-api/availability/history', headers: server.auth('viewer') });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'SO_E_NOT_CONFIGURED', detail: expect.stringContaining('SLO history') });
  });

  it('answers 502 SO_E_UNREACHABLE, naming the Prometheus, when it is down', async () => {
    // a port taken and released at once: nothing listens there
    const url = `http://127.0.0.1:${await freePort()}`;
    const model = await loadModel(url);
    const history = createSloHistoryService({ prometheus: prometheusFor(model, { timeoutMs: 2_000 }), clock: fixedClock(new Date()) });
    await expect(history.history(model, { service: 'checkout-api', slo: 'availability', range: '24h' })).rejects.toMatchObject({ code: 'SO_E_UNREACHABLE' });
    const server = await testServer({ model: { current: () => model }, prometheus: prometheusFor(model, { timeoutMs: 2_000 }) });
    const response = await server.app.inject({ url: '/api/v1/slos/checkout-api/availability/history', headers: server.auth('viewer') });
    expect(response.statusCode).toBe(502);
    expect(response.json()).toMatchObject({ code: 'SO_E_UNREACHABLE', detail: expect.stringContaining(`Prometheus at ${url}`) });
  });
});
