import { join } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { StoreLedger } from '../src/ledger/ledger.ts';
import type { Store } from '../src/store/open-store.ts';
import { benchEvents } from './bench-events.ts';
import { openBenchLedger } from './bench-ledger.ts';
import { timed } from './measure.ts';
import { progress } from './progress.ts';

export const buildBatchSize = 5_000;
const spreadMs = 14 * 86_400_000;

/** The large SQLite ledger the query, proof and verify figures read: events spread over the 14 days before `now`. */
export interface MillionLedger {
  readonly file: string;
  readonly store: Store;
  readonly ledger: StoreLedger;
  readonly now: Date;
  readonly size: number;
  readonly buildMs: number;
  close(): Promise<void>;
}

/** Builds it through the product path, `ledger.append` in batches of 5,000, and times that. */
export async function buildMillionLedger(size: number): Promise<MillionLedger> {
  const dir = mkdtempSync(join(tmpdir(), 'steadyops-bench-million-'));
  const file = join(dir, 'steadyops.db');
  const { store, ledger } = await openBenchLedger(`sqlite:${file}`, dir);
  const now = new Date();
  const start = new Date(now.getTime() - spreadMs);
  progress(`building a ${size}-event ledger through ledger.append in batches of ${buildBatchSize}`);
  try {
    let appendMs = 0;
    for (let first = 0; first < size; first += buildBatchSize) {
      const batch = benchEvents(first, Math.min(buildBatchSize, size - first), start, now, size, 'm');
      appendMs += (await timed(() => ledger.append(batch))).ms;
      if ((first / buildBatchSize) % 40 === 39) progress(`  ${first + batch.length}/${size} events, ${Math.round(((first + batch.length) / appendMs) * 1_000)} events/s`);
    }
    await ledger.cutCheckpoint();
    return {
      file,
      store,
      ledger,
      now,
      size,
      buildMs: appendMs,
      async close() {
        await ledger.close();
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await ledger.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
