import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import Fastify, { type FastifyInstance } from 'fastify';
import { uniqueBatchBodies } from './batch-bodies.ts';
import type { BenchContext } from './bench-context.ts';
import { withBenchServer } from './bench-server.ts';
import { rateFigure, type Figure } from './figure.ts';
import { postLoad, type LoadResult } from './load.ts';
import { alternate } from './measure.ts';
import { progress } from './progress.ts';
import { openRawSqlite, rawSqliteInserter } from './raw-events-table.ts';
import { withTempDir } from './temp-dir.ts';

const batchSize = 500;
const connections = 4;

/** POST /api/v1/events (auth, CloudEvents validation, ledger append) vs a bare Fastify endpoint doing the plain insert. */
export async function httpIngest(ctx: BenchContext): Promise<Figure[]> {
  const seconds = ctx.quick ? 3 : 10;
  const rounds = ctx.quick ? 1 : 2;
  let run = 0;
  const product = () =>
    withTempDir('http-ingest', (dir) =>
      withBenchServer(dir, {}, async ({ url, token }) => {
        run += 1;
        const load = await postLoad({ url, path: '/api/v1/events', headers: { authorization: `Bearer ${token}` }, body: uniqueBatchBodies(batchSize, `p${run}`), connections, seconds });
        return eventsPerSecond(load, 'steadyops');
      }),
    );
  const baseline = () =>
    withTempDir('http-ingest-raw', async (dir) => {
      const database = openRawSqlite(join(dir, 'raw.db'));
      const app = bareIngestApp(database);
      try {
        const url = await app.listen({ host: '127.0.0.1', port: 0 });
        run += 1;
        const load = await postLoad({ url, path: '/ingest', headers: {}, body: uniqueBatchBodies(batchSize, `b${run}`), connections, seconds });
        return eventsPerSecond(load, 'bare Fastify');
      } finally {
        await app.close();
        database.close();
      }
    });

  progress(`HTTP ingest: batches of ${batchSize}, ${connections} connections, ${seconds}s per run, ${rounds} round(s)`);
  const result = await alternate(rounds, product, baseline);
  return [
    rateFigure('http ingest POST /api/v1/events (batches of 500)', result.product, result.baseline, 'events/s', 0.7, {
      connections,
      seconds,
      rounds: { product: result.productRounds, baseline: result.baselineRounds },
    }),
  ];
}

function eventsPerSecond(load: LoadResult, what: string): number {
  if (load.failed > 0) throw new Error(`${what}: ${load.failed} requests failed during the load run`);
  if (load.ok === 0) throw new Error(`${what}: no request succeeded`);
  progress(`  ${what}: ${load.ok} batches in ${load.seconds}s, p50 ${load.latencyP50Ms} ms, p99 ${load.latencyP99Ms} ms`);
  return (load.ok * batchSize) / load.seconds;
}

interface PlainEvent {
  id: string;
  source: string;
  type: string;
  subject?: string;
  time: string;
  data?: { environment?: string };
}

/** The baseline: Fastify's own JSON parsing and one prepared INSERT per event, one transaction per request. */
function bareIngestApp(database: BetterSqlite3.Database): FastifyInstance {
  const insert = rawSqliteInserter(database);
  let seq = 0;
  const app = Fastify({ logger: false, bodyLimit: 5 * 1024 * 1024 });
  app.post('/ingest', async (request) => {
    const events = request.body as PlainEvent[];
    const now = Date.now();
    insert(
      events.map((event) => ({
        seq: (seq += 1),
        event_id: event.id,
        source: event.source,
        type: event.type,
        subject: event.subject ?? null,
        environment: event.data?.environment ?? null,
        actor: 'token:bench',
        time_ms: Date.parse(event.time),
        ingested_ms: now,
        canonical: Buffer.from(JSON.stringify(event)),
        leaf_hash: Buffer.alloc(32),
      })),
    );
    return { accepted: events.length };
  });
  return app;
}
