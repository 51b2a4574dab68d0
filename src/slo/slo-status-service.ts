import type { PrometheusFor } from '../connectors/prometheus/prometheus-for.ts';
import { queryBatch } from '../connectors/prometheus/query-batch.ts';
import { serviceTargets, type TargetQuery } from '../connectors/prometheus/service-targets.ts';
import type { Clock } from '../lib/clock.ts';
import type { ResolvedModel } from '../model/resolve.ts';
import { sloExprs, sloQueries } from './slo-queries.ts';
import { sloStatus, type SloStatus } from './slo-status.ts';

/** What `slo status` and GET /api/v1/slos answer. */
export interface SloReport {
  /** when the queries were evaluated */
  readonly at: string;
  readonly slos: readonly SloStatus[];
}

export interface SloStatusService {
  /** every SLO of the selected services, read from each service's environment in one round of queries */
  status(model: ResolvedModel, query?: TargetQuery): Promise<SloStatus[]>;
  report(model: ResolvedModel, query?: TargetQuery): Promise<SloReport>;
}

export function createSloStatusService(deps: { prometheus: PrometheusFor; clock: Clock }): SloStatusService {
  async function evaluate(model: ResolvedModel, query: TargetQuery, now: Date): Promise<SloStatus[]> {
    const targets = serviceTargets(model, query).flatMap(({ service, environment }) =>
      (service.slos ?? []).map((slo) => ({ service: service.name, environment, slo, queries: sloQueries(slo) })),
    );
    const answers = await queryBatch(
      deps.prometheus,
      targets.map((target) => ({ environment: target.environment, exprs: sloExprs(target.queries) })),
      now,
    );
    return targets.map((target, index) => sloStatus({ ...target, answers: answers[index] ?? [], now }));
  }
  return {
    status: (model, query = {}) => evaluate(model, query, deps.clock.now()),
    async report(model, query = {}) {
      const now = deps.clock.now();
      return { at: now.toISOString(), slos: await evaluate(model, query, now) };
    },
  };
}
