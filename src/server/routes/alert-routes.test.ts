import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModelOrThrow } from '../../model/load-model.ts';
import type { ResolvedModel } from '../../model/resolve.ts';
import { testServer } from '../test-support/test-server.ts';
import { demoRoot } from '../../cli/demo.ts';

let model: ResolvedModel;
beforeAll(async () => {
  model = (await loadModelOrThrow(join(demoRoot, '.steadyops'))).model;
});

function alertEvent(id: string, type: string, time: string, data: Record<string, unknown>) {
  return {
    event: { specversion: '1.0' as const, id, source: '/alertmanager/production', type: `dev.steadyops.alert.${type}`, time, subject: data.service as string | undefined, data: { severity: 'critical', labels: {}, startsAt: time, ...data } },
    actor: 'system:alertmanager',
  };
}

describe('GET /api/v1/alerts', () => {
  it('answers routed alerts of the window to a viewer, paging through the ledger', async () => {
    const server = await testServer({ model: { current: () => model }, repositoryRoot: demoRoot });
    await server.ledger.append([
      alertEvent('a1', 'firing', '2026-11-26T08:00:00.000Z', { fingerprint: 'f1', alertname: 'CheckoutHighErrorRate', service: 'checkout-api' }),
      alertEvent('b1', 'firing', '2026-11-26T07:00:00.000Z', { fingerprint: 'f2', alertname: 'SearchLatencyHigh', service: 'search-api' }),
      alertEvent('b2', 'resolved', '2026-11-26T07:30:00.000Z', { fingerprint: 'f2', alertname: 'SearchLatencyHigh', service: 'search-api', startsAt: '2026-11-26T07:00:00.000Z' }),
    ]);
    const response = await server.app.inject({ url: '/api/v1/alerts?since=24h', headers: server.auth('viewer') });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json() as { since: string; alerts: Array<Record<string, unknown>> };
    expect(body.since).toBe('2026-11-25T09:00:00.000Z');
    expect(body.alerts).toEqual([
      expect.objectContaining({ alertname: 'CheckoutHighErrorRate', state: 'firing', team: 'payments', severity: 'page', missing: [], onCall: expect.objectContaining({ kind: 'rotation', person: expect.objectContaining({ email: expect.any(String) }) }) }),
      expect.objectContaining({ alertname: 'SearchLatencyHigh', state: 'resolved', team: 'growth' }),
    ]);
    const firing = (await server.app.inject({ url: '/api/v1/alerts?firing=true&team=payments', headers: server.auth('viewer') })).json() as { alerts: unknown[] };
    expect(firing.alerts).toHaveLength(1);
    expect(server.ledger.queries.at(-1)).toMatchObject({ types: ['dev.steadyops.alert.firing', 'dev.steadyops.alert.resolved', 'dev.steadyops.alert.acknowledged'] });
  });

  it('names the bad parameter, and needs a token', async () => {
    const server = await testServer({ model: { current: () => model } });
    const bad = await server.app.inject({ url: '/api/v1/alerts?since=soon', headers: server.auth('viewer') });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'SO_E_INPUT_INVALID', detail: expect.stringContaining('querystring.since') });
    expect((await server.app.inject({ url: '/api/v1/alerts/gaps?team=nobody', headers: server.auth('viewer') })).statusCode).toBe(404);
    expect((await server.app.inject({ url: '/api/v1/alerts' })).statusCode).toBe(401);
  });

  it('lists gaps from the ledger, the rule files of the repository and the model', async () => {
    const server = await testServer({ model: { current: () => model }, repositoryRoot: demoRoot });
    const response = await server.app.inject({ url: '/api/v1/alerts/gaps', headers: server.auth('viewer') });
    expect(response.statusCode, response.body).toBe(200);
    const gaps = (response.json() as { gaps: Array<{ alertname: string; where?: string; missing: string[] }> }).gaps;
    expect(gaps.find((gap) => gap.alertname === 'NodeDiskFilling')).toMatchObject({ where: 'monitoring/alerts.yaml:24', missing: ['owner', 'runbook', 'firstAction'] });
  });
});
