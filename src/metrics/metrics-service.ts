import type { ChangeQuery, Ledger } from '../ledger/types.ts';
import type { Clock } from '../lib/clock.ts';
import type { ResolvedModel } from '../model/resolve.ts';
import { computeMetrics, deliveryTypes, lineageTypes, olderIncidentType } from './compute-metrics.ts';
import type { MetricsFact } from './lineage.ts';
import { parseMetricsPeriod, resolveMetricsScope, type MetricsRequest } from './metrics-request.ts';
import type { MetricsReport } from './types.ts';

const DAY = 86_400_000;
/** how far before the previous period commits and follow-ups are read (a change may start long before it ships) */
export const lineageLookbackMs = 90 * DAY;
const defaultPageSize = 5_000;
const incidentTypes = 'dev.steadyops.incident.*';

export interface MetricsService {
  report(request: MetricsRequest, model: ResolvedModel | undefined): Promise<MetricsReport>;
}

/** Reads the two periods' events (and older lineage) from the ledger in bounded pages, then computes the metrics. */
export function createMetricsService({ ledger, clock }: { ledger: Pick<Ledger, 'query' | 'readAfter'>; clock: Clock }): MetricsService {
  return {
    async report(request, model) {
      const period = parseMetricsPeriod(request.period);
      const scope = resolveMetricsScope(request, model);
      const now = clock.now();
      const previousStart = now.getTime() - 2 * period.ms;
      const subjects = scope.services ? { subjects: scope.services } : {};
      if (scope.services?.length === 0) return computeMetrics([], scope, period, now);
      // an incident's events carry its first service as subject: one that lists the scoped service second is
      // missed by a subject query, so a scoped report reads incidents whole, once, and not by subject as well
      const byScope = scope.services !== undefined;
      const delivery = await readAll(ledger, {
        ...subjects,
        types: byScope ? deliveryTypes.filter((type) => type !== incidentTypes) : deliveryTypes,
        since: new Date(previousStart),
        until: now,
      });
      const lineage = await readAll(ledger, { ...subjects, types: byScope ? lineageTypes : [...lineageTypes, olderIncidentType], since: new Date(previousStart - lineageLookbackMs), until: now });
      const incidents = byScope ? await readAll(ledger, { types: [incidentTypes], since: new Date(previousStart - lineageLookbackMs), until: now }) : [];
      const [first] = await ledger.readAfter(0, 1);
      return computeMetrics([...delivery, ...lineage, ...incidents], scope, period, now, first ? { recordedSince: new Date(first.time) } : {});
    },
  };
}

/** Every event matching `query`, newest first, read in bounded pages. */
export async function readAll(ledger: Pick<Ledger, 'query'>, query: ChangeQuery, pageSize = defaultPageSize): Promise<MetricsFact[]> {
  const events: MetricsFact[] = [];
  let beforeSeq: number | undefined;
  for (;;) {
    const page = await ledger.query({ ...query, limit: pageSize, ...(beforeSeq === undefined ? {} : { beforeSeq }) });
    events.push(...page);
    if (page.length < pageSize) return events;
    beforeSeq = page[page.length - 1]!.seq;
  }
}
