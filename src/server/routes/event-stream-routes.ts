import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Ledger, LedgerEvent } from '../../ledger/types.ts';
import type { EventHub } from '../event-hub.ts';
import { toJsonSchema } from '../json-schema.ts';
import { parseInput } from '../parse-input.ts';
import { problemResponses } from '../schemas/problem.ts';

export const eventStreamPath = '/api/v1/events/stream';
/** at most this many of the latest events are replayed to a resuming reader */
export const maxReplay = 1000;
/** a reader this far behind (bytes buffered) is too slow and is disconnected; it may resume with Last-Event-ID */
const maxBuffered = 8 * 1024 * 1024;

const seqText = z.string().regex(/^\d+$/, 'a ledger sequence number').transform(Number);
const streamQuery = z.object({
  after: seqText.optional().describe('replay events after this sequence number first (like Last-Event-ID)'),
  service: z.string().min(1).optional().describe('only events whose subject is this service'),
  type: z.string().min(1).optional().describe('only events of this type, or of a prefix ending in * (dev.steadyops.deploy.*)'),
});
const lastEventId = z.object({ 'last-event-id': seqText.optional() });

export interface EventStreamDeps {
  readonly ledger: Ledger;
  readonly hub: EventHub;
  /** default 15 s */
  readonly heartbeatMs?: number;
}

interface OpenStreams {
  readonly streams: Set<ServerResponse>;
  /** set once the server closes: a stream whose subscription was still being made ends at once */
  closing: boolean;
}

interface StreamOutput {
  write(text: string): void;
  send(events: readonly LedgerEvent[]): void;
}

interface StreamFilter {
  readonly service?: string | undefined;
  readonly type?: string | undefined;
}

/**
 * GET /api/v1/events/stream: server-sent events, one `event: ledger` per newly appended ledger event with its
 * sequence number as `id`. Readers resume with Last-Event-ID (or ?after=) and get up to 1,000 missed events first.
 */
export function eventStreamRoutes(app: FastifyInstance, deps: EventStreamDeps): void {
  const open: OpenStreams = { streams: new Set<ServerResponse>(), closing: false };
  // hijacked streams never end by themselves: end them so the server can close
  app.addHook('preClose', async () => {
    open.closing = true;
    for (const raw of open.streams) raw.end();
  });
  app.get(
    eventStreamPath,
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Live ledger events as server-sent events (text/event-stream), resumable with Last-Event-ID',
        description:
          'Each newly appended event is sent as `event: ledger`, `id: <seq>`, `data: <the event JSON>`, in sequence order. ' +
          'With a Last-Event-ID header or ?after=SEQ the stream first replays the events after that sequence number ' +
          `(at most the latest ${maxReplay}; when more were missed an \`event: truncated\` names the skipped range, so the ` +
          'reader reloads from /api/v1/changes), then continues live. `: ping` comments every 15 s keep proxies from closing it. ' +
          'Authenticate with the Authorization header (fetch streaming); tokens are not accepted in the URL.',
        tags: ['events'],
        querystring: toJsonSchema(streamQuery, 'input'),
        response: {
          200: { description: 'an endless text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => streamEvents(request, reply, deps, open),
  );
}

async function streamEvents(request: FastifyRequest, reply: FastifyReply, deps: EventStreamDeps, open: OpenStreams): Promise<void> {
  const query = parseInput(streamQuery, request.query, 'querystring');
  const after = parseInput(lastEventId, request.headers, 'headers')['last-event-id'] ?? query.after;
  const keep = eventFilter(query);
  const raw = reply.raw;
  let live = false;
  const pending: LedgerEvent[] = [];
  const write = (text: string): void => {
    if (raw.destroyed || raw.writableEnded) return;
    raw.write(text);
    if (raw.writableLength > maxBuffered) raw.destroy();
  };
  const send = (events: readonly LedgerEvent[]): void => {
    const text = events.filter(keep).map(ledgerMessage).join('');
    if (text) write(text);
  };
  const subscription = await deps.hub.subscribe((events) => (live ? send(events) : pending.push(...events)));

  reply.hijack();
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  write(': steadyops ledger events\n\n');
  open.streams.add(raw);
  const heartbeat = setInterval(() => write(': ping\n\n'), deps.heartbeatMs ?? 15_000);
  const cleanUp = (): void => {
    clearInterval(heartbeat);
    subscription.unsubscribe();
    open.streams.delete(raw);
  };
  raw.on('close', cleanUp);
  // the reader may have gone, or the server begun closing, while the subscription was being made
  if (raw.destroyed || !raw.socket || raw.socket.destroyed) cleanUp();
  if (open.closing) {
    raw.end();
    return;
  }

  try {
    if (after !== undefined) await replay(deps.ledger, after, subscription.head, { write, send });
  } catch (error) {
    request.log.warn({ err: error }, 'replaying missed events failed');
    raw.destroy();
    return;
  }
  live = true;
  send(pending);
}

/** Sends the events after `after` up to `head` (at most the latest `maxReplay`), saying when some were skipped. */
async function replay(ledger: Ledger, after: number, head: number, out: StreamOutput): Promise<void> {
  if (after >= head) return;
  const from = Math.max(after, head - maxReplay);
  if (from > after) out.write(`event: truncated\ndata: ${JSON.stringify({ after, resumedAfter: from })}\n\n`);
  for (let cursor = from; cursor < head; ) {
    const events = await ledger.readAfter(cursor, head - cursor);
    if (events.length === 0) return;
    out.send(events);
    cursor = events[events.length - 1]!.seq;
  }
}

export function eventFilter(filter: StreamFilter): (event: LedgerEvent) => boolean {
  const { service, type } = filter;
  const prefix = type?.endsWith('*') ? type.slice(0, -1) : undefined;
  return (event) =>
    (service === undefined || event.subject === service) &&
    (type === undefined || (prefix === undefined ? event.type === type : event.type.startsWith(prefix)));
}

export function ledgerMessage(event: LedgerEvent): string {
  return `id: ${event.seq}\nevent: ledger\ndata: ${JSON.stringify(event)}\n\n`;
}
