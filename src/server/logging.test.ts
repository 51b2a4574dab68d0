import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { testServer } from './test-support/test-server.ts';

function captureStream(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('request logging', () => {
  it('never writes a bearer token, whatever happens to the request', async () => {
    const log = captureStream();
    const server = await testServer({ logger: { level: 'trace', stream: log.stream } });
    const { app } = server;
    const unknownSecret = 'so_unknown-secret-never-issued';
    server.ledger.query = async () => {
      throw new Error('the store went away');
    };

    await app.inject({ url: '/api/v1/whoami', headers: server.auth('viewer') });
    await app.inject({ url: '/api/v1/whoami', headers: { authorization: `Bearer ${unknownSecret}` } });
    await app.inject({ url: '/api/v1/tokens', headers: server.auth('viewer') });
    await app.inject({ url: '/api/v1/changes', headers: server.auth('viewer') });
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: server.auth('admin'),
      payload: { name: 'deployer', role: 'operator' },
    });
    app.log.info({ req: { headers: { authorization: `Bearer ${server.secrets.admin}` } } }, 'a careless log line');
    app.log.info({ headers: { authorization: `Bearer ${server.secrets.admin}` } }, 'another careless log line');

    const written = log.text();
    expect(written).toContain('incoming request');
    expect(written).toContain('request failed');
    expect(written).toContain('[redacted]');
    const secrets = [...Object.values(server.secrets), unknownSecret, created.json().token as string];
    for (const secret of secrets) expect(written).not.toContain(secret);
    expect(written).not.toMatch(/Bearer /);
  });
});
