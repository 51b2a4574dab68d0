import { describe, expect, it } from 'vitest';
import { testServer } from '../test-support/test-server.ts';

describe('GET /api/v1/whoami', () => {
  it('returns the principal of the token', async () => {
    const server = await testServer();
    const response = await server.app.inject({ url: '/api/v1/whoami', headers: server.auth('approver') });
    expect(response.json()).toEqual({ tokenId: 'tok_3', name: 'approver-bot', role: 'approver', actor: 'token:approver-bot' });
  });
});
