import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { roles, type Role } from '../../access/types.ts';
import { fixedClock } from '../../lib/clock.ts';
import { FakeTokenService } from '../test-support/fake-token-service.ts';
import { testServer, type TestServer } from '../test-support/test-server.ts';
import { auth, bearerToken, requireRole } from './auth.ts';
import { problemDetails } from './problem-details.ts';

interface RouteCase {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly url: string;
  readonly role: Role;
  readonly payload?: object;
  /** status for a caller with exactly the required role */
  readonly allowed: number;
}

const event = { specversion: '1.0' as const, id: 'evt-1', source: '/ci/acme', type: 'com.example.build.finished' };

const protectedRoutes: readonly RouteCase[] = [
  { method: 'POST', url: '/api/v1/events', role: 'operator', payload: event, allowed: 200 },
  { method: 'GET', url: '/api/v1/changes', role: 'viewer', allowed: 200 },
  { method: 'GET', url: '/api/v1/events/evt-0', role: 'viewer', allowed: 200 },
  { method: 'GET', url: '/api/v1/ledger/checkpoint', role: 'viewer', allowed: 200 },
  { method: 'GET', url: '/api/v1/ledger/consistency?from=1&to=1', role: 'viewer', allowed: 200 },
  { method: 'GET', url: '/api/v1/ledger/key', role: 'viewer', allowed: 200 },
  { method: 'GET', url: '/api/v1/model', role: 'viewer', allowed: 404 },
  { method: 'POST', url: '/api/v1/tokens', role: 'admin', payload: { name: 'deployer', role: 'operator' }, allowed: 201 },
  { method: 'GET', url: '/api/v1/tokens', role: 'admin', allowed: 200 },
  { method: 'DELETE', url: '/api/v1/tokens/tok_1', role: 'admin', allowed: 204 },
  { method: 'GET', url: '/api/v1/whoami', role: 'viewer', allowed: 200 },
];

/** A server with one stored, checkpointed event so every read route has something to answer with. */
async function seededServer(): Promise<TestServer> {
  const server = await testServer();
  await server.ledger.append([{ event: { ...event, id: 'evt-0' }, actor: 'token:seed' }]);
  await server.ledger.cutCheckpoint();
  server.ledger.appendCalls.length = 0;
  return server;
}

describe('authentication and roles on every /api/v1 route', () => {
  for (const route of protectedRoutes) {
    describe(`${route.method} ${route.url} (needs ${route.role})`, () => {
      const inject = (server: TestServer, headers: Record<string, string>) =>
        server.app.inject({ method: route.method, url: route.url, headers, ...(route.payload ? { payload: route.payload } : {}) });

      it('answers 401 problem+json with WWW-Authenticate without a token', async () => {
        const server = await seededServer();
        const response = await inject(server, {});
        expect(response.statusCode).toBe(401);
        expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.json().code).toBe('SO_E_UNAUTHENTICATED');
        expect(server.ledger.appendCalls).toHaveLength(0);
      });

      it('answers 401 for an unknown token', async () => {
        const server = await seededServer();
        const response = await inject(server, { authorization: 'Bearer so_not-a-real-token' });
        expect(response.statusCode).toBe(401);
        expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
      });

      it('answers 403 for every weaker role and lets the required role and stronger ones through', async () => {
        const server = await seededServer();
        for (const role of roles) {
          const weaker = roles.indexOf(role) < roles.indexOf(route.role);
          const response = await inject(server, server.auth(role));
          if (weaker) {
            expect(response.statusCode, role).toBe(403);
            expect(response.json()).toMatchObject({ code: 'SO_E_FORBIDDEN', detail: `role ${role} may not do this; it needs ${route.role} or higher` });
          } else if (role === route.role) {
            expect(response.statusCode, role).toBe(route.allowed);
          } else {
            expect([401, 403]).not.toContain(response.statusCode);
          }
        }
      });
    });
  }

  it('leaves /healthz, /readyz, /metrics and the OpenAPI document open', async () => {
    const { app } = await testServer();
    for (const url of ['/healthz', '/readyz', '/metrics', '/api/openapi.json']) {
      expect((await app.inject({ url })).statusCode, url).toBe(200);
    }
  });

  it('refuses a revoked token', async () => {
    const server = await testServer();
    const principal = await server.tokens.authenticate(server.secrets.viewer);
    await server.tokens.revoke(principal!.tokenId, 'test');
    const response = await server.app.inject({ url: '/api/v1/whoami', headers: server.auth('viewer') });
    expect(response.statusCode).toBe(401);
  });

  it('refuses to start when an /api/v1 route declares no role', async () => {
    const app = Fastify();
    auth(app, new FakeTokenService(fixedClock('2026-01-01T00:00:00Z')));
    expect(() => app.get('/api/v1/open', async () => ({}))).toThrow(/GET \/api\/v1\/open must declare config.role/);
  });
});

describe('requireRole', () => {
  it('raises the bar above the declared role for one route', async () => {
    const tokens = new FakeTokenService(fixedClock('2026-01-01T00:00:00Z'));
    const operator = await tokens.create({ name: 'op', role: 'operator', createdBy: 'test' });
    const admin = await tokens.create({ name: 'root', role: 'admin', createdBy: 'test' });
    const app = Fastify();
    problemDetails(app, { bodyLimit: 1024 });
    auth(app, tokens);
    app.get('/api/v1/danger', { config: { role: 'viewer' }, preHandler: requireRole('admin') }, async () => ({ ok: true }));
    const as = (token: string) => app.inject({ url: '/api/v1/danger', headers: { authorization: `Bearer ${token}` } });
    expect((await as(operator.token)).json()).toMatchObject({ status: 403, detail: 'role operator may not do this; it needs admin or higher' });
    expect((await as(admin.token)).json()).toEqual({ ok: true });
  });
});

describe('bearerToken', () => {
  it.each([
    ['Bearer abc123', 'abc123'],
    ['bearer abc123', 'abc123'],
    ['Bearer   abc123  ', 'abc123'],
    ['Basic abc123', undefined],
    ['Bearer', undefined],
    ['Bearer a b', undefined],
    ['abc123', undefined],
    [undefined, undefined],
  ])('%j -> %j', (header, expected) => {
    expect(bearerToken(header)).toBe(expected);
  });
});
