import { describe, expect, it } from 'vitest';
import { backoffDelay, connectLiveEvents, createSseParser, type LiveStatus, type SseMessage } from './live-events.ts';

const sample = [': steadyops ledger events', '', 'id: 41', 'event: ledger', 'data: {"seq":41,"type":"a"}', '', ': ping', '', 'id: 42', 'event: ledger', 'data: {"seq":42,', 'data: "type":"b"}', '', ''].join('\n');

function parseAll(chunks: readonly string[]): SseMessage[] {
  const parser = createSseParser();
  return chunks.flatMap((chunk) => parser.push(chunk));
}

describe('the text/event-stream parser', () => {
  const expected: SseMessage[] = [
    { event: 'ledger', data: '{"seq":41,"type":"a"}', id: '41' },
    { event: 'ledger', data: '{"seq":42,\n"type":"b"}', id: '42' },
  ];

  it('parses whole streams, skipping comments and heartbeats', () => {
    expect(parseAll([sample])).toEqual(expected);
  });

  it('gives the same messages however the stream is split, even one character at a time', () => {
    expect(parseAll([...sample])).toEqual(expected);
    for (let cut = 1; cut < sample.length; cut += 7) expect(parseAll([sample.slice(0, cut), sample.slice(cut)])).toEqual(expected);
  });

  it('accepts CRLF and CR line ends, also when a CRLF is split across chunks', () => {
    const crlf = sample.replaceAll('\n', '\r\n');
    expect(parseAll([crlf])).toEqual(expected);
    expect(parseAll([...crlf])).toEqual(expected);
    expect(parseAll([sample.replaceAll('\n', '\r')])).toEqual(expected);
    expect(parseAll(['id: 7\r', '\nevent: ledger\r', '\ndata: x\r', '\n\r', '\n'])).toEqual([{ event: 'ledger', data: 'x', id: '7' }]);
  });

  it('completes nothing until the blank line, and keeps the last id and retry', () => {
    const parser = createSseParser();
    expect(parser.push('id: 5\nevent: truncated\ndata: {"after":2}\n')).toEqual([]);
    expect(parser.push('\n')).toEqual([{ event: 'truncated', data: '{"after":2}', id: '5' }]);
    expect(parser.push('retry: 5000\ndata: plain\n\n')).toEqual([{ event: 'message', data: 'plain', id: '5', retry: 5000 }]);
  });

  it('strips a leading byte-order mark only at the very start', () => {
    expect(parseAll(['\uFEFFdata: a\n\n'])).toEqual([{ event: 'message', data: 'a', id: undefined }]);
  });
});

describe('reconnect backoff', () => {
  it('doubles from 1 s up to 30 s, with jitter only downwards', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map((attempt) => backoffDelay(attempt, () => 0))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    expect(backoffDelay(0, () => 1)).toBe(800);
  });
});

describe('the live connection', () => {
  function streamOf(text: string): ReadableStream<Uint8Array> {
    const bytes = new TextEncoder().encode(text);
    return new ReadableStream({
      start(controller) {
        // split mid-character and mid-line on purpose
        controller.enqueue(bytes.slice(0, 11));
        controller.enqueue(bytes.slice(11));
        controller.close();
      },
    });
  }

  it('sends the token, delivers ledger events, and resumes with Last-Event-ID after a drop', async () => {
    const requests: Array<Record<string, string>> = [];
    const seen: number[] = [];
    const statuses: LiveStatus[] = [];
    const timers: Array<() => void> = [];
    const bodies = ['id: 41\nevent: ledger\ndata: {"seq":41}\n\n: ping\n\n', 'id: 42\nevent: ledger\ndata: {"seq":42}\n\n'];
    const fakeFetch = (async (_url: string, init: RequestInit) => {
      requests.push(init.headers as Record<string, string>);
      const body = bodies.shift();
      return body === undefined ? new Response(null, { status: 401 }) : new Response(streamOf(body), { status: 200 });
    }) as unknown as typeof fetch;
    let unauthorized = false;
    const stop = connectLiveEvents({
      token: 'so_t',
      fetch: fakeFetch,
      onEvent: (event) => seen.push(event.seq),
      onStatus: (status) => statuses.push(status),
      onUnauthorized: () => {
        unauthorized = true;
      },
      setTimeout: (callback) => timers.push(callback),
    });
    await vitestWait(() => timers.length === 1);
    expect(seen).toEqual([41]);
    expect(requests[0]).toMatchObject({ authorization: 'Bearer so_t' });
    expect(requests[0]?.['last-event-id']).toBeUndefined();
    timers.shift()?.();
    await vitestWait(() => timers.length === 1);
    expect(seen).toEqual([41, 42]);
    expect(requests[1]?.['last-event-id']).toBe('41');
    timers.shift()?.();
    await vitestWait(() => unauthorized);
    expect(requests[2]?.['last-event-id']).toBe('42');
    expect(statuses).toEqual(['connecting', 'live', 'reconnecting', 'reconnecting', 'live', 'reconnecting', 'reconnecting', 'stopped']);
    stop();
  });
});

async function vitestWait(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}
