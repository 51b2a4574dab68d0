import pg from 'pg';
import type { EventsTable } from '../src/store/schema.ts';
import type { BenchContext } from './bench-context.ts';
import { benchEvents } from './bench-events.ts';
import { openBenchLedger } from './bench-ledger.ts';
import { postgresBaseUrl, schemaOf, withBenchSchema } from './bench-postgres.ts';
import { chunk, plainRows } from './event-rows.ts';
import { rateFigure, type Figure } from './figure.ts';
import { alternate, timed } from './measure.ts';
import { progress } from './progress.ts';
import { eventColumns, rawEventsPostgresDdl, rowValues } from './raw-events-table.ts';
import { withTempDir } from './temp-dir.ts';

const batchSize = 1_000;

/** ledger.append on PostgreSQL vs a plain multi-row INSERT of the same events (serialised as they came) into the same indexed table. */
export async function ledgerAppendPostgres(ctx: BenchContext): Promise<Figure[]> {
  const count = ctx.quick ? 5_000 : 30_000;
  const rounds = ctx.quick ? 1 : 3;
  const now = new Date();
  const events = benchEvents(0, count, new Date(now.getTime() - 86_400_000), now, count);
  const batches = chunk(events, batchSize);
  // one untimed batch first, for both sides (JIT warm-up, connection set-up)
  const warmup = benchEvents(0, batchSize, new Date(now.getTime() - 86_400_000), now, count, 'warmup');

  const product = () =>
    withBenchSchema((url) =>
      withTempDir('append-postgres', async (dir) => {
        const { store, ledger } = await openBenchLedger(url, dir);
        try {
          await ledger.append(warmup);
          const { ms } = await timed(async () => {
            for (const batch of batches) await ledger.append(batch);
          });
          return (count / ms) * 1_000;
        } finally {
          await ledger.close();
          await store.close();
        }
      }),
    );
  const baseline = () =>
    withBenchSchema(async (url) => {
      const schema = schemaOf(url);
      const client = new pg.Client({ connectionString: postgresBaseUrl, options: `-c search_path=${schema}` });
      await client.connect();
      try {
        await client.query(`create schema "${schema}"`);
        for (const statement of rawEventsPostgresDdl) await client.query(statement);
        await insertMultiRow(client, plainRows(warmup, 1, now));
        const { ms } = await timed(async () => {
          for (const [i, batch] of batches.entries()) await insertMultiRow(client, plainRows(batch, (i + 1) * batchSize + 1, now));
        });
        return (count / ms) * 1_000;
      } finally {
        await client.end();
      }
    });

  progress(`ledger append on PostgreSQL: ${count} events in batches of ${batchSize}, ${rounds} round(s)`);
  const result = await alternate(rounds, product, baseline);
  return [
    rateFigure('ledger append postgres (batches of 1,000)', result.product, result.baseline, 'events/s', 0.6, {
      events: count,
      rounds: { product: result.productRounds, baseline: result.baselineRounds },
    }),
  ];
}

async function insertMultiRow(client: pg.Client, rows: readonly EventsTable[]): Promise<void> {
  const width = eventColumns.length;
  const placeholders = rows.map((_, r) => `(${eventColumns.map((__, c) => `$${r * width + c + 1}`).join(', ')})`).join(', ');
  await client.query('begin');
  try {
    await client.query(`insert into events (${eventColumns.join(', ')}) values ${placeholders}`, rows.flatMap(rowValues));
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}
