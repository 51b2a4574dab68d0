import { createHash } from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import type { BenchContext } from './bench-context.ts';
import { rateFigure, type Figure } from './figure.ts';
import { timed } from './measure.ts';
import { progress } from './progress.ts';

/** Full `ledger verify` of the large ledger vs node:crypto SHA-256 over the same canonical bytes held in memory. */
export async function ledgerVerify(ctx: BenchContext): Promise<Figure[]> {
  const million = await ctx.million();
  progress(`ledger verify: ${million.size} events`);
  const verified = await timed(() => million.ledger.verify());
  if (!verified.result.ok) throw new Error(`ledger verify failed: ${verified.result.reason}`);
  const buffers = loadCanonical(million.file);
  const bytes = buffers.reduce((sum, buffer) => sum + buffer.length, 0);
  const hashed = await timed(() => {
    for (const buffer of buffers) createHash('sha256').update(buffer).digest();
  });
  const megabytes = bytes / 1_048_576;
  return [
    rateFigure('ledger verify (full)', megabytes / (verified.ms / 1_000), megabytes / (hashed.ms / 1_000), 'MiB/s', 0.5, {
      events: million.size,
      bytes,
      verifySeconds: verified.ms / 1_000,
      sha256Seconds: hashed.ms / 1_000,
      checkpoints: verified.result.checkpoints,
    }),
  ];
}

function loadCanonical(file: string): Buffer[] {
  const raw = new BetterSqlite3(file, { readonly: true });
  try {
    return (raw.prepare('select canonical from events order by seq').all() as Array<{ canonical: Buffer }>).map((row) => row.canonical);
  } finally {
    raw.close();
  }
}
