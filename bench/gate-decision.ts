import { createPrometheusClient } from '../src/connectors/prometheus/prometheus-client.ts';
import { prometheusFor } from '../src/connectors/prometheus/prometheus-for.ts';
import { systemClock } from '../src/lib/clock.ts';
import { emptyModel, type ResolvedModel } from '../src/model/resolve.ts';
import { releasePolicySpecSchema } from '../src/model/schema.ts';
import { createGateService } from '../src/release/gate-service.ts';
import { sloExprs, sloQueries } from '../src/slo/slo-queries.ts';
import { createSloStatusService } from '../src/slo/slo-status-service.ts';
import { counterHistory, prometheusAvailable, startPrometheus } from '../test/support/prometheus.ts';
import type { BenchContext } from './bench-context.ts';
import { latencyFigure, type Figure } from './figure.ts';
import { alternateLatencies, latencySummary } from './measure.ts';
import { progress } from './progress.ts';
import { withTempDir } from './temp-dir.ts';
import { openBenchLedger } from './bench-ledger.ts';

const service = 'checkout-api';
const dayMs = 86_400_000;

/** Eight checks, every kind, in the order a tier-1 policy lists them. */
const policy = releasePolicySpecSchema.parse({
  onError: 'deny',
  checks: [
    { type: 'errorBudget', minRemaining: 0.1 },
    { type: 'firingAlerts', severities: ['page'] },
    { type: 'openIncidents', severities: ['sev1', 'sev2'] },
    { type: 'freezeWindow', windows: [{ days: ['sun'], start: '00:00', end: '00:01', timezone: 'UTC' }] },
    { type: 'approvals', minApprovals: 1 },
    { type: 'restoreFreshness', maxAge: '30d' },
    { type: 'rollbackPlan' },
    { type: 'changeFrequency', max: 50, window: '1d' },
  ],
});

function benchModel(prometheusUrl: string): ResolvedModel {
  const ratio = (code: string) => `sum(rate(http_requests_total{service="${service}"${code}}[{{.window}}]))`;
  return {
    ...emptyModel(),
    teams: [{ name: 'payments', labels: {}, annotations: {}, timezone: 'UTC', members: [{ name: 'Ana', email: 'ana@example.com' }] }],
    environments: [{ name: 'production', labels: {}, annotations: {}, protection: 'strict', prometheus: { url: prometheusUrl } }],
    releasePolicies: [{ name: 'tier1', labels: {}, annotations: {}, ...policy }],
    services: [
      {
        name: service,
        labels: {},
        annotations: {},
        owner: 'payments',
        tier: 1,
        lifecycle: 'production',
        releasePolicy: 'tier1',
        environments: ['production'],
        slos: [
          { name: 'availability', objective: 99.9, period: '7d', sli: { ratio: { errors: ratio(',code=~"5.."'), total: ratio('') } } },
          { name: 'success', objective: 99, period: '7d', sli: { ratio: { good: ratio(',code="200"'), total: ratio('') } } },
        ],
        rollback: { criteria: [{ name: 'errors', query: 'up', threshold: 1, failWhen: 'below', consecutiveFailures: 3 }], bake: '10m', interval: '30s' },
      },
    ],
  };
}

/**
 * Gate decision latency for a policy of 8 checks with Prometheus on loopback (a week of backfilled
 * history), beside the same Prometheus queries sent straight to Prometheus in one round.
 */
export async function gateDecision(ctx: BenchContext): Promise<Figure[]> {
  if (!prometheusAvailable()) return [];
  const count = ctx.quick ? 50 : 400;
  const now = new Date();
  const history = counterHistory(
    [
      { name: 'http_requests', labels: { service, code: '200' }, value: (t) => Math.round((t - 1.7e9) * 20) },
      { name: 'http_requests', labels: { service, code: '500' }, value: (t) => Math.round((t - 1.7e9) * 0.005) },
    ],
    new Date(now.getTime() - 8 * dayMs),
    new Date(now.getTime() - 3 * 3_600_000),
    60,
  );
  progress('gate decision: backfilling a week of history into Prometheus');
  const prometheus = await startPrometheus({ backfill: history });
  try {
    return await withTempDir('gate', async (dir) => {
      const model = benchModel(prometheus.url);
      const { ledger } = await openBenchLedger(`sqlite:${dir}/gate.db`, dir);
      const lookup = prometheusFor(model);
      const gates = createGateService({
        ledger,
        clock: systemClock,
        model: () => model,
        budgets: createSloStatusService({ prometheus: lookup, clock: systemClock }),
        prometheus: lookup,
      });
      await gates.approve({ service, version: 'v1', approver: 'ana@example.com' }, 'bench');
      const request = { service, environment: 'production', version: 'v1' };
      const first = await gates.check(request, 'bench');
      if (first.decision !== 'allow') throw new Error(`the bench's release should be allowed: ${JSON.stringify(first.enforcedFailures)}`);

      const client = createPrometheusClient({ url: prometheus.url });
      const exprs = (model.services[0]?.slos ?? []).flatMap((slo) => sloExprs(sloQueries(slo)));
      const direct = () => Promise.all([client.queryAll(exprs), client.alerts()]);
      progress(`gate decision: ${count} decisions and ${count} direct query rounds (${exprs.length} queries + alerts each), alternating`);
      const { product, baseline } = await alternateLatencies(count, () => gates.check(request, 'bench'), direct);
      await ledger.close();
      const gate = latencySummary(product);
      const prom = latencySummary(baseline);
      return [
        latencyFigure('gate decision p50 (8 checks, Prometheus on loopback)', gate.p50, prom.p50, prom.p50 + 50, { queries: exprs.length + 1, gate, prometheus: prom }),
        latencyFigure('gate decision p99 (8 checks, Prometheus on loopback)', gate.p99, prom.p99, prom.p99 + 50, { overheadMs: gate.p99 - prom.p99 }),
      ];
    });
  } finally {
    await prometheus.stop();
  }
}
