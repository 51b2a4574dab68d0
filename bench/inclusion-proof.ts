import BetterSqlite3 from 'better-sqlite3';
import type { BenchContext } from './bench-context.ts';
import { latencyFigure, type Figure } from './figure.ts';
import { latencies, latencySummary } from './measure.ts';
import { progress } from './progress.ts';

/** Inclusion proofs for random events of the large ledger vs one raw leaf-hash lookup by seq. */
export async function inclusionProof(ctx: BenchContext): Promise<Figure[]> {
  const million = await ctx.million();
  const proofs = ctx.quick ? 200 : 1_000;
  const seqs = randomSeqs(proofs, million.size, 0x5eed);
  progress(`inclusion proofs: ${proofs} random events of ${million.size}`);
  const raw = new BetterSqlite3(million.file, { readonly: true });
  try {
    const statement = raw.prepare('select leaf_hash from events where seq = ?');
    for (const seq of seqs.slice(0, 20)) {
      await million.ledger.inclusionProof(seq);
      statement.get(seq);
    }
    const product = latencySummary(await latencies(proofs, (i) => million.ledger.inclusionProof(seqs[i] as number)));
    const baseline = latencySummary(await latencies(proofs, (i) => statement.get(seqs[i] as number)));
    return [latencyFigure('inclusion proof p99', product.p99, baseline.p99, 5, { proofs, events: million.size, product, baseline })];
  } finally {
    raw.close();
  }
}

/** Deterministic (xorshift) so every run proves the same events. */
function randomSeqs(count: number, size: number, seed: number): number[] {
  let state = seed >>> 0 || 1;
  return Array.from({ length: count }, () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) % size) + 1;
  });
}
