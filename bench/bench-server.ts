import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { openRuntime, type Runtime } from '../src/cli/runtime.ts';
import { systemClock } from '../src/lib/clock.ts';
import { buildServer } from '../src/server/build-server.ts';
import { listen } from '../src/server/listen.ts';

export interface BenchServer {
  readonly url: string;
  readonly runtime: Runtime;
  /** an operator token */
  readonly token: string;
}

/** The real server on a fresh SQLite runtime in `dir`, listening on loopback; closed after `work`. */
export async function withBenchServer<T>(dir: string, options: { githubWebhookSecret?: string }, work: (server: BenchServer) => Promise<T>): Promise<T> {
  const runtime = await openRuntime({ db: `sqlite:${join(dir, 'steadyops.db')}`, cwd: dir, env: {}, clock: systemClock });
  let app: FastifyInstance | undefined;
  try {
    const { token } = await runtime.tokens.create({ name: 'bench', role: 'operator', createdBy: 'bench' });
    app = await buildServer({
      ledger: runtime.ledger,
      tokens: runtime.tokens,
      model: { current: () => undefined },
      clock: systemClock,
      logger: false,
      ready: () => runtime.store.ping(),
      version: 'bench',
      ...options,
    });
    const url = await listen(app, { host: '127.0.0.1', port: 0 });
    return await work({ url, runtime, token });
  } finally {
    await app?.close();
    await runtime.close();
  }
}
