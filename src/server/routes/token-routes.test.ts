import { describe, expect, it } from 'vitest';
import { testServer, testNow } from '../test-support/test-server.ts';

describe('/api/v1/tokens', () => {
  it('creates a token once, records the creator, and the new token works', async () => {
    const server = await testServer();
    const response = await server.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: server.auth('admin'),
      payload: { name: 'deployer', role: 'operator', expiresIn: '30d' },
    });
    expect(response.statusCode).toBe(201);
    const { token, record } = response.json();
    expect(record).toEqual({
      id: expect.any(String),
      name: 'deployer',
      role: 'operator',
      createdAt: testNow,
      createdBy: 'token:admin-bot',
      expiresAt: '2026-12-26T09:00:00.000Z',
    });
    const whoami = await server.app.inject({ url: '/api/v1/whoami', headers: { authorization: `Bearer ${token}` } });
    expect(whoami.json()).toEqual({ tokenId: record.id, name: 'deployer', role: 'operator', actor: 'token:deployer' });
  });

  it.each([
    [{ role: 'viewer' }, 'body.name'],
    [{ name: 'x', role: 'root' }, 'body.role'],
    [{ name: 'has space', role: 'viewer' }, 'body.name'],
    [{ name: 'x', role: 'viewer', expiresIn: 'a while' }, 'body.expiresIn'],
  ])('answers 400 for %j naming %s', async (payload, path) => {
    const server = await testServer();
    const response = await server.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: server.auth('admin'), payload });
    expect(response.statusCode).toBe(400);
    expect(response.json().issues).toEqual(expect.arrayContaining([expect.objectContaining({ path })]));
    expect(await server.tokens.list()).toHaveLength(4);
  });

  it('lists records without secrets', async () => {
    const server = await testServer();
    const response = await server.app.inject({ url: '/api/v1/tokens', headers: server.auth('admin') });
    const { tokens } = response.json();
    expect(tokens.map((record: { role: string }) => record.role)).toEqual(['viewer', 'operator', 'approver', 'admin']);
    for (const secret of Object.values(server.secrets)) expect(response.body).not.toContain(secret);
  });

  it('never serialises fields a token service might add beyond the record', async () => {
    const server = await testServer();
    const list = server.tokens.list.bind(server.tokens);
    server.tokens.list = async () => (await list()).map((record) => ({ ...record, hash: 'sha256:deadbeef', secret: 's' }));
    const response = await server.app.inject({ url: '/api/v1/tokens', headers: server.auth('admin') });
    expect(response.body).not.toMatch(/deadbeef|"secret"|"hash"/);
  });

  it('revokes a token with 204, after which it no longer authenticates', async () => {
    const server = await testServer();
    const viewer = await server.tokens.authenticate(server.secrets.viewer);
    const response = await server.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${viewer!.tokenId}`, headers: server.auth('admin') });
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    const after = await server.app.inject({ url: '/api/v1/whoami', headers: server.auth('viewer') });
    expect(after.statusCode).toBe(401);
  });

  it('answers 404 when revoking an unknown token', async () => {
    const server = await testServer();
    const response = await server.app.inject({ method: 'DELETE', url: '/api/v1/tokens/tok_404', headers: server.auth('admin') });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'SO_E_NOT_FOUND', detail: 'token tok_404 was not found' });
  });
});
