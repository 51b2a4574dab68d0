import { join } from 'node:path';
import type { BenchContext } from './bench-context.ts';
import { benchEvents } from './bench-events.ts';
import { openBenchLedger } from './bench-ledger.ts';
import { chunk, plainRows } from './event-rows.ts';
import { rateFigure, type Figure } from './figure.ts';
import { alternate, timed } from './measure.ts';
import { progress } from './progress.ts';
import { openRawSqlite, rawSqliteInserter } from './raw-events-table.ts';
import { withTempDir } from './temp-dir.ts';

const batchSize = 1_000;

/** ledger.append on SQLite (canonical bytes, Merkle hashing, indexes, projections, checkpoints) vs a plain insert of the same events (serialise, prepared INSERT). */
export async function ledgerAppendSqlite(ctx: BenchContext): Promise<Figure[]> {
  const count = ctx.quick ? 5_000 : 50_000;
  const rounds = ctx.quick ? 1 : 3;
  const now = new Date();
  const events = benchEvents(0, count, new Date(now.getTime() - 86_400_000), now, count);
  const batches = chunk(events, batchSize);
  // one untimed batch first, for both sides: JIT warm-up, and the product's one-time start of its
  // preparation worker thread, which a running server pays once, not per append
  const warmup = benchEvents(0, batchSize, new Date(now.getTime() - 86_400_000), now, count, 'warmup');

  const product = () =>
    withTempDir('append-sqlite', async (dir) => {
      const { store, ledger } = await openBenchLedger(`sqlite:${join(dir, 'ledger.db')}`, dir);
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
    });
  const baseline = () =>
    withTempDir('append-sqlite-raw', async (dir) => {
      const database = openRawSqlite(join(dir, 'raw.db'));
      try {
        const insert = rawSqliteInserter(database);
        insert(plainRows(warmup, 1, now));
        const { ms } = await timed(() => {
          batches.forEach((batch, i) => insert(plainRows(batch, (i + 1) * batchSize + 1, now)));
        });
        return (count / ms) * 1_000;
      } finally {
        database.close();
      }
    });

  progress(`ledger append on SQLite: ${count} events in batches of ${batchSize}, ${rounds} round(s)`);
  const result = await alternate(rounds, product, baseline);
  return [
    rateFigure('ledger append sqlite (batches of 1,000)', result.product, result.baseline, 'events/s', 0.7, {
      events: count,
      rounds: { product: result.productRounds, baseline: result.baselineRounds },
    }),
  ];
}
