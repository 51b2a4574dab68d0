import { describe, expect, it } from 'vitest';
import { loadModel } from '../../model/load-model.ts';
import { testServer, type TestServer } from '../test-support/test-server.ts';

const { model } = await loadModel('examples/demo/.steadyops');
const demoServer = () => testServer({ model: { current: () => model } });
const post = (server: TestServer, url: string, role: Parameters<TestServer['auth']>[0], payload: object) =>
  server.app.inject({ method: 'POST', url, headers: server.auth(role), payload });
const argo = (server: TestServer, version: string, role: Parameters<TestServer['auth']>[0] = 'operator') =>
  server.app.inject({ url: `/api/v1/gates/argo?service=checkout-api&env=production&version=${version}`, headers: server.auth(role) });

describe('gate routes', () => {
  it('answers an Argo Rollouts web metric with allow=false and the reasons, recording the decision', async () => {
    const server = await demoServer();
    const response = await argo(server, 'v3.28.0');
    expect(response.statusCode).toBe(200);
    const body = response.json<{ allow: boolean; decision: string; policy: string; reasons: string[]; seq: number }>();
    expect(body).toMatchObject({ allow: false, decision: 'deny', policy: 'tier1-guarded' });
    expect(body.reasons).toContain('approvals: The release has 0 of the 1 approval it needs (the author does not count).');
    expect(server.ledger.events.at(-1)).toMatchObject({ seq: body.seq, type: 'dev.steadyops.gate.decided', subject: 'checkout-api' });
    expect((await argo(server, 'v3.28.0', 'viewer')).statusCode).toBe(403);
    expect((await server.app.inject({ url: '/api/v1/gates/argo?service=checkout-api', headers: server.auth('operator') })).statusCode).toBe(400);
  });

  it('records approvals by the token holder; only an admin may approve in someone else’s name', async () => {
    const server = await demoServer();
    expect((await post(server, '/api/v1/gates/approvals', 'operator', { service: 'checkout-api', version: 'v1' })).statusCode).toBe(403);
    const own = await post(server, '/api/v1/gates/approvals', 'approver', { service: 'checkout-api', version: 'v1', env: 'production' });
    expect(own.statusCode).toBe(201);
    expect(server.ledger.events.at(-1)).toMatchObject({
      type: 'dev.steadyops.release.approved',
      actor: 'token:approver-bot',
      data: { service: 'checkout-api', version: 'v1', approver: 'approver-bot', environment: 'production' },
    });
    const onBehalf = await post(server, '/api/v1/gates/approvals', 'approver', { service: 'checkout-api', version: 'v1', approver: 'ana-lima' });
    expect(onBehalf.statusCode).toBe(403);
    const byAdmin = await post(server, '/api/v1/gates/approvals', 'admin', { service: 'checkout-api', version: 'v1', approver: 'ana-lima' });
    expect(byAdmin.statusCode).toBe(201);
    const unknown = await post(server, '/api/v1/gates/approvals', 'approver', { service: 'nope', version: 'v1' });
    expect(unknown.statusCode).toBe(400);
  });

  it('overrides the latest deny for approvers only, then the gate allows with the override', async () => {
    const server = await demoServer();
    const payload = { service: 'checkout-api', env: 'production', version: 'v9', reason: 'hotfix for INC-2291, approved on the bridge' };
    expect((await post(server, '/api/v1/gates/overrides', 'approver', payload)).statusCode).toBe(404);
    expect((await argo(server, 'v9')).json()).toMatchObject({ allow: false });
    expect((await post(server, '/api/v1/gates/overrides', 'operator', payload)).statusCode).toBe(403);
    const short = await post(server, '/api/v1/gates/overrides', 'approver', { ...payload, reason: 'ship' });
    expect(short.statusCode).toBe(400);
    const override = await post(server, '/api/v1/gates/overrides', 'approver', payload);
    expect(override.statusCode).toBe(201);
    expect(override.json()).toMatchObject({ by: 'approver-bot', reason: payload.reason });
    expect((await argo(server, 'v9')).json()).toMatchObject({ allow: true, decision: 'allow' });
    const check = await post(server, '/api/v1/gates/check', 'operator', { service: 'checkout-api', env: 'production', version: 'v9' });
    expect(check.json()).toMatchObject({
      decision: 'allow',
      policyDecision: 'deny',
      override: { by: 'approver-bot' },
      request: { service: 'checkout-api', environment: 'production', version: 'v9' },
    });
  });
});
