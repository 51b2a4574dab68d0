import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pagerDutyAlertEvent } from '../../connectors/pagerduty/pagerduty-event.ts';
import { createLedger } from '../../ledger/ledger.ts';
import { createNoteSigner, generateSigningKey } from '../../ledger/signed-note.ts';
import type { Ledger, LedgerEvent } from '../../ledger/types.ts';
import { fixedClock } from '../../lib/clock.ts';
import { openStore, type Store } from '../../store/open-store.ts';
import { createNotifier, type NotifierDeps } from './create-notifier.ts';
import { fetchSend } from './fetch-send.ts';
import { createLocalNotifier, notifyAppended } from './notify-appended.ts';
import { declared, notifyModel, pageAlert, startReceiver, type Receiver } from './notify-fixtures.ts';

const clock = fixedClock('2026-11-26T09:00:05Z');
let dir: string;
let store: Store;
let ledger: Ledger;
const receivers: Receiver[] = [];
const waits: number[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'steadyops-notify-'));
  store = await openStore(`sqlite:${join(dir, 'ledger.db')}`, dir);
  ledger = await createLedger({ store, signer: createNoteSigner('steadyops.test/notify', generateSigningKey().privateKeyPem), clock });
});
afterEach(async () => {
  for (const receiver of receivers.splice(0)) await receiver.close();
});
afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

async function receiver(statuses?: readonly number[]): Promise<Receiver> {
  const started = await startReceiver(statuses);
  receivers.push(started);
  return started;
}

function notifier(chatUrl: string, extra: Partial<NotifierDeps> = {}) {
  return createNotifier({
    ledger,
    clock,
    model: () => notifyModel(chatUrl),
    send: fetchSend,
    retry: { attempts: 3, baseMs: 8 },
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...extra,
  });
}

async function recorded(forEvent: LedgerEvent): Promise<LedgerEvent[]> {
  const events = await ledger.query({ types: ['dev.steadyops.notification.delivered', 'dev.steadyops.notification.failed'], limit: 1000 });
  return events.filter((event) => (event.data as { forEvent: { id: string } }).forEvent.id === forEvent.id);
}

describe('createNotifier', () => {
  it('posts the declared message to the owning team’s Slack-compatible webhook and records the delivery', async () => {
    const chat = await receiver([200]);
    const event = declared();
    const outcomes = await notifier(`${chat.url}/services/T000/B000/XXXXSECRET`).notify(event);
    expect(outcomes).toEqual([{ channel: 'chat', target: 'payments', delivered: true, attempts: 1, status: 200 }]);
    expect(chat.received).toHaveLength(1);
    expect(chat.received[0]!.path).toBe('/services/T000/B000/XXXXSECRET');
    expect(chat.received[0]!.body).toMatchObject({ text: expect.stringContaining('Incident INC-9 declared (sev1)'), blocks: expect.any(Array) });
    const [delivered] = await recorded(event);
    expect(delivered).toMatchObject({
      type: 'dev.steadyops.notification.delivered',
      actor: 'system:notifier',
      data: { channel: 'chat', target: 'payments', forEvent: { seq: event.seq, id: event.id, type: event.type }, attempts: 1, status: 200 },
    });
    expect(JSON.stringify(delivered)).not.toContain('XXXXSECRET');
  });

  it('sends each notification once however many notifiers (replicas, restarts) see the event: the first to claim it', async () => {
    const chat = await receiver([200, 200, 200]);
    const url = `${chat.url}/services/T000/B000/XXXXSECRET`;
    const event = declared();
    const outcomes = await Promise.all([notifier(url).notify(event), notifier(url).notify(event)]);
    expect(outcomes.flat()).toHaveLength(1);
    expect(await notifier(url).notify(event)).toEqual([]);
    expect(chat.received).toHaveLength(1);
    const claims = (await ledger.query({ types: ['dev.steadyops.notification.claimed'], limit: 1000 })).filter(
      (claim) => (claim.data as { forEvent: { id: string } }).forEvent.id === event.id,
    );
    expect(claims).toHaveLength(1);
    expect(await recorded(event)).toMatchObject([{ type: 'dev.steadyops.notification.delivered' }]);
  });

  it('retries with exponential backoff: failing twice then succeeding takes 3 attempts and is delivered', async () => {
    const chat = await receiver([503, 500, 200]);
    waits.length = 0;
    const event = declared();
    const [outcome] = await notifier(`${chat.url}/hook`).notify(event);
    expect(outcome).toMatchObject({ delivered: true, attempts: 3 });
    expect(chat.received).toHaveLength(3);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(4);
    expect(waits[0]).toBeLessThanOrEqual(8);
    expect(waits[1]).toBeGreaterThanOrEqual(8);
    expect(waits[1]).toBeLessThanOrEqual(16);
    expect(await recorded(event)).toMatchObject([{ type: 'dev.steadyops.notification.delivered', data: { attempts: 3, status: 200 } }]);
  });

  it('records a webhook that always fails as notification.failed, without throwing', async () => {
    const chat = await receiver([500]);
    const event = declared();
    const failing = notifier(`${chat.url}/hook`);
    failing.incidentChanged(event);
    await failing.idle();
    expect(chat.received).toHaveLength(3);
    expect(await recorded(event)).toMatchObject([{ type: 'dev.steadyops.notification.failed', data: { channel: 'chat', target: 'payments', attempts: 3, status: 500, error: 'HTTP 500' } }]);
  });

  it('records an unreachable webhook by host and path digest, never its URL', async () => {
    const closed = await receiver();
    await closed.close();
    receivers.pop();
    const event = declared();
    const [outcome] = await notifier(`${closed.url}/services/T000/SECRETPATH`).notify(event);
    expect(outcome).toMatchObject({ delivered: false, attempts: 3 });
    const [failed] = await recorded(event);
    expect(failed?.type).toBe('dev.steadyops.notification.failed');
    expect(JSON.stringify(failed)).not.toContain('SECRETPATH');
    expect((failed?.data as { destination: string }).destination).toMatch(/^127\.0\.0\.1:\d+\/[0-9a-f]{12}$/);
  });

  it('does not retry a webhook that rejects the message (4xx)', async () => {
    const chat = await receiver([400]);
    const [outcome] = await notifier(`${chat.url}/hook`).notify(declared());
    expect(outcome).toMatchObject({ delivered: false, attempts: 1, status: 400 });
  });

  it('sends PagerDuty Events API v2 for a page alert, in the shape PagerDuty takes', async () => {
    const pagerduty = await receiver([202]);
    const event = pageAlert('checkout-api');
    const outcomes = await notifier('http://127.0.0.1:9/unused', { config: { pagerduty: { routingKey: 'R0UT1NGKEY', url: `${pagerduty.url}/v2/enqueue` } } }).notify(event);
    expect(outcomes).toMatchObject([{ channel: 'pagerduty', target: 'pagerduty', delivered: true, status: 202 }]);
    const body = pagerduty.received[0]!.body;
    expect(pagerduty.received[0]!.path).toBe('/v2/enqueue');
    expect(pagerDutyAlertEvent.parse(body)).toMatchObject({
      routing_key: 'R0UT1NGKEY',
      event_action: 'trigger',
      dedup_key: 'steadyops:f00dfeed',
      payload: { summary: 'Checkout 5xx above 2%', source: 'checkout-api', severity: 'critical', custom_details: { alertname: 'CheckoutErrorRate' } },
    });
    expect(JSON.stringify(await recorded(event))).not.toContain('R0UT1NGKEY');
  });

  it('notifyAppended (the CLI’s local mode) sends with the env configuration and resolves once recorded', async () => {
    const pagerduty = await receiver([202]);
    const event = pageAlert('mystery-svc');
    const outcomes = await notifyAppended([event], {
      ledger,
      clock,
      model: notifyModel('http://127.0.0.1:9/unused'),
      env: { STEADYOPS_PAGERDUTY_ROUTING_KEY: 'K3Y', STEADYOPS_PAGERDUTY_URL: `${pagerduty.url}/v2/enqueue` },
    });
    expect(outcomes).toMatchObject([{ channel: 'pagerduty', delivered: true }]);
    expect(await recorded(event)).toHaveLength(1);
  });
});

describe('createLocalNotifier', () => {
  it('is the incident service’s notifier in local mode: queued in the background, waited for with idle()', async () => {
    const chat = await receiver([200]);
    const local = createLocalNotifier({ ledger, clock, model: notifyModel(`${chat.url}/hook`), env: {} });
    const event = declared();
    local.incidentChanged(event);
    await local.idle();
    expect(chat.received).toHaveLength(1);
    expect(await recorded(event)).toMatchObject([{ type: 'dev.steadyops.notification.delivered' }]);
  });
});
