import { afterEach, describe, expect, it, vi } from 'vitest';
import { incidentDeclaredInput } from '../incidents/followups/follow-up-fixtures.ts';
import { fetchSend } from '../incidents/notify/fetch-send.ts';
import { notifyModel, startReceiver, type Receiver } from '../incidents/notify/notify-fixtures.ts';
import { emptyModel } from '../model/resolve.ts';
import { hasNotificationTargets } from './notification-follower.ts';
import { testServer, type TestServer } from './test-support/test-server.ts';

const receivers: Receiver[] = [];
const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.app.close();
  for (const receiver of receivers.splice(0)) await receiver.close();
});

const declaredEvent = (id: string) => incidentDeclaredInput(id, '2026-11-26T08:59:00Z');

async function notifyingServer(): Promise<{ server: TestServer; chat: Receiver }> {
  const chat = await startReceiver([200]);
  receivers.push(chat);
  const model = notifyModel(`${chat.url}/hook`);
  const server = await testServer({
    model: { current: () => model },
    liveEvents: { pollMs: 20 },
    notifications: { config: {}, send: fetchSend, retry: { attempts: 2, baseMs: 1 } },
  });
  servers.push(server);
  return { server, chat };
}

const notificationEvents = (server: TestServer) =>
  server.ledger.events.filter((event) => event.type === 'dev.steadyops.notification.delivered' || event.type === 'dev.steadyops.notification.failed');

describe('the server’s notifications', () => {
  it('notifies once for an incident event pushed through the API, and records the delivery', async () => {
    const { server, chat } = await notifyingServer();
    const response = await server.app.inject({ method: 'POST', url: '/api/v1/events', headers: server.auth('operator'), payload: declaredEvent('INC-1') });
    expect(response.statusCode).toBeLessThan(300);
    await vi.waitFor(() => expect(notificationEvents(server)).toHaveLength(1));
    expect(chat.received).toHaveLength(1);
    expect(chat.received[0]!.body).toMatchObject({ text: expect.stringContaining('Incident INC-1 declared (sev2)') });
    expect(notificationEvents(server)[0]).toMatchObject({ type: 'dev.steadyops.notification.delivered', data: { target: 'payments', forEvent: { id: 'declare-INC-1' } } });
  });

  it('notifies for events another process appended, read from the ledger head', async () => {
    const { server, chat } = await notifyingServer();
    // as the CLI would: straight into the ledger, not through this server
    await server.ledger.append([{ actor: 'cli:ana', event: declaredEvent('INC-2') }]);
    await vi.waitFor(() => expect(notificationEvents(server)).toHaveLength(1));
    expect(chat.received).toHaveLength(1);
  });

  it('stays out of the way when there is nothing to notify', async () => {
    expect(hasNotificationTargets(emptyModel(), {})).toBe(false);
    expect(hasNotificationTargets(notifyModel('https://hooks.slack.example/T0/B0'), {})).toBe(false);
    expect(hasNotificationTargets(emptyModel(), { pagerduty: { routingKey: 'k', url: 'http://127.0.0.1:9/' } })).toBe(true);
    const server = await testServer({ notifications: { config: {}, send: fetchSend } });
    servers.push(server);
    await server.app.inject({ method: 'POST', url: '/api/v1/events', headers: server.auth('operator'), payload: declaredEvent('INC-3') });
    expect(notificationEvents(server)).toEqual([]);
  });
});
