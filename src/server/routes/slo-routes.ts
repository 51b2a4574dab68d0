import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SteadyopsError } from '../../lib/errors.ts';
import type { TargetQuery } from '../../connectors/prometheus/service-targets.ts';
import type { ResolvedModel } from '../../model/resolve.ts';
import type { SloStatusService } from '../../slo/slo-status-service.ts';
import { toJsonSchema } from '../json-schema.ts';
import { parseInput } from '../parse-input.ts';
import { problemResponses } from '../schemas/problem.ts';
import type { ServerDeps } from '../server-deps.ts';

/** `?service=&env=`: which services, read from which environment's Prometheus. */
export const targetQuery = z.object({
  service: z.string().min(1).optional().describe('one service; every service when absent'),
  env: z.string().min(1).optional().describe("the environment to read; each service's default environment when absent"),
});

const severity = z.enum(['page', 'ticket']);

const burnRateStatus = z.object({
  window: z.string().describe('long/short window, e.g. 1h/5m'),
  severity,
  factor: z.number(),
  longMs: z.number(),
  shortMs: z.number(),
  long: z.number().optional().describe('burn rate over the long window (error ratio ÷ budget); absent without data'),
  short: z.number().optional(),
  firing: z.boolean().describe('both windows burn faster than factor'),
});

const sloStatus = z.object({
  service: z.string(),
  slo: z.string(),
  environment: z.string(),
  objective: z.number().describe('percent'),
  period: z.string(),
  periodMs: z.number(),
  sli: z.number().optional().describe('share of good events over the period; absent without data'),
  errorRatio: z.number().optional(),
  budgetRemaining: z.number().optional().describe("fraction of the period's error budget left, negative when overspent; absent without data"),
  budgetRemainingMs: z.number().optional(),
  budgetTotalMs: z.number(),
  burnRates: z.array(burnRateStatus),
  currentBurn: z.object({ window: z.string(), rate: z.number().optional() }),
  exhaustedAt: z.string().optional().describe('when the budget runs out at the current burn'),
  firing: severity.optional().describe('the burn-rate alert that would be firing'),
  noData: z.boolean(),
  summary: z.string(),
});

const sloReport = z.object({ at: z.string(), slos: z.array(sloStatus) });

/** The parsed `?service=&env=` as the services take it. */
export function parseTargetQuery(input: unknown): TargetQuery {
  const query = parseInput(targetQuery, input, 'querystring');
  return { ...(query.service ? { service: query.service } : {}), ...(query.env ? { environment: query.env } : {}) };
}

export interface PrometheusReportRoute {
  readonly path: string;
  readonly summary: string;
  readonly response: z.ZodType;
  readonly tag: string;
  /** what the service is called in the 503 when the server was built without it */
  readonly feature: string;
}

/**
 * A GET route (viewer role) answering a Prometheus-backed report for `?service=&env=` from the model the
 * server runs with at the time of the request; 404 without a model, 503 without the service.
 */
export function prometheusReportRoute(
  app: FastifyInstance,
  model: ServerDeps['model'],
  service: { report(model: ResolvedModel, query: TargetQuery): Promise<unknown> } | undefined,
  route: PrometheusReportRoute,
): void {
  app.get(
    route.path,
    {
      config: { role: 'viewer' },
      schema: {
        summary: route.summary,
        tags: [route.tag],
        querystring: toJsonSchema(targetQuery, 'input'),
        response: { 200: toJsonSchema(route.response, 'output'), ...problemResponses },
      },
    },
    async (request) => {
      const query = parseTargetQuery(request.query);
      const current = model.current();
      if (current === undefined) throw new SteadyopsError('SO_E_MODEL_NOT_FOUND', { path: "the server's model path" });
      if (service === undefined) {
        throw new SteadyopsError('SO_E_NOT_CONFIGURED', {
          feature: route.feature,
          detail: 'start steadyops serve with an ownership model whose Environments have spec.prometheus.url, or with --prometheus URL',
        });
      }
      return service.report(current, query);
    },
  );
}

/** GET /api/v1/slos: what `steadyops slo status --format json` prints. */
export function sloRoutes(app: FastifyInstance, model: ServerDeps['model'], slos: SloStatusService | undefined): void {
  prometheusReportRoute(app, model, slos, {
    path: '/api/v1/slos',
    summary: 'SLO status from Prometheus: SLI, error budget left, burn rates, exhaustion date, which alert would fire',
    response: sloReport,
    tag: 'slo',
    feature: 'SLO status',
  });
}
