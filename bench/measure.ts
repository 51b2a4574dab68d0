import { performance } from 'node:perf_hooks';

export async function timed<T>(work: () => Promise<T> | T): Promise<{ result: T; ms: number }> {
  const start = performance.now();
  const result = await work();
  return { result, ms: performance.now() - start };
}

/** The p-th percentile (0..100) by nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new Error('percentile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Times `count` sequential calls, returning each call's duration in ms. */
export async function latencies(count: number, call: (i: number) => Promise<unknown> | unknown): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const start = performance.now();
    await call(i);
    samples.push(performance.now() - start);
  }
  return samples;
}

export function latencySummary(samples: readonly number[]): { p50: number; p90: number; p99: number; max: number } {
  return { p50: percentile(samples, 50), p90: percentile(samples, 90), p99: percentile(samples, 99), max: percentile(samples, 100) };
}

/**
 * Per-call latencies of product and baseline, `count` calls each, taken in four alternating rounds (baseline
 * first) so both see the same machine load.
 */
export async function alternateLatencies(
  count: number,
  product: () => Promise<unknown> | unknown,
  baseline: () => Promise<unknown> | unknown,
): Promise<{ product: number[]; baseline: number[] }> {
  const productSamples: number[] = [];
  const baselineSamples: number[] = [];
  for (let round = 0; round < 4; round += 1) {
    baselineSamples.push(...(await latencies(count / 4, () => baseline())));
    productSamples.push(...(await latencies(count / 4, () => product())));
  }
  return { product: productSamples, baseline: baselineSamples };
}

/**
 * Runs product and baseline alternately, `rounds` times each, so both see the same machine load
 * (other work on a shared machine comes and goes); returns the median rate of each.
 */
export async function alternate(
  rounds: number,
  product: () => Promise<number>,
  baseline: () => Promise<number>,
): Promise<{ product: number; baseline: number; productRounds: number[]; baselineRounds: number[] }> {
  const productRounds: number[] = [];
  const baselineRounds: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    baselineRounds.push(await baseline());
    productRounds.push(await product());
  }
  return { product: median(productRounds), baseline: median(baselineRounds), productRounds, baselineRounds };
}
