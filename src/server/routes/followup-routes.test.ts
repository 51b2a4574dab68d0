import { describe, expect, it } from 'vitest';
import { incidentDeclaredInput } from '../../incidents/followups/follow-up-fixtures.ts';
import { loadModel } from '../../model/load-model.ts';
import { testServer, type TestServer } from '../test-support/test-server.ts';

const { model } = await loadModel('examples/demo/.steadyops');

async function serverWithIncident(): Promise<TestServer> {
  const server = await testServer({ model: { current: () => model } });
  await server.ledger.append([{ actor: 'test', event: incidentDeclaredInput('INC-9') }]);
  return server;
}

const post = (server: TestServer, url: string, payload: object, role: Parameters<TestServer['auth']>[0] = 'operator') =>
  server.app.inject({ method: 'POST', url, headers: server.auth(role), payload });
const list = (server: TestServer, query = '') => server.app.inject({ url: `/api/v1/followups${query}`, headers: server.auth('viewer') });

describe('follow-up routes', () => {
  it('adds follow-ups with the token as actor, lists them by team and status, links and closes them', async () => {
    const server = await serverWithIncident();
    const added = await post(server, '/api/v1/followups', { incident: 'INC-9', title: 'Retry budget', owner: 'ana', due: '2026-11-20' });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ followUp: { id: 'SO-FU-1', status: 'overdue', team: 'payments', closedWithoutChange: false } });
    expect(server.ledger.events.at(-1)).toMatchObject({
      type: 'dev.steadyops.followup.created',
      actor: 'token:operator-bot',
      subject: 'checkout-api',
      data: { followUpId: 'SO-FU-1', incidentId: 'INC-9', title: 'Retry budget', owner: 'ana', due: '2026-11-20' },
    });
    expect((await post(server, '/api/v1/followups', { incident: 'INC-9', title: 'Runbook', owner: 'ana', due: '2026-12-20' })).json()).toMatchObject({ followUp: { id: 'SO-FU-2', status: 'open' } });

    expect((await list(server, '?overdue=true')).json<{ followUps: Array<{ id: string }> }>().followUps.map((f) => f.id)).toEqual(['SO-FU-1']);
    expect((await list(server, '?team=payments&incident=INC-9')).json<{ followUps: unknown[] }>().followUps).toHaveLength(2);
    expect((await list(server, '?team=identity')).json<{ followUps: unknown[] }>().followUps).toHaveLength(0);

    const linked = await post(server, '/api/v1/followups/SO-FU-1/link', { change: '#77' });
    expect(linked.statusCode).toBe(200);
    expect(linked.json()).toMatchObject({ followUp: { status: 'overdue', changes: [{ via: 'manual', ref: '#77', merged: false }] } });

    const closed = await post(server, '/api/v1/followups/so-fu-2/close', { reason: 'runbook already covers it' });
    expect(closed.json()).toMatchObject({ followUp: { id: 'SO-FU-2', status: 'done', closedWithoutChange: true } });
    expect(server.ledger.events.at(-1)).toMatchObject({ type: 'dev.steadyops.followup.closed', data: { followUpId: 'SO-FU-2', reason: 'runbook already covers it' } });
  });

  it('refuses bad input with a coded problem and writes nothing', async () => {
    const server = await serverWithIncident();
    const before = server.ledger.events.length;
    const badDue = await post(server, '/api/v1/followups', { incident: 'INC-9', title: 'x', owner: 'ana', due: '10/12/2026' });
    expect(badDue.statusCode).toBe(400);
    expect(badDue.json()).toMatchObject({ code: 'SO_E_INPUT_INVALID' });
    expect(badDue.json<{ detail: string }>().detail).toContain('body.due');
    const unknownIncident = await post(server, '/api/v1/followups', { incident: 'INC-404', title: 'x', owner: 'ana', due: '2026-12-10' });
    expect(unknownIncident.statusCode).toBe(404);
    expect((await post(server, '/api/v1/followups/SO-FU-9/close', {})).statusCode).toBe(404);
    expect((await post(server, '/api/v1/followups', { incident: 'INC-9', title: 'x', owner: 'ana', due: '2026-12-10' }, 'viewer')).statusCode).toBe(403);
    expect(server.ledger.events).toHaveLength(before);

    await post(server, '/api/v1/followups', { incident: 'INC-9', title: 'x', owner: 'ana', due: '2026-12-10' });
    expect((await post(server, '/api/v1/followups/SO-FU-1/close', {})).statusCode).toBe(200);
    const again = await post(server, '/api/v1/followups/SO-FU-1/close', {});
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'SO_E_FOLLOWUP_CLOSED' });
    expect((await post(server, '/api/v1/followups/SO-FU-1/link', { change: '999' })).statusCode).toBe(404);
  });
});
