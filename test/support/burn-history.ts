import { testTeam, writeModelDir } from './model-dir.ts';
import { counterHistory } from './prometheus.ts';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** A 99.9% availability SLI over `history_requests_total` of one service, as the model writes it. */
function historySli(service: string) {
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

/** Writes the model the burn history is read with: checkout-api's 99.9% 30-day availability SLO on `prometheusUrl`. */
export function writeBurnHistoryModel(dir: string, prometheusUrl: string): string {
  return writeModelDir(dir, [
    testTeam,
    { kind: 'Environment', name: 'production', spec: { protection: 'strict', order: 1, prometheus: { url: prometheusUrl } } },
    {
      kind: 'Service',
      name: 'checkout-api',
      spec: { owner: 'payments', tier: 1, environments: ['production'], slos: [{ name: 'availability', objective: 99.9, period: '30d', sli: historySli('checkout-api') }] },
    },
  ]);
}
