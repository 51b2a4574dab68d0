import { createIncidentService } from '../src/incidents/incident-service.ts';
import { readIncidentTimeline } from '../src/incidents/incident-timeline.ts';
import { fixedClock } from '../src/lib/clock.ts';
import { emptyModel, type ResolvedModel } from '../src/model/resolve.ts';
import type { BenchContext } from './bench-context.ts';
import { latencyFigure, type Figure } from './figure.ts';
import { alternateLatencies, latencySummary } from './measure.ts';
import { progress } from './progress.ts';

const hour = 3_600_000;
const windowMs = 2 * hour;
const affected = 'service-07';

/** service-07 depends on service-08 and a datastore: the timeline reads all three subjects. */
function benchModel(): ResolvedModel {
  const service = (name: string, dependsOn: Array<{ service?: string; datastore?: string }>) => ({ name, labels: {}, annotations: {}, owner: 'team-0', tier: 1 as const, lifecycle: 'production', dependsOn });
  return { ...emptyModel(), services: [service(affected, [{ service: 'service-08' }, { datastore: 'store-0' }]), service('service-08', [])] } as ResolvedModel;
}

/**
 * `incident timeline` on the large ledger: an incident whose first alert fired 5 h before the end of
 * the run and that was resolved 1 h before it (a 6 h window with the 2 h before the alert), assembled
 * through the product path; beside the raw ledger query for the same subjects and window.
 */
export async function incidentTimeline(ctx: BenchContext): Promise<Figure[]> {
  const million = await ctx.million();
  const { ledger, now } = million;
  const model = benchModel();
  const alertAt = new Date(now.getTime() - 5 * hour);
  const fingerprint = `bench-${now.getTime()}`;
  await ledger.append([
    {
      actor: 'system:alertmanager',
      event: {
        specversion: '1.0',
        id: `${fingerprint}:firing`,
        source: '/alertmanager/production',
        type: 'dev.steadyops.alert.firing',
        subject: affected,
        time: alertAt.toISOString(),
        data: { alertname: 'HighErrorRate', fingerprint, severity: 'page', labels: { service: affected }, startsAt: alertAt.toISOString(), service: affected, environment: 'production' },
      },
    },
  ]);
  const at = (ms: number) => fixedClock(new Date(alertAt.getTime() + ms));
  const caller = { actor: 'bench', name: 'bench' };
  const declared = await createIncidentService({ ledger, clock: at(5 * 60_000), model: () => model }).declare({ fromAlert: fingerprint }, caller);
  const id = declared.incident.id;
  await createIncidentService({ ledger, clock: at(20 * 60_000), model: () => model }).acknowledge(id, caller);
  await createIncidentService({ ledger, clock: at(4 * hour), model: () => model }).resolve(id, 'bench', caller);

  const incidents = createIncidentService({ ledger, clock: fixedClock(now), model: () => model });
  const deps = { ledger, incidents, model: () => model };
  const assemble = () => readIncidentTimeline(deps, id, windowMs, now);
  const since = new Date(alertAt.getTime() - windowMs);
  const until = new Date(alertAt.getTime() + 4 * hour);
  const raw = () => ledger.query({ subjects: [affected, 'service-08', 'store-0'], since, until, limit: 100_000 });

  const queries = ctx.quick ? 100 : 500;
  const timeline = await assemble();
  const rawEvents = (await raw()).length;
  progress(`incident timeline: ${queries} assemblies of a ${timeline.entries.length}-entry timeline (6 h window) on ${million.size} events`);
  for (let warm = 0; warm < 10; warm += 1) {
    await assemble();
    await raw();
  }
  const { product, baseline } = await alternateLatencies(queries, assemble, raw);
  const assembled = latencySummary(product);
  const query = latencySummary(baseline);
  const details = { events: million.size, entries: timeline.entries.length, rawEvents, likelyTrigger: timeline.likelyTrigger?.seq, queries, product: assembled, baseline: query };
  return [
    latencyFigure(`incident timeline p50 (6 h window, ${million.size} events)`, assembled.p50, query.p50, 50, details),
    latencyFigure(`incident timeline p99 (6 h window, ${million.size} events)`, assembled.p99, query.p99, 50, details),
  ];
}
