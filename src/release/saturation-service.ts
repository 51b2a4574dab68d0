import type { PrometheusFor } from '../connectors/prometheus/prometheus-for.ts';
import { queryBatch } from '../connectors/prometheus/query-batch.ts';
import { serviceTargets, type TargetQuery } from '../connectors/prometheus/service-targets.ts';
import type { Clock } from '../lib/clock.ts';
import type { ResolvedModel } from '../model/resolve.ts';
import { evaluateSaturation, saturationTargets, type SaturationStatus } from './evaluate-saturation.ts';

/** What `steadyops saturation` and GET /api/v1/saturation answer. */
export interface SaturationReport {
  /** when the queries were evaluated */
  readonly at: string;
  /** how many dependencies are at or above their threshold */
  readonly saturated: number;
  /** worst first */
  readonly dependencies: readonly SaturationStatus[];
}

export interface SaturationService {
  report(model: ResolvedModel, query?: TargetQuery): Promise<SaturationReport>;
}

/** Reads every declared saturation query of the selected services in one round of queries. */
export function createSaturationService(deps: { prometheus: PrometheusFor; clock: Clock }): SaturationService {
  return {
    async report(model, query = {}) {
      const now = deps.clock.now();
      const targets = serviceTargets(model, query).flatMap(({ service, environment }) => saturationTargets(service, environment));
      const answers = await queryBatch(
        deps.prometheus,
        targets.map((target) => ({ environment: target.environment, exprs: [target.query] })),
        now,
      );
      const dependencies = evaluateSaturation(
        targets,
        answers.map((answer) => answer[0] ?? []),
      );
      return { at: now.toISOString(), saturated: dependencies.filter((entry) => entry.saturated).length, dependencies };
    },
  };
}
