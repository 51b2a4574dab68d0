/**
 * A small client for `GET /api/v1/events/stream` (docs/api.md). The stream needs the Authorization header,
 * which `EventSource` cannot send, so it is read with fetch() and a ReadableStream, the `text/event-stream`
 * lines parsed here, and every reconnect resumes with `Last-Event-ID` after a growing pause.
 */
import type { LedgerEvent } from './api-types.ts';

/** One dispatched server-sent event (the WHATWG "event stream interpretation"). */
export interface SseMessage {
  /** `message` when the server named none */
  readonly event: string;
  readonly data: string;
  /** the last event ID seen so far on the stream, as the spec keeps it across messages */
  readonly id: string | undefined;
  readonly retry?: number;
}

export interface SseParser {
  /** Feed the next decoded chunk (any split, even mid-line or mid-CRLF); returns the messages it completed. */
  push(chunk: string): SseMessage[];
}

/** A pure, incremental `text/event-stream` parser: lines end in LF, CR or CRLF; `:` lines are comments. */
export function createSseParser(): SseParser {
  let buffer = '';
  let pendingCr = false;
  let event = '';
  let data: string[] = [];
  let hasData = false;
  let lastId: string | undefined;
  let retry: number | undefined;
  let first = true;

  const line = (text: string, out: SseMessage[]): void => {
    if (text === '') {
      if (hasData) out.push({ event: event || 'message', data: data.join('\n'), id: lastId, ...(retry !== undefined ? { retry } : {}) });
      event = '';
      data = [];
      hasData = false;
      retry = undefined;
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') {
      data.push(value);
      hasData = true;
    } else if (field === 'id') {
      if (!value.includes('\0')) lastId = value;
    } else if (field === 'retry') {
      if (/^\d+$/.test(value)) retry = Number(value);
    }
  };

  return {
    push(chunk: string): SseMessage[] {
      const out: SseMessage[] = [];
      let text = chunk;
      if (first && text.length > 0) {
        if (text.startsWith('\uFEFF')) text = text.slice(1);
        first = false;
      }
      // a CR ending the previous chunk already ended its line; an LF right after it belongs to that CRLF
      if (pendingCr && text.startsWith('\n')) text = text.slice(1);
      pendingCr = false;
      buffer += text;
      let start = 0;
      for (let i = 0; i < buffer.length; i += 1) {
        const char = buffer[i];
        if (char !== '\n' && char !== '\r') continue;
        line(buffer.slice(start, i), out);
        if (char === '\r') {
          if (i + 1 < buffer.length) {
            if (buffer[i + 1] === '\n') i += 1;
          } else pendingCr = true;
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
      return out;
    },
  };
}

/** Milliseconds to wait before reconnect number `attempt` (0-based): 1 s doubling to 30 s, with up to 20% jitter. */
export function backoffDelay(attempt: number, random: () => number = Math.random, base = 1_000, max = 30_000): number {
  const plain = Math.min(max, base * 2 ** Math.max(0, attempt));
  return Math.round(plain * (1 - 0.2 * random()));
}

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'stopped';

export interface LiveOptions {
  readonly token: string;
  readonly onEvent: (event: LedgerEvent) => void;
  readonly onStatus?: (status: LiveStatus) => void;
  /** the server missed more than it replays: reload lists from /api/v1/changes */
  readonly onTruncated?: () => void;
  /** a 401: the token no longer works */
  readonly onUnauthorized?: () => void;
  readonly path?: string;
  readonly fetch?: typeof fetch;
  readonly setTimeout?: (callback: () => void, ms: number) => unknown;
}

/** Opens the stream and keeps it open (reconnecting with backoff and Last-Event-ID) until the returned stop() is called. */
export function connectLiveEvents(options: LiveOptions): () => void {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const wait = options.setTimeout ?? ((callback: () => void, ms: number) => globalThis.setTimeout(callback, ms));
  let stopped = false;
  let controller: AbortController | undefined;
  let lastId: string | undefined;
  let attempt = 0;
  let retryMs: number | undefined;
  const status = (value: LiveStatus): void => options.onStatus?.(value);

  const run = async (): Promise<void> => {
    controller = new AbortController();
    status(attempt === 0 ? 'connecting' : 'reconnecting');
    try {
      const headers: Record<string, string> = { accept: 'text/event-stream', authorization: `Bearer ${options.token}` };
      if (lastId !== undefined) headers['last-event-id'] = lastId;
      const response = await doFetch(options.path ?? '/api/v1/events/stream', { headers, signal: controller.signal, cache: 'no-store' });
      if (response.status === 401) {
        stopped = true;
        status('stopped');
        options.onUnauthorized?.();
        return;
      }
      if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
      status('live');
      attempt = 0;
      const parser = createSseParser();
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const message of parser.push(value)) {
          if (message.id !== undefined) lastId = message.id;
          if (message.retry !== undefined) retryMs = message.retry;
          if (message.event === 'ledger') {
            try {
              options.onEvent(JSON.parse(message.data) as LedgerEvent);
            } catch {
              // a malformed event is skipped; its id still moves the resume point on
            }
          } else if (message.event === 'truncated') options.onTruncated?.();
        }
      }
    } catch {
      // network error, abort or a server that went away: reconnect below unless stopped
    }
    if (stopped) return;
    status('reconnecting');
    const delay = Math.max(retryMs ?? 0, backoffDelay(attempt));
    attempt += 1;
    wait(() => {
      if (!stopped) void run();
    }, delay);
  };

  void run();
  return () => {
    stopped = true;
    controller?.abort();
    status('stopped');
  };
}
