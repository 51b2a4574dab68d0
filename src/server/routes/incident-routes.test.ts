import { describe, expect, it } from 'vitest';
import { loadModel } from '../../model/load-model.ts';
import { testNow, testServer, type TestServer } from '../test-support/test-server.ts';

const { model } = await loadModel('examples/demo/.steadyops');
const demoServer = () => testServer({ model: { current: () => model } });
const minutesBefore = (minutes: number): string => new Date(Date.parse(testNow) - minutes * 60_000).toISOString();
type Role = Parameters<TestServer['auth']>[0];

const post = (server: TestServer, url: string, role: Role, payload?: object) =>
  server.app.inject({ method: 'POST', url, headers: server.auth(role), ...(payload ? { payload } : {}) });
const get = (server: TestServer, url: string, role: Role = 'viewer') => server.app.inject({ url, headers: server.auth(role) });

async function seedAlert(server: TestServer): Promise<void> {
  await server.ledger.append([
    {
      actor: 'github:dev',
      event: { specversion: '1.0', id: 'deploy-1', source: '/github', type: 'dev.steadyops.deploy.finished', subject: 'checkout-api', time: minutesBefore(20), data: { service: 'checkout-api', environment: 'production', version: 'v2', previousVersion: 'v1' } },
    },
    {
      actor: 'system:alertmanager',
      event: {
        specversion: '1.0',
        id: 'alert-1',
        source: '/alertmanager/production',
        type: 'dev.steadyops.alert.firing',
        subject: 'checkout-api',
        time: minutesBefore(10),
        data: { alertname: 'CheckoutErrorRate', fingerprint: 'fp-42', severity: 'page', labels: {}, annotations: { summary: 'checkout 5xx above 5%' }, startsAt: minutesBefore(10), service: 'checkout-api', environment: 'production' },
      },
    },
  ]);
}

describe('incident routes', () => {
  it('declares, updates and resolves an incident; each write is one ledger event with the token as actor', async () => {
    const server = await demoServer();
    const declared = await post(server, '/api/v1/incidents', 'operator', { title: 'checkout failing', severity: 'sev2', services: ['checkout-api'], commander: 'ana' });
    expect(declared.statusCode).toBe(201);
    const { incident, seq } = declared.json<{ incident: { id: string }; seq: number }>();
    expect(server.ledger.events.at(-1)).toMatchObject({ seq, type: 'dev.steadyops.incident.declared', actor: 'token:operator-bot', subject: 'checkout-api', data: { incidentId: incident.id, roles: { commander: 'ana' } } });
    expect(incident.id).toBe('INC-1');

    expect((await post(server, `/api/v1/incidents/${incident.id}/acknowledge`, 'operator')).json()).toMatchObject({ incident: { status: 'acknowledged', acknowledgedBy: 'operator-bot' } });
    const update = await post(server, `/api/v1/incidents/${incident.id}/updates`, 'operator', { message: 'bad deploy', status: 'identified', severity: 'sev1', scribe: 'cy' });
    expect(update.json()).toMatchObject({ incident: { status: 'identified', severity: 'sev1', roles: { commander: 'ana', scribe: 'cy' } } });
    expect((await post(server, `/api/v1/incidents/${incident.id}/mitigate`, 'operator', { summary: 'rolled back' })).statusCode).toBe(201);
    expect((await post(server, `/api/v1/incidents/${incident.id}/resolve`, 'operator', {})).json()).toMatchObject({ incident: { status: 'resolved' } });
    const postmortem = await post(server, `/api/v1/incidents/${incident.id}/postmortem`, 'operator', { url: 'https://wiki.example.com/pm/INC-1', followUps: [{ title: 'lint migrations', owner: 'ana' }] });
    expect(postmortem.json()).toMatchObject({ incident: { postmortemUrl: 'https://wiki.example.com/pm/INC-1', followUps: [{ title: 'lint migrations' }] } });

    const shown = await get(server, `/api/v1/incidents/${incident.id}`);
    expect(shown.json()).toMatchObject({ id: 'INC-1', status: 'resolved', eventCount: 6 });
    expect(server.ledger.events.filter((event) => event.type.startsWith('dev.steadyops.incident.')).map((event) => event.id)).toEqual(['INC-1.1', 'INC-1.2', 'INC-1.3', 'INC-1.4', 'INC-1.5', 'INC-1.6']);
  });

  it('answers 409 for an invalid transition and 404 for an unknown id, writing nothing', async () => {
    const server = await demoServer();
    await post(server, '/api/v1/incidents', 'operator', { title: 'search slow', severity: 'sev3', services: ['checkout-api'] });
    await post(server, '/api/v1/incidents/INC-1/acknowledge', 'operator');
    const size = server.ledger.events.length;
    const twice = await post(server, '/api/v1/incidents/INC-1/acknowledge', 'operator');
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'SO_E_INCIDENT_TRANSITION', detail: expect.stringContaining('cannot acknowledge INC-1: it was already acknowledged by operator-bot') });
    expect((await post(server, '/api/v1/incidents/INC-9/resolve', 'operator', {})).statusCode).toBe(404);
    expect((await get(server, '/api/v1/incidents/INC-9')).json()).toMatchObject({ code: 'SO_E_NOT_FOUND', detail: 'incident INC-9 was not found' });
    expect(server.ledger.events).toHaveLength(size);
  });

  it('refuses bad input with the field path, and writes need an operator', async () => {
    const server = await demoServer();
    const bad = await post(server, '/api/v1/incidents', 'operator', { title: 'x', severity: 'sev0', services: ['checkout-api'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ detail: string }>().detail).toContain('severity');
    const unknownService = await post(server, '/api/v1/incidents', 'operator', { title: 'x', severity: 'sev3', services: ['nope'] });
    expect(unknownService.json()).toMatchObject({ code: 'SO_E_INPUT_INVALID', issues: [{ path: 'services' }] });
    expect((await post(server, '/api/v1/incidents', 'viewer', { title: 'x', severity: 'sev3', services: ['checkout-api'] })).statusCode).toBe(403);
    expect(server.ledger.events).toHaveLength(0);
  });

  it('declares from a firing alert and lists incidents with filters and pagination', async () => {
    const server = await demoServer();
    await seedAlert(server);
    const fromAlert = await post(server, '/api/v1/incidents', 'operator', { fromAlert: 'fp-42' });
    expect(fromAlert.json()).toMatchObject({ incident: { id: 'INC-1', title: 'checkout 5xx above 5%', severity: 'sev2', services: ['checkout-api'], environment: 'production', fromAlert: 'fp-42' } });
    expect((await post(server, '/api/v1/incidents', 'operator', { fromAlert: 'fp-missing' })).statusCode).toBe(404);
    await post(server, '/api/v1/incidents', 'operator', { title: 'second', severity: 'sev4', services: ['checkout-api'] });
    await post(server, '/api/v1/incidents/INC-2/resolve', 'operator', {});

    const open = await get(server, '/api/v1/incidents?state=open');
    expect(open.json<{ items: Array<{ id: string }> }>().items.map((item) => item.id)).toEqual(['INC-1']);
    const first = await get(server, '/api/v1/incidents?limit=1');
    const page = first.json<{ items: Array<{ id: string }>; nextCursor: string }>();
    expect(page.items.map((item) => item.id)).toEqual(['INC-2']);
    const second = await get(server, `/api/v1/incidents?limit=1&cursor=${page.nextCursor}`);
    expect(second.json()).toEqual({ items: [expect.objectContaining({ id: 'INC-1' })] });
    expect((await get(server, '/api/v1/incidents?severity=sev4')).json<{ items: unknown[] }>().items).toHaveLength(1);
  });

  it('serves the timeline with the likely trigger, paginated by seq', async () => {
    const server = await demoServer();
    await seedAlert(server);
    await post(server, '/api/v1/incidents', 'operator', { fromAlert: 'fp-42' });
    const response = await get(server, '/api/v1/incidents/INC-1/timeline?window=1h');
    expect(response.statusCode).toBe(200);
    const timeline = response.json<{ entries: Array<{ kind: string; seq: number }>; likelyTrigger: { seq: number; summary: string }; firstAlert: { alertname: string } }>();
    expect(timeline.entries.map((entry) => entry.kind)).toEqual(['deploy', 'alert', 'incident']);
    expect(timeline.likelyTrigger).toMatchObject({ seq: 1, summary: 'deploy finished — v1 -> v2' });
    expect(timeline.firstAlert.alertname).toBe('CheckoutErrorRate');
    const paged = (await get(server, '/api/v1/incidents/INC-1/timeline?limit=2')).json<{ entries: unknown[]; nextCursor: number }>();
    expect(paged.entries).toHaveLength(2);
    expect(paged.nextCursor).toBe(2);
    expect((await get(server, `/api/v1/incidents/INC-1/timeline?cursor=${paged.nextCursor}`)).json<{ entries: unknown[] }>().entries).toHaveLength(1);
    expect((await get(server, '/api/v1/incidents/INC-1/timeline?window=soon')).statusCode).toBe(400);
  });
});
