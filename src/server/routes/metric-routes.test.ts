import { describe, expect, it } from 'vitest';
import type { EventToAppend } from '../../ledger/types.ts';
import type { MetricsReport } from '../../metrics/types.ts';
import type { ResolvedModel } from '../../model/resolve.ts';
import { testNow, testServer } from '../test-support/test-server.ts';

const HOUR = 3_600_000;
const at = (hoursAgo: number) => new Date(Date.parse(testNow) - hoursAgo * HOUR).toISOString();

function event(id: string, type: string, hoursAgo: number, data: Record<string, unknown>, subject = 'checkout-api'): EventToAppend {
  return { actor: 'system:test', event: { specversion: '1.0', id, source: '/test', type: `dev.steadyops.${type}`, subject, time: at(hoursAgo), data } };
}

const deploy = (id: string, hoursAgo: number, extra: Record<string, unknown> = {}, service = 'checkout-api') =>
  event(id, 'deploy.finished', hoursAgo, { service, environment: 'production', version: `v-${id}`, deployId: id, ...extra }, service);

/** Four deploys of checkout-api, one rolled back; one deploy of another team's service. */
const history: EventToAppend[] = [
  event('c1', 'git.commit', 30, { repo: 'r', sha: 'aaaaaaa', branch: 'main', author: 'a', message: 'm' }),
  deploy('d1', 26, { commits: ['aaaaaaa'] }),
  deploy('d2', 20),
  event('r2', 'rollback.finished', 19, { service: 'checkout-api', environment: 'production', fromVersion: 'v-d2', toVersion: 'v-d1', reason: 'errors', outcome: 'succeeded', deployId: 'd2' }),
  deploy('d3', 10),
  deploy('d4', 5),
  deploy('g1', 3, {}, 'gateway'),
];

const model = {
  teams: [{ name: 'payments' }, { name: 'platform' }],
  services: [
    { name: 'checkout-api', owner: 'payments' },
    { name: 'gateway', owner: 'platform' },
  ],
} as unknown as ResolvedModel;

async function serverWithHistory() {
  const server = await testServer({ model: { current: () => model } });
  await server.ledger.append(history);
  return server;
}

describe('GET /api/v1/metrics', () => {
  it('answers a viewer with the metrics of a service, evidence and all', async () => {
    const server = await serverWithHistory();
    const response = await server.app.inject({ url: '/api/v1/metrics?service=checkout-api&period=7d', headers: server.auth('viewer') });
    expect(response.statusCode).toBe(200);
    const report = response.json<MetricsReport>();
    expect(report.period).toEqual({ label: '7d', start: '2026-11-19T09:00:00.000Z', end: testNow, previousStart: '2026-11-12T09:00:00.000Z' });
    const cfr = report.metrics.find((metric) => metric.key === 'changeFailRate')!;
    expect(cfr).toMatchObject({ value: 25, unit: 'percent', ratio: { numerator: 1, denominator: 4 }, band: { level: 'low' } });
    expect(cfr.evidence).toEqual([2, 3, 4, 5, 6]);
    const leadTime = report.metrics.find((metric) => metric.key === 'changeLeadTime')!;
    expect(leadTime).toMatchObject({ value: 4, evidence: [1, 2] });
    expect(report.deploys).toEqual({ count: 4, failed: 1, withoutLineage: 3, withoutLineageEvidence: [3, 5, 6] });
  });

  it('reads a team from the model and reads the ledger in bounded queries for both periods', async () => {
    const server = await serverWithHistory();
    const response = await server.app.inject({ url: '/api/v1/metrics?team=platform', headers: server.auth('viewer') });
    expect(response.statusCode).toBe(200);
    expect(response.json<MetricsReport>().deploys.count).toBe(1);
    const queries = server.ledger.queries.filter((query) => query.types?.some((type) => type.includes('deploy') || type.includes('git')));
    expect(queries.length).toBeGreaterThanOrEqual(2);
    for (const query of queries) {
      expect(query.subjects).toEqual(['gateway']);
      expect(query.limit).toBe(5000);
      expect(query.since!.getTime()).toBeLessThanOrEqual(Date.parse(testNow) - 60 * 24 * HOUR);
    }
  });

  it('rejects a bad period or an unknown team with a 400 naming the parameter', async () => {
    const server = await serverWithHistory();
    const period = await server.app.inject({ url: '/api/v1/metrics?period=12h', headers: server.auth('viewer') });
    expect(period.statusCode).toBe(400);
    expect(period.json()).toMatchObject({ code: 'SO_E_INPUT_INVALID', issues: [{ path: 'querystring.period' }] });
    const team = await server.app.inject({ url: '/api/v1/metrics?team=nobody', headers: server.auth('viewer') });
    expect(team.statusCode).toBe(400);
    expect(team.json().detail).toMatch(/unknown team "nobody"; teams: payments, platform/);
  });

  it('needs a token', async () => {
    const server = await serverWithHistory();
    expect((await server.app.inject({ url: '/api/v1/metrics' })).statusCode).toBe(401);
  });
});
