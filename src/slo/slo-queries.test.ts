import { describe, expect, it } from 'vitest';
import { sloExprs, sloQueries, type Slo } from './slo-queries.ts';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

const availability: Slo = {
  name: 'availability',
  objective: 99.9,
  period: '30d',
  sli: {
    ratio: {
      errors: 'sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))',
      total: 'sum(rate(http_requests_total[{{ .window }}]))',
    },
  },
};

describe('sloQueries', () => {
  it('asks counted and total apart over every burn window and the period, shortest first', () => {
    const queries = sloQueries(availability);
    expect(queries.kind).toBe('errors');
    expect(queries.ranges.map((range) => range.rangeMs)).toEqual([5 * minute, 30 * minute, hour, 2 * hour, 6 * hour, day, 3 * day, 30 * day]);
    expect(queries.ranges.at(-1)).toEqual({
      rangeMs: 30 * day,
      counted: 'sum(rate(http_requests_total{code=~"5.."}[30d]))',
      total: 'sum(rate(http_requests_total[30d]))',
    });
  });

  it('uses the good query for good/total SLIs and scales windows with the period', () => {
    const latency: Slo = { name: 'latency', objective: 99, period: '7d', sli: { ratio: { good: 'sum(rate(ok[{{.window}}]))', total: 'sum(rate(all[{{.window}}]))' } } };
    const queries = sloQueries(latency);
    expect(queries.kind).toBe('good');
    expect(queries.ranges[0]).toEqual({ rangeMs: 70_000, counted: 'sum(rate(ok[1m10s]))', total: 'sum(rate(all[1m10s]))' });
  });

  it('lists the expressions counted, total, range after range', () => {
    const queries = sloQueries(availability);
    const exprs = sloExprs(queries);
    expect(exprs).toHaveLength(2 * queries.ranges.length);
    expect(exprs.slice(0, 2)).toEqual(['sum(rate(http_requests_total{code=~"5.."}[5m]))', 'sum(rate(http_requests_total[5m]))']);
  });
});
