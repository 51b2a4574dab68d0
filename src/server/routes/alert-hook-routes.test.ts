import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRuntime, type Runtime } from '../../cli/runtime.ts';
import type { Clock } from '../../lib/clock.ts';
import { auth } from '../plugins/auth.ts';
import { jsonBody } from '../plugins/json-body.ts';
import { openApi } from '../plugins/openapi.ts';
import { problemDetails } from '../plugins/problem-details.ts';
import { alertHookRoutes } from './alert-hook-routes.ts';

let dir: string;
let runtime: Runtime;
let app: FastifyInstance;
let tokens: Record<'viewer' | 'operator', string>;
let now = new Date('2026-11-26T09:00:00.000Z');
const clock: Clock = { now: () => new Date(now) };

beforeEach(async () => {
  now = new Date('2026-11-26T09:00:00.000Z');
  dir = mkdtempSync(join(tmpdir(), 'steadyops-alert-hooks-'));
  runtime = await openRuntime({ db: `sqlite:${join(dir, 'so.db')}`, cwd: dir, env: {}, clock });
  tokens = {
    viewer: (await runtime.tokens.create({ name: 'viewer-bot', role: 'viewer', createdBy: 'test' })).token,
    operator: (await runtime.tokens.create({ name: 'alertmanager', role: 'operator', createdBy: 'test' })).token,
  };
  app = Fastify();
  problemDetails(app, { bodyLimit: 1024 * 1024 });
  jsonBody(app, ['application/json']);
  auth(app, runtime.tokens);
  alertHookRoutes(app, { ledger: runtime.ledger, resolve: (hints) => hints.name, clock });
  await app.ready();
});

afterEach(async () => {
  await app.close();
  await runtime.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (url: string, payload: unknown, token: string | null = tokens.operator) =>
  app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });

const alertEvents = () => runtime.ledger.query({ types: ['dev.steadyops.alert.*', 'dev.steadyops.change.*'] });

function notification(status: 'firing' | 'resolved') {
  const alert = (fingerprint: string, service: string) => ({
    status,
    labels: { alertname: 'HighErrorRate', service, severity: 'page' },
    annotations: { summary: 'errors' },
    startsAt: '2026-11-26T08:40:00Z',
    endsAt: status === 'firing' ? '0001-01-01T00:00:00Z' : '2026-11-26T08:58:00Z',
    generatorURL: 'http://prometheus:9090/graph',
    fingerprint,
  });
  return {
    version: '4',
    groupKey: '{}:{alertname="HighErrorRate"}',
    status,
    receiver: 'steadyops',
    groupLabels: { alertname: 'HighErrorRate' },
    commonLabels: { alertname: 'HighErrorRate' },
    commonAnnotations: {},
    externalURL: 'http://am:9093',
    alerts: [alert('f1', 'checkout-api'), alert('f2', 'payments-api')],
  };
}

const pdTrigger = { routing_key: 'Rkey', event_action: 'trigger', dedup_key: 'disk-db1', payload: { summary: 'Disk full', source: 'db1', severity: 'critical', component: 'orders-db', timestamp: '2026-11-26T08:45:00Z' } };

describe('POST /hooks/alertmanager', () => {
  it('stores one event per alert with the system actor, and acknowledges a repeat as duplicates', async () => {
    const first = await post('/hooks/alertmanager', notification('firing'));
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ accepted: 2, stored: 2, duplicates: 0 });
    const again = await post('/hooks/alertmanager', notification('firing'));
    expect(again.json()).toMatchObject({ accepted: 2, stored: 0, duplicates: 2 });

    const stored = await alertEvents();
    expect(stored.map((event) => [event.type, event.subject, event.actor, event.source])).toEqual([
      ['dev.steadyops.alert.firing', 'payments-api', 'system:alertmanager', '/alertmanager/am:9093'],
      ['dev.steadyops.alert.firing', 'checkout-api', 'system:alertmanager', '/alertmanager/am:9093'],
    ]);
  });

  it('records resolution as separate events', async () => {
    await post('/hooks/alertmanager', notification('firing'));
    const resolved = await post('/hooks/alertmanager', notification('resolved'));
    expect(resolved.json()).toMatchObject({ stored: 2 });
    expect((await alertEvents()).map((event) => event.type).sort()).toEqual([
      'dev.steadyops.alert.firing',
      'dev.steadyops.alert.firing',
      'dev.steadyops.alert.resolved',
      'dev.steadyops.alert.resolved',
    ]);
  });

  it.each<[string, unknown, string]>([
    ['a wrong version', { ...notification('firing'), version: '3' }, 'body.version'],
    ['an alert with a bad startsAt', { ...notification('firing'), alerts: [{ ...notification('firing').alerts[0], startsAt: 'soon' }] }, 'body.alerts.0.startsAt'],
    ['alerts that is not an array', { ...notification('firing'), alerts: {} }, 'body.alerts'],
  ])('rejects %s with 400 problem+json and stores nothing', async (_name, body, path) => {
    const response = await post('/hooks/alertmanager', body);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ code: 'SO_E_INPUT_INVALID' });
    expect(response.json().issues.map((issue: { path: string }) => issue.path)).toContain(path);
    expect(await runtime.ledger.size()).toBe(2);
  });

  it('rejects a body that is not JSON with 400', async () => {
    const response = await post('/hooks/alertmanager', '{"version": ');
    expect(response.statusCode).toBe(400);
  });

  it.each([
    ['no token', null, 401],
    ['a viewer token', 'viewer', 403],
    ['an unknown token', 'nope', 401],
  ] as const)('refuses %s', async (_name, who, status) => {
    const token = who === 'viewer' ? tokens.viewer : who;
    const response = await post('/hooks/alertmanager', notification('firing'), token);
    expect(response.statusCode).toBe(status);
    expect(await alertEvents()).toEqual([]);
  });
});

describe('POST /hooks/pagerduty', () => {
  it.each(['/hooks/pagerduty', '/hooks/pagerduty/v2/enqueue'])('%s answers like PagerDuty and stores a firing event', async (url) => {
    const response = await post(url, pdTrigger);
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ status: 'success', message: 'Event processed', dedup_key: 'disk-db1' });
    const [event] = await alertEvents();
    expect(event).toMatchObject({ type: 'dev.steadyops.alert.firing', subject: 'orders-db', actor: 'system:pagerduty' });
    expect(JSON.stringify(event)).not.toContain('Rkey');
  });

  it('carries the trigger into acknowledge and resolve, and deduplicates redeliveries', async () => {
    await post('/hooks/pagerduty', pdTrigger);
    await post('/hooks/pagerduty', pdTrigger);
    now = new Date('2026-11-26T09:05:00.000Z');
    const ack = { routing_key: 'Rkey', event_action: 'acknowledge', dedup_key: 'disk-db1' };
    expect((await post('/hooks/pagerduty', ack)).statusCode).toBe(202);
    now = new Date('2026-11-26T09:10:00.000Z');
    const resolve = { routing_key: 'Rkey', event_action: 'resolve', dedup_key: 'disk-db1' };
    await post('/hooks/pagerduty', resolve);
    now = new Date('2026-11-26T09:11:00.000Z');
    await post('/hooks/pagerduty', resolve);

    const stored = await alertEvents();
    expect(stored.map((event) => [event.type, event.subject, event.time])).toEqual([
      ['dev.steadyops.alert.resolved', 'orders-db', '2026-11-26T09:10:00.000Z'],
      ['dev.steadyops.alert.acknowledged', 'orders-db', '2026-11-26T09:05:00.000Z'],
      ['dev.steadyops.alert.firing', 'orders-db', '2026-11-26T08:45:00.000Z'],
    ]);
    expect(stored[0]!.data).toMatchObject({ alertname: 'Disk full', startsAt: '2026-11-26T08:45:00.000Z', endsAt: '2026-11-26T09:10:00.000Z' });
  });

  it('keeps the same dedup_key apart for two routing keys', async () => {
    await post('/hooks/pagerduty', pdTrigger);
    await post('/hooks/pagerduty', { ...pdTrigger, routing_key: 'Rother' });
    expect(new Set((await alertEvents()).map((event) => event.source)).size).toBe(2);
  });

  it.each(['/hooks/pagerduty', '/hooks/pagerduty/v2/change/enqueue'])('%s takes change events', async (url) => {
    const change = { routing_key: 'Rkey', payload: { summary: 'Deployed v2', timestamp: '2026-11-26T08:00:00Z', custom_details: { service: 'checkout-api' } } };
    const response = await post(url, change);
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({ status: 'success', message: 'Change event processed' });
    expect((await alertEvents()).map((event) => [event.type, event.subject])).toEqual([['dev.steadyops.change.reported', 'checkout-api']]);
  });

  it.each<[string, unknown, string]>([
    ['a bad severity', { ...pdTrigger, payload: { ...pdTrigger.payload, severity: 'catastrophic' } }, 'body.payload.severity'],
    ['a resolve without dedup_key', { routing_key: 'Rkey', event_action: 'resolve' }, 'body.dedup_key'],
    ['a link that is not a URL', { ...pdTrigger, links: [{ href: 'nope' }] }, 'body.links.0.href'],
  ])('rejects %s with 400 and stores nothing', async (_name, body, path) => {
    const before = await runtime.ledger.size();
    const response = await post('/hooks/pagerduty', body);
    expect(response.statusCode).toBe(400);
    expect(response.json().issues.map((issue: { path: string }) => issue.path)).toContain(path);
    expect(await runtime.ledger.size()).toBe(before);
  });

  it('refuses a request without a token', async () => {
    expect((await post('/hooks/pagerduty/v2/enqueue', pdTrigger, null)).statusCode).toBe(401);
    expect(await alertEvents()).toEqual([]);
  });
});

describe('OpenAPI', () => {
  it('documents every hook as bearer-secured, with the status each one answers', async () => {
    const documented = Fastify({ ajv: { customOptions: { allErrors: true } } });
    problemDetails(documented, { bodyLimit: 1024 });
    jsonBody(documented, ['application/json']);
    auth(documented, runtime.tokens);
    await openApi(documented, 'test');
    alertHookRoutes(documented, { ledger: runtime.ledger, resolve: () => undefined, clock });
    await documented.ready();
    const paths = (await documented.inject({ url: '/api/openapi.json' })).json().paths;
    const hooks = Object.entries(paths as Record<string, { post: { security: unknown; responses: Record<string, unknown> } }>)
      .filter(([path]) => path.startsWith('/hooks/'))
      .map(([path, { post }]) => [path, post.security, Object.keys(post.responses).filter((code) => code.startsWith('2'))]);
    expect(hooks).toEqual([
      ['/hooks/alertmanager', [{ bearerAuth: [] }], ['200']],
      ['/hooks/pagerduty', [{ bearerAuth: [] }], ['202']],
      ['/hooks/pagerduty/v2/enqueue', [{ bearerAuth: [] }], ['202']],
      ['/hooks/pagerduty/v2/change/enqueue', [{ bearerAuth: [] }], ['202']],
    ]);
    await documented.close();
  });
});
