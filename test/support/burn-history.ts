import { counterHistory } from './prometheus.ts';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** A 99.9% availability SLI over `history_requests_total` of one service, as the model writes it. */
export function historySli(service: string) {
  return {
    ratio: {
      errors: `sum(rate(history_requests_total{service="${service}",code="500"}[{{.window}}]))`,
      total: `sum(rate(history_requests_total{service="${service}"}[{{.window}}]))`,
    },
  };
}

/**
 * 31 days of `history_requests_total` for promtool to backfill, at 100 req/s: 0.05% failing (half the
 * sustainable burn of a 99.9% SLO) until three hours before `now`, then 1% failing (ten times it).
 */
export function burnHistory(service: string, now: number): string {
  const start = Math.floor((now - 31 * dayMs) / 1000);
  const incident = Math.floor((now - 3 * hourMs) / 1000);
  const counter = (before: number, after: number) => (t: number) => before * (Math.min(t, incident) - start) + after * Math.max(0, t - incident);
  return counterHistory(
    [
      { name: 'history_requests', labels: { service, code: '200' }, value: counter(99.95, 99) },
      { name: 'history_requests', labels: { service, code: '500' }, value: counter(0.05, 1) },
    ],
    new Date(now - 31 * dayMs),
    new Date(now + 5 * 60_000),
    60,
  );
}
