import { describe, expect, it } from 'vitest';
import { SteadyopsError } from '../../lib/errors.ts';
import { testServer } from '../test-support/test-server.ts';

describe('probes', () => {
  it('GET /healthz answers ok', async () => {
    const { app } = await testServer();
    const response = await app.inject({ url: '/healthz' });
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz answers 200 when the store is reachable', async () => {
    const { app } = await testServer({ ready: async () => {} });
    expect((await app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready' });
  });

  it.each([
    [new Error('connect ECONNREFUSED 127.0.0.1:5432'), 'the database store is unavailable: connect ECONNREFUSED 127.0.0.1:5432'],
    [new SteadyopsError('SO_E_DB_UNAVAILABLE', { target: 'postgres', detail: 'timeout' }), 'the database postgres is unavailable: timeout'],
  ])('GET /readyz answers 503 problem+json when ready() throws %s', async (error, detail) => {
    const { app } = await testServer({
      ready: async () => {
        throw error;
      },
    });
    const response = await app.inject({ url: '/readyz' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ code: 'SO_E_DB_UNAVAILABLE', status: 503, detail });
  });
});
