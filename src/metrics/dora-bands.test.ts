import { describe, expect, it } from 'vitest';
import { changeFailRateBand, deploymentFrequencyBand, leadTimeBand, recoveryTimeBand } from './dora-bands.ts';

describe('DORA performance bands', () => {
  it.each([
    [3, 'elite'],
    [1, 'elite'],
    [0.5, 'high'],
    [1 / 7, 'high'],
    [0.1, 'medium'],
    [1 / 30, 'medium'],
    [0.01, 'low'],
  ] as const)('%d deploys a day is %s', (perDay, level) => expect(deploymentFrequencyBand(perDay).level).toBe(level));

  it.each([
    [2, 'elite'],
    [24, 'high'],
    [100, 'high'],
    [168, 'medium'],
    [720, 'low'],
  ] as const)('a %d h lead time is %s', (hours, level) => expect(leadTimeBand(hours).level).toBe(level));

  it.each([
    [0.5, 'elite'],
    [1, 'high'],
    [23, 'high'],
    [24, 'medium'],
    [168, 'low'],
  ] as const)('a %d h recovery is %s', (hours, level) => expect(recoveryTimeBand(hours).level).toBe(level));

  it.each([
    [0, 'elite'],
    [5, 'elite'],
    [7.5, 'high'],
    [15, 'medium'],
    [25, 'low'],
  ] as const)('a %d%% change fail rate is %s', (rate, level) => expect(changeFailRateBand(rate).level).toBe(level));

  it('names the report each band comes from', () => {
    expect(leadTimeBand(1).source).toMatch(/State of DevOps Report 2024/);
    expect(changeFailRateBand(1).source).toMatch(/State of DevOps Report 2023/);
  });
});
