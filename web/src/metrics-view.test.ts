import { describe, expect, it } from 'vitest';
import { evidenceLink, evidenceTypes, formatMetric, metricsApiQuery, metricsFilterFromSearch, metricsFilterToSearch, trendBars, trendText } from './metrics-view.ts';

describe('the Metrics page', () => {
  it('keeps the scope and period in the URL', () => {
    expect(metricsFilterFromSearch('')).toEqual({ service: '', team: '', period: '30d', env: 'production' });
    expect(metricsFilterToSearch(metricsFilterFromSearch(''))).toBe('');
    const filter = metricsFilterFromSearch('?team=payments&period=90d');
    expect(metricsFilterToSearch(filter)).toBe('?team=payments&period=90d');
    expect(metricsFilterFromSearch('?period=5y').period).toBe('30d');
    expect(metricsApiQuery(filter)).toBe('/api/v1/metrics?period=90d&env=production&team=payments');
  });

  it('says each figure in its unit, and "not measured" without one', () => {
    expect(formatMetric(1.4285, 'deploys/day')).toBe('1.43/day');
    expect(formatMetric(25, 'percent')).toBe('25%');
    expect(formatMetric(12.25, 'hours')).toBe('12.3 h');
    expect(formatMetric(3, 'minutes')).toBe('3 min');
    expect(formatMetric(0, 'minutes')).toBe('0 min');
    expect(formatMetric(null, 'hours')).toBe('not measured');
  });

  it('says the trend against the previous period and whether it is better', () => {
    expect(trendText({ previous: 1, change: 0.4, direction: 'up', better: true }, 'deploys/day')).toBe('▲ from 1/day (better)');
    expect(trendText({ previous: 20, change: 5, direction: 'up', better: false }, 'percent')).toBe('▲ from 20% (worse)');
    expect(trendText({ previous: 2, change: 0, direction: 'flat', better: null }, 'hours')).toBe('unchanged from 2 h');
    expect(trendText({ previous: null, change: null, direction: 'unknown', better: null }, 'hours')).toBe('no data for the previous period');
  });

  it('links each metric to the events of its period and scope', () => {
    expect(evidenceTypes('mttr')).toBe('dev.steadyops.incident.*');
    expect(evidenceTypes('changeFailRate')).toBe('dev.steadyops.deploy.*,dev.steadyops.rollback.*,dev.steadyops.incident.*');
    const link = evidenceLink('deploymentFrequency', { period: { label: '30d', start: '2026-10-27T09:00:00.000Z', end: '2026-11-26T09:00:00.000Z', previousStart: '' } }, metricsFilterFromSearch('?service=checkout-api'));
    expect(link).toBe('/changes?since=2026-10-27T09%3A00%3A00.000Z&until=2026-11-26T09%3A00%3A00.000Z&service=checkout-api&type=dev.steadyops.deploy.*');
  });

  it('scales the trend bars to the larger period', () => {
    expect(trendBars(2, 4)).toEqual({ current: 0.5, previous: 1 });
    expect(trendBars(null, null)).toEqual({ current: 0, previous: 0 });
    expect(trendBars(3, null)).toEqual({ current: 1, previous: 0 });
  });
});
