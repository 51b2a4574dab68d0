import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../test-support/test-server.ts';

let server: TestServer;

beforeAll(async () => {
  server = await testServer({ githubWebhookSecret: 'never-shown-secret' });
});

afterAll(async () => {
  await server.app.close();
});

interface Connector {
  id: string;
  kind: string;
  hooks: string[];
  configured: Record<string, boolean>;
  lastEvent: { seq: number; source: string } | null;
  last24h: number;
}

const connectors = async (headers: Record<string, string> = {}) => {
  const response = await server.app.inject({ method: 'GET', url: '/api/v1/connectors', headers: { ...server.auth('viewer'), ...headers } });
  expect(response.statusCode).toBe(200);
  expect(response.body).not.toContain('never-shown-secret');
  const body = response.json() as { head: number; window: { fromSeq: number; countsComplete: boolean }; connectors: Connector[] };
  return { ...body, byId: new Map(body.connectors.map((connector) => [connector.id, connector])) };
};

describe('GET /api/v1/connectors', () => {
  it('needs a token', async () => {
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/connectors' })).statusCode).toBe(401);
  });

  it('lists every connector with absolute webhook URLs and configuration booleans', async () => {
    const { byId, head, window } = await connectors({ host: 'steadyops.example.com:7070' });
    expect([...byId.keys()]).toEqual(['github', 'alertmanager', 'pagerduty', 'cloudevents', 'kubernetes', 'git', 'terraform', 'cli', 'steadyops']);
    expect(byId.get('github')).toMatchObject({
      kind: 'webhook',
      hooks: ['http://steadyops.example.com:7070/hooks/github'],
      configured: { webhookSecret: true, app: false },
      lastEvent: null,
      last24h: 0,
    });
    expect(byId.get('kubernetes')).toMatchObject({ kind: 'watcher', hooks: [], configured: {} });
    expect(head).toBe(0);
    expect(window).toEqual({ fromSeq: 0, countsComplete: true });
    const proxied = await connectors({ 'x-forwarded-proto': 'https', 'x-forwarded-host': 'ops.example.com' });
    expect(proxied.byId.get('alertmanager')!.hooks).toEqual(['https://ops.example.com/hooks/alertmanager']);
  });

  it('follows the ledger: the last event and 24 h count per connector, including appends by other processes', async () => {
    const append = (id: string, source: string, actor: string) =>
      server.ledger.append([{ actor, event: { specversion: '1.0', id, source, type: 'dev.steadyops.change.reported' } }]);
    await append('1', '/github/northwind/checkout-api', 'github');
    await append('2', '/github/northwind/ledger', 'github');
    await append('3', '/kubernetes/prod', 'kubernetes');
    await append('4', '/my/deployer', 'cli:ana');
    const first = await connectors();
    expect(first.head).toBe(4);
    expect(first.byId.get('github')).toMatchObject({ last24h: 2, lastEvent: { seq: 2, source: '/github/northwind/ledger' } });
    expect(first.byId.get('kubernetes')).toMatchObject({ last24h: 1, lastEvent: { seq: 3 } });
    expect(first.byId.get('cli')).toMatchObject({ last24h: 1, lastEvent: { seq: 4 } });

    await append('5', '/terraform/prod', 'cli:ana');
    const second = await connectors();
    expect(second.byId.get('terraform')).toMatchObject({ last24h: 1, lastEvent: { seq: 5 } });
    expect(second.byId.get('github')!.last24h).toBe(2);
  });
});
