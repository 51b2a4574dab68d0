import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRuntime, type Runtime } from '../../cli/runtime.ts';
import { fixedClock } from '../../lib/clock.ts';
import { auth } from '../plugins/auth.ts';
import { jsonBody } from '../plugins/json-body.ts';
import { problemDetails } from '../plugins/problem-details.ts';
import { FakeTokenService } from '../test-support/fake-token-service.ts';
import { cloudEventsHookRoutes } from './cloudevents-hook-routes.ts';

let dir: string;
let runtime: Runtime;
let app: FastifyInstance;
let tokens: Record<'viewer' | 'operator' | 'pinned', string>;
const clock = fixedClock('2026-11-26T09:00:00.000Z');

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'steadyops-cloudevents-hook-'));
  runtime = await openRuntime({ db: `sqlite:${join(dir, 'so.db')}`, cwd: dir, env: {}, clock });
  // the real ledger; in-memory tokens, because the route reads only the caller's name and role
  const tokenService = new FakeTokenService(clock);
  const create = async (name: string, role: 'viewer' | 'operator') => (await tokenService.create({ name, role, createdBy: 'test' })).token;
  tokens = { viewer: await create('viewer-bot', 'viewer'), operator: await create('ci', 'operator'), pinned: await create('source:argocd', 'operator') };
  app = Fastify();
  problemDetails(app, { bodyLimit: 1024 * 1024 });
  jsonBody(app, ['application/json']);
  auth(app, tokenService);
  await cloudEventsHookRoutes(app, { ledger: runtime.ledger, resolve: (hints) => hints.name, clock });
  await app.ready();
});

afterEach(async () => {
  await app.close();
  await runtime.close();
  rmSync(dir, { recursive: true, force: true });
});

const time = '2026-11-26T08:42:00Z';
const deployed = (id: string, source = '/argocd/prod') => ({
  specversion: '1.0',
  id,
  source,
  type: 'dev.cdevents.service.deployed.0.2.0',
  time,
  datacontenttype: 'application/json',
  data: {
    context: { specversion: '0.4.1', id, source, type: 'dev.cdevents.service.deployed.0.2.0', timestamp: time },
    subject: { id: 'service/checkout-api', source, type: 'service', content: { environment: { id: 'production' }, artifactId: 'pkg:oci/checkout-api@v1.4.2' } },
  },
});

const post = (payload: unknown, contentType = 'application/cloudevents+json', token: string | null = tokens.operator, headers: Record<string, string> = {}) =>
  app.inject({
    method: 'POST',
    url: '/hooks/cloudevents',
    headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });

const stored = () => runtime.ledger.query({});

describe('POST /hooks/cloudevents', () => {
  it.each([
    ['structured', () => post(deployed('d-1'))],
    ['batch', () => post([deployed('d-1')], 'application/cloudevents-batch+json')],
    ['plain JSON', () => post(deployed('d-1'), 'application/json')],
    [
      'binary',
      () =>
        post(deployed('d-1').data, 'application/json', tokens.operator, {
          'ce-specversion': '1.0',
          'ce-id': 'd-1',
          'ce-source': '/argocd/prod',
          'ce-type': 'dev.cdevents.service.deployed.0.2.0',
          'ce-time': time,
        }),
    ],
  ])('maps a CDEvent sent in %s mode and stores it once', async (_mode, send) => {
    const response = await send();
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      accepted: 1,
      stored: 1,
      duplicates: 0,
      mapped: 1,
      events: [{ id: 'd-1', source: '/argocd/prod', type: 'dev.steadyops.deploy.finished', seq: 1, duplicate: false }],
    });
    const [event] = await stored();
    expect(event).toMatchObject({
      id: 'd-1',
      source: '/argocd/prod',
      type: 'dev.steadyops.deploy.finished',
      subject: 'checkout-api',
      environment: 'production',
      actor: 'token:ci',
      data: { service: 'checkout-api', environment: 'production', version: 'pkg:oci/checkout-api@v1.4.2' },
    });
    const again = await send();
    expect(again.json()).toMatchObject({ accepted: 1, stored: 0, duplicates: 1 });
    expect(await runtime.ledger.size()).toBe(1);
  });

  it('stores other CloudEvents as they are', async () => {
    const other = { specversion: '1.0', id: 'b-1', source: '/jenkins', type: 'com.example.build.finished', subject: 'web', data: { ok: true } };
    const response = await post(other);
    expect(response.json()).toMatchObject({ stored: 1, mapped: 0, events: [{ type: 'com.example.build.finished' }] });
    expect((await stored())[0]).toMatchObject({ ...other, actor: 'token:ci' });
  });

  it('lets a source:<prefix> token send its own sources', async () => {
    const response = await post([deployed('d-1'), deployed('d-2', '/argocd')], 'application/cloudevents-batch+json', tokens.pinned);
    expect(response.statusCode).toBe(200);
    expect((await stored()).map((event) => event.actor)).toEqual(['token:source:argocd', 'token:source:argocd']);
  });

  it('refuses a whole batch from a source:<prefix> token when one source is foreign', async () => {
    const response = await post([deployed('d-1'), deployed('d-2', '/argocd-evil')], 'application/cloudevents-batch+json', tokens.pinned);
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ code: 'SO_E_FORBIDDEN', issues: [{ path: '[1].source' }] });
    expect(await runtime.ledger.size()).toBe(0);
  });

  it.each([
    ['no token', null, 401],
    ['a viewer token', 'viewer', 403],
  ] as const)('refuses %s', async (_name, who, status) => {
    const response = await post(deployed('d-1'), 'application/cloudevents+json', who === null ? null : tokens[who]);
    expect(response.statusCode).toBe(status);
    expect(await runtime.ledger.size()).toBe(0);
  });

  it.each<[string, unknown, string, number, string]>([
    ['a CDEvent without its environment', [deployed('ok'), { ...deployed('bad'), data: { subject: { id: 's', content: { artifactId: 'a' } } } }], 'application/cloudevents-batch+json', 400, 'SO_E_INPUT_INVALID'],
    ['a CloudEvent without an id', { ...deployed('x'), id: undefined }, 'application/cloudevents+json', 422, 'SO_E_EVENT_INVALID'],
    ['an array sent as one event', [deployed('x')], 'application/cloudevents+json', 400, 'SO_E_INPUT_INVALID'],
    ['an unknown media type', 'hello', 'text/plain', 415, 'SO_E_UNSUPPORTED_MEDIA_TYPE'],
  ])('rejects %s and writes nothing', async (_name, payload, contentType, status, code) => {
    const response = await post(payload, contentType);
    expect(response.statusCode).toBe(status);
    expect(response.json()).toMatchObject({ code });
    expect(await runtime.ledger.size()).toBe(0);
  });
});
