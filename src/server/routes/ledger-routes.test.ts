import { describe, expect, it } from 'vitest';
import { fakeVerifierKey } from '../test-support/fake-ledger.ts';
import { testServer } from '../test-support/test-server.ts';

async function serverWithEvents(count: number) {
  const server = await testServer();
  for (let i = 0; i < count; i++) {
    await server.ledger.append([{ event: { specversion: '1.0', id: `e${i}`, source: '/s', type: 'com.example.t' }, actor: 'token:ci' }]);
  }
  return server;
}

describe('GET /api/v1/ledger/checkpoint', () => {
  it('serves the signed note exactly, as text/plain by default', async () => {
    const server = await serverWithEvents(3);
    await server.ledger.cutCheckpoint();
    const response = await server.app.inject({ url: '/api/v1/ledger/checkpoint', headers: server.auth('viewer') });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.body).toBe(server.ledger.checkpoints[0]!.note);
  });

  it.each(['application/json', 'text/plain;q=0.5, application/json', 'application/json;q=0.9, text/html'])(
    'serves JSON with the verifier key for Accept: %s',
    async (accept) => {
      const server = await serverWithEvents(2);
      const checkpoint = await server.ledger.cutCheckpoint();
      const response = await server.app.inject({ url: '/api/v1/ledger/checkpoint', headers: { ...server.auth('viewer'), accept } });
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.json()).toEqual({ ...checkpoint, verifierKey: fakeVerifierKey });
    },
  );

  it('cuts the first checkpoint when none exists yet', async () => {
    const server = await serverWithEvents(1);
    const response = await server.app.inject({ url: '/api/v1/ledger/checkpoint', headers: server.auth('viewer') });
    expect(response.statusCode).toBe(200);
    expect(server.ledger.checkpoints).toHaveLength(1);
  });

  it('answers 409 problem+json when the ledger is empty and nothing can be signed', async () => {
    const server = await testServer();
    const response = await server.app.inject({ url: '/api/v1/ledger/checkpoint', headers: server.auth('viewer') });
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'SO_E_CHECKPOINT_MISSING', detail: 'no signed checkpoint covers tree size 0 yet' });
  });
});

describe('GET /api/v1/ledger/consistency', () => {
  it('returns the ledger proof between two checkpoints', async () => {
    const server = await serverWithEvents(2);
    await server.ledger.cutCheckpoint();
    await server.ledger.append([{ event: { specversion: '1.0', id: 'late', source: '/s', type: 'com.example.t' }, actor: 'token:ci' }]);
    await server.ledger.cutCheckpoint();
    const response = await server.app.inject({ url: '/api/v1/ledger/consistency?from=2&to=3', headers: server.auth('viewer') });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(await server.ledger.consistencyProof(2, 3));
  });

  it.each([
    ['from=3&to=2', 'querystring.from'],
    ['from=1', 'querystring.to'],
    ['from=x&to=2', 'querystring.from'],
  ])('answers 400 for %s', async (query, path) => {
    const server = await testServer();
    const response = await server.app.inject({ url: `/api/v1/ledger/consistency?${query}`, headers: server.auth('viewer') });
    expect(response.statusCode).toBe(400);
    expect(response.json().issues).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
  });

  it('passes the ledger error through when a size has no checkpoint', async () => {
    const server = await serverWithEvents(2);
    const response = await server.app.inject({ url: '/api/v1/ledger/consistency?from=1&to=2', headers: server.auth('viewer') });
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('SO_E_CHECKPOINT_MISSING');
  });
});

describe('GET /api/v1/ledger/key', () => {
  it('returns the verifier key', async () => {
    const server = await testServer();
    const response = await server.app.inject({ url: '/api/v1/ledger/key', headers: server.auth('viewer') });
    expect(response.json()).toEqual({ verifierKey: fakeVerifierKey });
  });
});
