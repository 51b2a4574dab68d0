import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startServer, type ServerProcess } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'steadyops-stream-'));
const env = { STEADYOPS_DB: `sqlite:${join(dir, 'steadyops.db')}`, USER: 'stream-test' };
let server: ServerProcess;
let token: string;

interface Message {
  readonly event?: string;
  readonly id?: string;
  readonly data?: string;
}

/** Reads a text/event-stream response into messages (comments skipped) as they arrive. */
class SseReader {
  private buffer = '';
  readonly messages: Message[] = [];
  readonly done: Promise<void>;
  private readonly abort = new AbortController();
  private readonly response: Promise<Response>;

  constructor(url: string, headers: Record<string, string>) {
    this.response = fetch(url, { headers, signal: this.abort.signal });
    this.done = this.read().catch(() => undefined);
  }

  status = async (): Promise<number> => (await this.response).status;
  contentType = async (): Promise<string | null> => (await this.response).headers.get('content-type');

  private async read(): Promise<void> {
    const decoder = new TextDecoder();
    const reader = (await this.response).body!.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      this.buffer += decoder.decode(chunk.value, { stream: true });
      let end: number;
      while ((end = this.buffer.indexOf('\n\n')) >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const message: Record<string, string> = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          message[line.slice(0, colon)] = line.slice(colon + 1).trimStart();
        }
        if (Object.keys(message).length > 0) this.messages.push(message);
      }
    }
  }

  ledgerEvents(): { seq: number; id: string; source: string }[] {
    return this.messages
      .filter((message) => message.event === 'ledger')
      .map((message) => {
        const event = JSON.parse(message.data!) as { seq: number; id: string; source: string };
        expect(message.id).toBe(String(event.seq));
        return event;
      });
  }

  async waitFor(count: number, timeoutMs = 10_000): Promise<{ seq: number; id: string; source: string }[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.ledgerEvents().length < count) {
      if (Date.now() > deadline) throw new Error(`got ${this.ledgerEvents().length} of ${count} events: ${JSON.stringify(this.messages)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return this.ledgerEvents();
  }

  close(): void {
    this.abort.abort();
  }
}

const event = (id: string, source = '/test/http', service = 'checkout-api') => ({
  specversion: '1.0',
  id,
  source,
  type: 'dev.steadyops.deploy.finished',
  subject: service,
  data: { service, environment: 'production', version: '1.0.0' },
});

async function post(events: unknown[]): Promise<void> {
  const response = await fetch(`${server.url}/api/v1/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(events),
  });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  const created = await runCli(['token', 'create', '--name', 'stream', '--role', 'operator', '--format', 'json'], { cwd: dir, env });
  expect(created.code, created.stderr).toBe(0);
  token = (JSON.parse(created.stdout) as { token: string }).token;
  server = await startServer([], { cwd: dir, env });
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('GET /api/v1/events/stream (a real server process)', () => {
  it('answers 401 without a token and ignores a token in the URL', async () => {
    expect((await fetch(`${server.url}/api/v1/events/stream`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/v1/events/stream?token=${token}`)).status).toBe(401);
  });

  it('streams events appended over HTTP and by another process, in order, with ids; resumes after Last-Event-ID', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const reader = new SseReader(`${server.url}/api/v1/events/stream`, auth);
    expect(await reader.status()).toBe(200);
    expect(await reader.contentType()).toMatch(/^text\/event-stream/);
    // the subscription exists once the headers are sent: nothing appended after this is missed
    await post([event('http-1'), event('http-2')]);
    const pushed = await runCli(['events', 'push', '-'], { cwd: dir, env, stdin: JSON.stringify([event('cli-1', '/test/cli'), event('cli-2', '/test/cli')]) });
    expect(pushed.code, pushed.stderr).toBe(0);
    await post([event('http-3')]);

    const received = await reader.waitFor(5);
    expect(received.map((entry) => entry.id)).toEqual(['http-1', 'http-2', 'cli-1', 'cli-2', 'http-3']);
    const seqs = received.map((entry) => entry.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(new Set(seqs).size).toBe(5);
    reader.close();
    await reader.done;

    const resumed = new SseReader(`${server.url}/api/v1/events/stream`, { ...auth, 'last-event-id': String(seqs[2]) });
    expect((await resumed.waitFor(2)).map((entry) => entry.id)).toEqual(['cli-2', 'http-3']);
    const filtered = new SseReader(`${server.url}/api/v1/events/stream?after=0&service=checkout-api&type=dev.steadyops.deploy.*`, auth);
    await post([event('http-4'), event('other', '/test/http', 'ledger-db')]);
    expect((await resumed.waitFor(4)).map((entry) => entry.id)).toEqual(['cli-2', 'http-3', 'http-4', 'other']);
    expect((await filtered.waitFor(6)).map((entry) => entry.id)).toEqual(['http-1', 'http-2', 'cli-1', 'cli-2', 'http-3', 'http-4']);
    // with nothing appended through the server, another process's events arrive by polling the ledger head
    const alone = await runCli(['events', 'push', '-'], { cwd: dir, env, stdin: JSON.stringify(event('cli-3', '/test/cli')) });
    expect(alone.code, alone.stderr).toBe(0);
    expect((await filtered.waitFor(7, 5_000)).at(-1)!.id).toBe('cli-3');
    resumed.close();
    filtered.close();
    await Promise.all([resumed.done, filtered.done]);
  });

  it('shows the pushes in the connectors status', async () => {
    const response = await fetch(`${server.url}/api/v1/connectors`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { connectors: { id: string; last24h: number; lastEvent: { source: string } | null; hooks: string[] }[] };
    const byId = new Map(body.connectors.map((connector) => [connector.id, connector]));
    expect(byId.get('cli')).toMatchObject({ last24h: 3, lastEvent: { source: '/test/cli' } });
    expect(byId.get('cloudevents')).toMatchObject({ last24h: 5, lastEvent: { source: '/test/http' } });
    expect(byId.get('github')!.hooks).toEqual([`${server.url}/hooks/github`]);
  });

  it('ends open streams when the server stops', async () => {
    const reader = new SseReader(`${server.url}/api/v1/events/stream`, { authorization: `Bearer ${token}` });
    expect(await reader.status()).toBe(200);
    expect(await server.stop()).toBe(0);
    await reader.done;
  });
});
