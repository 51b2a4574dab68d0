import { computeMetrics } from '../src/metrics/compute-metrics.ts';
import type { MetricsFact } from '../src/metrics/lineage.ts';
import type { BenchContext } from './bench-context.ts';
import { latencyFigure, type Figure } from './figure.ts';
import { latencies, median } from './measure.ts';
import { progress } from './progress.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const periodDays = 90;

/**
 * 50,000 production deploys of 100 services over two 90-day periods, each shipping one commit recorded
 * before it; one in twenty rolled back, one in a hundred causing an incident that is acknowledged and resolved.
 */
export function doraFacts(deploys: number, services: number, now: Date): MetricsFact[] {
  const facts: MetricsFact[] = [];
  const add = (type: string, at: number, subject: string, data: Record<string, unknown>): void => {
    facts.push({ seq: facts.length + 1, type: `dev.steadyops.${type}`, time: new Date(at).toISOString(), subject, data, actor: 'bench', id: String(facts.length + 1) });
  };
  const span = 2 * periodDays * DAY;
  for (let index = 0; index < deploys; index += 1) {
    const service = `service-${index % services}`;
    const at = now.getTime() - span + Math.floor(((index + 0.5) / deploys) * span);
    const sha = index.toString(16).padStart(8, '0');
    const deployId = `deploy-${index}`;
    add('git.commit', at - ((index % 48) + 1) * HOUR, service, { repo: `org/${service}`, sha, branch: 'main', author: 'dev', message: 'change' });
    add('deploy.finished', at, service, { service, environment: 'production', version: `v${index}`, deployId, commits: [sha] });
    if (index % 20 === 7) {
      add('rollback.finished', at + 20 * 60_000, service, {
        service,
        environment: 'production',
        fromVersion: `v${index}`,
        toVersion: `v${index - 1}`,
        reason: 'errors',
        outcome: 'succeeded',
        deployId,
      });
    }
    if (index % 100 === 3) {
      const incidentId = `INC-${index}`;
      add('incident.declared', at + 10 * 60_000, service, { incidentId, title: 't', severity: 'sev2', services: [service], causedBy: { deployId } });
      add('incident.acknowledged', at + 14 * 60_000, service, { incidentId, by: 'oncall' });
      add('incident.resolved', at + 3 * HOUR, service, { incidentId });
    }
  }
  return facts;
}

/** The baseline: one plain loop over the same events, counting deploys and the earliest commit of each. */
function plainLoop(facts: readonly MetricsFact[]): number {
  const commits = new Map<string, number>();
  let deploys = 0;
  let leadTotal = 0;
  for (const fact of facts) {
    const data = fact.data as Record<string, unknown>;
    const at = Date.parse(fact.time);
    if (fact.type === 'dev.steadyops.git.commit') commits.set(data['sha'] as string, at);
    else if (fact.type === 'dev.steadyops.deploy.finished') {
      deploys += 1;
      const first = commits.get((data['commits'] as string[])[0]!);
      if (first !== undefined) leadTotal += at - first;
    }
  }
  return deploys + leadTotal;
}

/** `steadyops metrics --period 90d` over every service: computeMetrics on 50,000 deploys vs a plain loop over the same events. */
export async function doraMetrics(ctx: BenchContext): Promise<Figure[]> {
  const now = new Date('2026-11-26T12:00:00Z');
  const deploys = ctx.quick ? 10_000 : 50_000;
  const services = 100;
  const facts = doraFacts(deploys, services, now);
  const runs = ctx.quick ? 3 : 10;
  progress(`dora metrics: ${runs} runs over ${facts.length} events (${deploys} deploys, ${services} services, two ${periodDays}-day periods)`);
  const scope = { label: 'all services', environment: 'production' };
  const period = { label: `${periodDays}d`, ms: periodDays * DAY };
  const report = computeMetrics(facts, scope, period, now);
  const product = await latencies(runs, () => computeMetrics(facts, scope, period, now));
  const baseline = await latencies(runs, () => plainLoop(facts));
  const failRate = report.metrics.find((metric) => metric.key === 'changeFailRate')?.value;
  const details = { events: facts.length, deploys, services, runs, deploysInPeriod: report.deploys.count, changeFailRate: failRate };
  return [latencyFigure(`dora metrics 90d, ${deploys} deploys, ${services} services (median)`, median(product), median(baseline), 500, details)];
}
