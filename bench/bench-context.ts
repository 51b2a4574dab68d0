import type { Figure } from './figure.ts';
import type { MillionLedger } from './million-ledger.ts';

export interface BenchContext {
  /** smaller sizes and shorter runs, for a smoke run */
  readonly quick: boolean;
  /** the size of the "1M-event" ledger (env BENCH_EVENTS; smaller with --quick) */
  readonly ledgerEvents: number;
  /** the shared large ledger, built on first use and removed when the run ends */
  million(): Promise<MillionLedger>;
}

export type Benchmark = (ctx: BenchContext) => Promise<Figure[]>;
