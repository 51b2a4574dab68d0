import type { PrometheusFor } from '../connectors/prometheus/prometheus-for.ts';
import { serviceTargets } from '../connectors/prometheus/service-targets.ts';
import type { Clock } from '../lib/clock.ts';
import { formatDuration } from '../lib/duration.ts';
import { SteadyopsError } from '../lib/errors.ts';
import type { ResolvedModel } from '../model/resolve.ts';
import { type HistoryRange, historyRanges, historyWindow, maxHistoryPoints, type SloHistory, sloHistory, sloHistoryExprs, sloHistoryQueries } from './slo-history.ts';

export interface SloHistoryRequest {
  readonly service: string;
  readonly slo: string;
  /** the environment to read; the service's default environment when absent */
  readonly environment?: string;
  readonly range: HistoryRange;
  /** the range's default step when absent */
  readonly stepMs?: number;
}

export interface SloHistoryService {
  history(model: ResolvedModel, request: SloHistoryRequest): Promise<SloHistory>;
}

/** Burn rates and error budget over the last 24 hours or 7 days, from Prometheus range queries. */
export function createSloHistoryService(deps: { prometheus: PrometheusFor; clock: Clock }): SloHistoryService {
  return {
    async history(model, request) {
      const [target] = serviceTargets(model, { service: request.service, ...(request.environment ? { environment: request.environment } : {}) });
      if (!target) throw new SteadyopsError('SO_E_NOT_FOUND', { what: 'service', id: request.service });
      const slo = (target.service.slos ?? []).find((entry) => entry.name === request.slo);
      if (!slo) throw new SteadyopsError('SO_E_NOT_FOUND', { what: 'SLO', id: `${request.slo} of ${request.service}` });
      const { rangeMs, stepMs: defaultStepMs } = historyRanges[request.range];
      const stepMs = request.stepMs ?? defaultStepMs;
      if (rangeMs / stepMs > maxHistoryPoints) {
        throw new SteadyopsError('SO_E_USAGE', { detail: `step ${formatDuration(stepMs)} gives more than ${maxHistoryPoints} points over ${request.range}; use a step of at least ${formatDuration(Math.ceil(rangeMs / maxHistoryPoints))}` });
      }
      const { start, end } = historyWindow(deps.clock.now(), rangeMs, stepMs);
      const queries = sloHistoryQueries(slo);
      const prometheus = deps.prometheus(target.environment);
      const answers = await Promise.all(sloHistoryExprs(queries).map((expr) => prometheus.queryRange(expr, { start, end, stepMs })));
      return sloHistory({ service: target.service.name, environment: target.environment, slo, range: request.range, queries, answers, start, end, stepMs });
    },
  };
}
