import { join } from 'node:path';
import { uniqueBatchBodies } from './batch-bodies.ts';
import type { BenchContext } from './bench-context.ts';
import type { Figure } from './figure.ts';
import { timed } from './measure.ts';
import { progress } from './progress.ts';
import { childEnv, createOperatorToken, startServe } from './serve-process.ts';
import { withTempDir } from './temp-dir.ts';

const batchSize = 5_000;
const inFlight = 2;

/** Peak RSS (VmHWM) of a child `serve` while it ingests the large ledger over HTTP, vs its idle RSS. */
export async function serveMemory(ctx: BenchContext): Promise<Figure[]> {
  const total = ctx.ledgerEvents;
  return withTempDir('serve-memory', async (dir) => {
    const db = `sqlite:${join(dir, 'steadyops.db')}`;
    const env = childEnv({ STEADYOPS_DB: db });
    const token = await createOperatorToken(db, env, dir);
    const serve = await startServe(env, dir);
    try {
      await fetch(`${serve.address}/healthz`);
      const idle = serve.memory();
      progress(`serve memory: ingesting ${total} events over HTTP in batches of ${batchSize} (serve pid ${serve.pid}, idle RSS ${Math.round(idle.rssKb / 1024)} MiB)`);
      const nextBody = uniqueBatchBodies(batchSize, 'mem');
      const requests = Math.ceil(total / batchSize);
      let sent = 0;
      const post = async (): Promise<void> => {
        while (sent < requests) {
          sent += 1;
          const response = await fetch(`${serve.address}/api/v1/events`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: nextBody(),
            signal: AbortSignal.timeout(120_000),
          });
          if (!response.ok) throw new Error(`POST /api/v1/events answered ${response.status}: ${await response.text()}`);
          await response.arrayBuffer();
          if (sent % 40 === 0) progress(`  ${sent * batchSize}/${requests * batchSize} events, RSS ${Math.round(serve.memory().rssKb / 1024)} MiB`);
        }
      };
      const ingest = await timed(() => Promise.all(Array.from({ length: inFlight }, post)));
      const peak = serve.memory();
      const events = requests * batchSize;
      return [
        {
          name: `serve peak memory during ${events}-event ingest`,
          value: peak.hwmKb / 1024,
          unit: 'MiB',
          baseline: { value: idle.rssKb / 1024, unit: 'MiB' },
          ratio: idle.rssKb / peak.hwmKb,
          details: { events, batchSize, inFlight, ingestSeconds: ingest.ms / 1_000, ingestEventsPerSecond: (events / ingest.ms) * 1_000, idle, peak },
        },
        {
          name: `serve ingest ${events} events over HTTP (batches of ${batchSize})`,
          value: (events / ingest.ms) * 1_000,
          unit: 'events/s',
          details: { seconds: ingest.ms / 1_000 },
        },
      ];
    } finally {
      await serve.stop();
    }
  });
}
