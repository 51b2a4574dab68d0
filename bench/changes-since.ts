import BetterSqlite3 from 'better-sqlite3';
import { toChangeQuery } from '../src/changes/change-filter.ts';
import type { BenchContext } from './bench-context.ts';
import { latencyFigure, type Figure } from './figure.ts';
import { latencies, latencySummary } from './measure.ts';
import { progress } from './progress.ts';

const rawChangesSql =
  'select seq, canonical, environment, ingested_ms, leaf_hash from events where time_ms >= ? order by time_ms desc, seq desc limit ?';

/** `changes --since 30m` on the large ledger: ledger.query latency vs the same SQL through raw better-sqlite3. */
export async function changesSince(ctx: BenchContext): Promise<Figure[]> {
  const million = await ctx.million();
  const queries = ctx.quick ? 200 : 1_000;
  const { ledger, now } = million;
  const query = () => ledger.query(toChangeQuery({ since: '30m' }, now));
  const inWindow = await countInWindow(million.file, now);
  progress(`changes --since 30m: ${queries} queries on ${million.size} events (${inWindow} in the window)`);

  const raw = new BetterSqlite3(million.file, { readonly: true });
  try {
    const statement = raw.prepare(rawChangesSql);
    const since = toChangeQuery({ since: '30m' }, now).since?.getTime();
    for (let i = 0; i < 20; i += 1) {
      await query();
      statement.all(since, 100);
    }
    const product = latencySummary(await latencies(queries, query));
    const baseline = latencySummary(await latencies(queries, () => statement.all(since, 100)));
    const returned = (await query()).length;
    const details = { queries, events: million.size, inWindow, returned, product, baseline };
    return [
      latencyFigure('changes --since 30m p50', product.p50, baseline.p50, 3, details),
      latencyFigure('changes --since 30m p99', product.p99, baseline.p99, 20, details),
    ];
  } finally {
    raw.close();
  }
}

async function countInWindow(file: string, now: Date): Promise<number> {
  const raw = new BetterSqlite3(file, { readonly: true });
  try {
    const row = raw.prepare('select count(*) as n from events where time_ms >= ?').get(now.getTime() - 30 * 60_000) as { n: number };
    return row.n;
  } finally {
    raw.close();
  }
}
