import type { BenchContext } from './bench-context.ts';
import type { Figure } from './figure.ts';
import { buildBatchSize } from './million-ledger.ts';

/** The time to build the large ledger through ledger.append (batches of 5,000); measured while building it. */
export async function ledgerBuild(ctx: BenchContext): Promise<Figure[]> {
  const million = await ctx.million();
  const rate = (million.size / million.buildMs) * 1_000;
  return [
    {
      name: `ledger build ${million.size} events sqlite (ledger.append, batches of ${buildBatchSize})`,
      value: rate,
      unit: 'events/s',
      details: { events: million.size, seconds: million.buildMs / 1_000 },
    },
  ];
}
