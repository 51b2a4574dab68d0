// Test-only: a model whose teams have chat webhooks, ledger events to notify about, and a local HTTP receiver.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LedgerEvent } from '../../ledger/types.ts';
import { emptyModel, type ResolvedModel } from '../../model/resolve.ts';

export interface Received {
  readonly path: string;
  readonly body: unknown;
}

export interface Receiver {
  readonly url: string;
  readonly received: Received[];
  close(): Promise<void>;
}

/** Answers each POST with the next status of `statuses` (the last one repeats), recording what it got. */
export async function startReceiver(statuses: readonly number[] = [200]): Promise<Receiver> {
  const received: Received[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let text = '';
    request.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    request.on('end', () => {
      received.push({ path: request.url ?? '', body: JSON.parse(text) as unknown });
      response.statusCode = statuses[Math.min(received.length, statuses.length) - 1]!;
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const named = { labels: {}, annotations: {} };

/** Team payments (chat at `chatUrl`) owns checkout-api; team identity has no webhook and owns auth-service. */
export function notifyModel(chatUrl: string): ResolvedModel {
  const member = { name: 'Ana', email: 'ana@example.com' };
  return {
    ...emptyModel(),
    teams: [
      { name: 'payments', ...named, members: [member], timezone: 'UTC', chat: { channel: '#payments', url: chatUrl } },
      { name: 'identity', ...named, members: [member], timezone: 'UTC', chat: { channel: '#identity' } },
    ],
    services: [
      { name: 'checkout-api', ...named, owner: 'payments', tier: 1, lifecycle: 'production' },
      { name: 'auth-service', ...named, owner: 'identity', tier: 1, lifecycle: 'production' },
    ] as ResolvedModel['services'],
  };
}

let seq = 100;

export function storedEvent(type: string, data: Record<string, unknown>, extra: { subject?: string; source?: string } = {}): LedgerEvent {
  seq += 1;
  return {
    seq,
    specversion: '1.0',
    id: `evt-${seq}`,
    source: extra.source ?? '/steadyops/incidents',
    type: `dev.steadyops.${type}`,
    ...(extra.subject ? { subject: extra.subject } : {}),
    time: '2026-11-26T09:00:00.000Z',
    data,
    actor: 'cli:ana',
    ingested_at: '2026-11-26T09:00:00.000Z',
    leaf_hash: '',
  };
}

export const declared = (services = ['checkout-api']) =>
  storedEvent('incident.declared', { incidentId: 'INC-9', title: 'Checkout <errors> & timeouts', severity: 'sev1', services }, { subject: services[0] ?? 'checkout-api' });

export const pageAlert = (service: string | undefined, type: 'firing' | 'resolved' = 'firing', severity = 'page') =>
  storedEvent(`alert.${type}`, {
    alertname: 'CheckoutErrorRate',
    fingerprint: 'f00dfeed',
    severity,
    labels: { severity, ...(service ? { service } : {}) },
    annotations: { summary: 'Checkout 5xx above 2%' },
    startsAt: '2026-11-26T08:58:00Z',
    ...(type === 'resolved' ? { endsAt: '2026-11-26T09:30:00Z' } : {}),
    ...(service ? { service } : {}),
    environment: 'production',
  }, { source: '/alertmanager/prod', ...(service ? { subject: service } : {}) });
