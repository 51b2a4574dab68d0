import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ResolvedService } from '../model/resolve.ts';
import { evaluateSaturation, saturationRank, saturationTargets, type SaturationTarget } from './evaluate-saturation.ts';

const service = {
  name: 'checkout-api',
  owner: 'payments',
  tier: 1,
  lifecycle: 'production',
  labels: {},
  annotations: {},
  dependsOn: [
    { datastore: 'core-postgres', critical: true, saturation: { query: 'pg_pool_use', threshold: 0.8, description: 'share of Postgres connections in use' } },
    { service: 'ledger-service' },
    { external: 'stripe-api', saturation: { query: 'stripe_429_ratio', threshold: 0.05 } },
    { service: 'fraud-scoring', saturation: { query: 'fraud_queue_depth', threshold: 1000 } },
  ],
} as ResolvedService;

const targets = saturationTargets(service, 'production');
const sample = (value: number, labels: Record<string, string> = {}) => ({ labels, value });

describe('saturationTargets', () => {
  it('lists the dependencies that declare a saturation query, with their kind', () => {
    expect(targets.map((target) => [target.kind, target.dependency, target.critical, target.threshold])).toEqual([
      ['datastore', 'core-postgres', true, 0.8],
      ['external', 'stripe-api', false, 0.05],
      ['service', 'fraud-scoring', false, 1000],
    ]);
    expect(targets[0]).toMatchObject({ service: 'checkout-api', environment: 'production', description: 'share of Postgres connections in use' });
  });
});

describe('evaluateSaturation', () => {
  it('orders worst first by value ÷ threshold, says which are saturated, and puts no data last', () => {
    const statuses = evaluateSaturation(targets, [[sample(0.92)], [], [sample(400)]]);
    expect(statuses.map((status) => [status.dependency, status.saturated, status.noData])).toEqual([
      ['core-postgres', true, false],
      ['fraud-scoring', false, false],
      ['stripe-api', false, true],
    ]);
    expect(statuses[0]).toMatchObject({ value: 0.92, ratio: expect.closeTo(1.15, 10), headroom: expect.closeTo(-0.12, 10), series: 1 });
    expect(statuses[0]?.summary).toBe(
      'core-postgres (datastore of checkout-api) is saturated: share of Postgres connections in use is 0.92, at or above its threshold of 0.8 (115% of it).',
    );
    expect(statuses[1]?.summary).toBe('fraud-scoring (service of checkout-api) is not saturated: the saturation query is 400 against a threshold of 1000 (40% of it).');
    expect(statuses[2]).toMatchObject({ value: undefined, headroom: undefined, saturated: false, series: 0 });
    expect(statuses[2]?.summary).toBe('stripe-api (external of checkout-api) has no data in production: its saturation query returned no samples, so whether it is saturated is unknown.');
  });

  it('takes the highest of several series and names its labels', () => {
    const [status] = evaluateSaturation(targets.slice(0, 1), [
      [sample(0.4, { __name__: 'pg_pool_use', instance: 'db-1' }), sample(0.85, { __name__: 'pg_pool_use', instance: 'db-2' }), sample(Number.NaN, { instance: 'db-3' })],
    ]);
    expect(status).toMatchObject({ value: 0.85, series: 2, labels: { instance: 'db-2' }, saturated: true });
    expect(status?.summary).toMatch(/Highest of 2 series: \{instance="db-2"\}\.$/);
  });

  it.each([
    [0.8, true],
    [0.7999, false],
  ])('is saturated at or above the threshold: %s', (value, saturated) => {
    expect(evaluateSaturation(targets.slice(0, 1), [[sample(value)]])[0]?.saturated).toBe(saturated);
  });

  it('handles a threshold of 0: any value of 0 or more reaches it, no ratio is given', () => {
    const zero: SaturationTarget = { ...targets[0], threshold: 0 } as SaturationTarget;
    const [status] = evaluateSaturation([zero], [[sample(0)]]);
    expect(status).toMatchObject({ saturated: true, headroom: 0 });
    expect(status?.ratio).toBeUndefined();
  });

  it('always lists worst first by value ÷ threshold, and no data after every reading (property)', () => {
    const reading = fc.option(fc.double({ min: 0, max: 5000, noNaN: true }), { nil: undefined });
    const threshold = fc.double({ min: 0.01, max: 5000, noNaN: true });
    fc.assert(
      fc.property(fc.array(fc.tuple(threshold, reading), { minLength: 1, maxLength: 12 }), (entries) => {
        const list = entries.map(([limit], index) => ({ ...targets[0], dependency: `dep-${index}`, threshold: limit }) as SaturationTarget);
        const statuses = evaluateSaturation(list, entries.map(([, value]) => (value === undefined ? [] : [sample(value)])));
        const ranks = statuses.map(saturationRank);
        for (let i = 1; i < ranks.length; i++) expect(ranks[i - 1]).toBeGreaterThanOrEqual(ranks[i] ?? 0);
        const firstNoData = statuses.findIndex((status) => status.noData);
        if (firstNoData >= 0) expect(statuses.slice(firstNoData).every((status) => status.noData)).toBe(true);
        for (const status of statuses) expect(status.saturated).toBe(status.value !== undefined && status.value >= status.threshold);
      }),
    );
  });
});
