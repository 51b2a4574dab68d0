import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { listen } from './listen.ts';
import { testServer } from './test-support/test-server.ts';

describe('listen', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
  });

  it('serves over loopback on the address it reports', async () => {
    app = (await testServer()).app;
    const address = await listen(app, { host: '127.0.0.1', port: 0 });
    expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await fetch(`${address}/healthz`);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});
