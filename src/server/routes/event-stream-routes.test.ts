import { afterEach, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../test-support/test-server.ts';
import { eventFilter, maxReplay } from './event-stream-routes.ts';

let server: TestServer | undefined;

afterEach(async () => {
  await server?.app.close();
  server = undefined;
});

const append = (target: TestServer, count: number) =>
  target.ledger.append(
    Array.from({ length: count }, (_, index) => ({
      actor: 'token:ci',
      event: { specversion: '1.0' as const, id: `e${target.ledger.events.length + index + 1}`, source: '/test', type: 'dev.steadyops.change.reported' },
    })),
  );

/** Reads the stream until `done` says it has enough, then disconnects. */
async function readStream(url: string, headers: Record<string, string>, done: (text: string) => boolean): Promise<string> {
  const abort = new AbortController();
  const response = await fetch(url, { headers, signal: abort.signal });
  expect(response.status).toBe(200);
  let text = '';
  const decoder = new TextDecoder();
  const reader = response.body!.getReader();
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    text += decoder.decode(chunk.value, { stream: true });
    if (done(text)) break;
  }
  abort.abort();
  return text;
}

describe('GET /api/v1/events/stream', () => {
  it('answers 401 without a bearer token, and 400 for a Last-Event-ID that is no sequence number', async () => {
    server = await testServer();
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/events/stream' })).statusCode).toBe(401);
    const bad = await server.app.inject({ method: 'GET', url: '/api/v1/events/stream', headers: { ...server.auth('viewer'), 'last-event-id': 'abc' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'SO_E_INPUT_INVALID' });
    const badAfter = await server.app.inject({ method: 'GET', url: '/api/v1/events/stream?after=-1', headers: server.auth('viewer') });
    expect(badAfter.statusCode).toBe(400);
  });

  it('sends heartbeat comments', async () => {
    server = await testServer({ liveEvents: { heartbeatMs: 20 } });
    const url = await server.app.listen({ host: '127.0.0.1', port: 0 });
    const text = await readStream(`${url}/api/v1/events/stream`, server.auth('viewer'), (seen) => seen.includes(': ping\n\n'));
    expect(text).toMatch(/^: steadyops ledger events\n\n/);
  });

  it(`replays at most the latest ${maxReplay} missed events and says which were skipped`, async () => {
    server = await testServer();
    await append(server, maxReplay + 5);
    const url = await server.app.listen({ host: '127.0.0.1', port: 0 });
    const text = await readStream(`${url}/api/v1/events/stream`, { ...server.auth('viewer'), 'last-event-id': '2' }, (seen) => seen.includes(`id: ${maxReplay + 5}\n`));
    expect(text).toContain(`event: truncated\ndata: {"after":2,"resumedAfter":5}\n\n`);
    const ids = [...text.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));
    expect(ids[0]).toBe(6);
    expect(ids).toHaveLength(maxReplay);
  });
});

describe('eventFilter', () => {
  const event = { subject: 'checkout-api', type: 'dev.steadyops.deploy.finished' } as Parameters<ReturnType<typeof eventFilter>>[0];
  it('matches a service and an exact type or a prefix ending in *', () => {
    expect(eventFilter({})(event)).toBe(true);
    expect(eventFilter({ service: 'checkout-api', type: 'dev.steadyops.deploy.*' })(event)).toBe(true);
    expect(eventFilter({ type: 'dev.steadyops.deploy.finished' })(event)).toBe(true);
    expect(eventFilter({ type: 'dev.steadyops.deploy' })(event)).toBe(false);
    expect(eventFilter({ service: 'ledger-db' })(event)).toBe(false);
  });
});
