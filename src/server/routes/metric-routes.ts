import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SteadyopsError } from '../../lib/errors.ts';
import { defaultMetricsEnvironment, defaultMetricsPeriod, type MetricsRequest } from '../../metrics/metrics-request.ts';
import type { MetricsService } from '../../metrics/metrics-service.ts';
import type { ResolvedModel } from '../../model/resolve.ts';
import { toJsonSchema } from '../json-schema.ts';
import { parseInput } from '../parse-input.ts';
import { problemResponses } from '../schemas/problem.ts';

const metricsQuery = z.object({
  service: z.string().min(1).optional().describe('only this service'),
  team: z.string().min(1).optional().describe("only the services this team owns in the model"),
  period: z.string().default(defaultMetricsPeriod).describe('whole days or weeks, e.g. 30d or 90d; the trend compares with the period before'),
  env: z.string().min(1).default(defaultMetricsEnvironment).describe('the environment whose deploys count'),
});

const nullableNumber = z.number().nullable();

const metric = z.object({
  key: z.string(),
  name: z.string(),
  value: nullableNumber.describe('null when not measured'),
  unit: z.enum(['deploys/day', 'hours', 'minutes', 'percent']),
  sentence: z.string(),
  band: z.object({ level: z.enum(['elite', 'high', 'medium', 'low']), source: z.string() }).optional().describe("DORA's performance band, where DORA publishes one"),
  trend: z.object({
    previous: nullableNumber,
    change: nullableNumber,
    direction: z.enum(['up', 'down', 'flat', 'unknown']),
    better: z.boolean().nullable(),
  }),
  spread: z.object({ count: z.number().int(), mean: nullableNumber, median: nullableNumber }).optional(),
  ratio: z.object({ numerator: z.number().int(), denominator: z.number().int() }).optional(),
  evidence: z.array(z.number().int()).describe('ledger seqs of the events the value was computed from'),
});

const metricsReport = z.object({
  at: z.string(),
  scope: z.object({ label: z.string(), services: z.union([z.array(z.string()), z.literal('all')]), environment: z.string() }),
  period: z.object({ label: z.string(), start: z.string(), end: z.string(), previousStart: z.string() }),
  deploys: z.object({
    count: z.number().int(),
    failed: z.number().int(),
    withoutLineage: z.number().int(),
    withoutLineageEvidence: z.array(z.number().int()),
  }),
  incidents: z.object({ count: z.number().int(), bySeverity: z.record(z.string(), z.number().int()) }),
  coverage: z
    .object({ recordedSince: z.string(), previousPeriodCovered: z.boolean() })
    .optional()
    .describe("when the ledger's first event was recorded; a previous period starting before it has no trend"),
  metrics: z.array(metric),
});

/** GET /api/v1/metrics: what `steadyops metrics --format json` prints. */
export function metricRoutes(app: FastifyInstance, metrics: MetricsService, model: { current(): ResolvedModel | undefined }): void {
  app.get(
    '/api/v1/metrics',
    {
      config: { role: 'viewer' },
      schema: {
        summary: "DORA's delivery metrics, MTTA/MTTR, SLO budget burned by incidents and follow-up completion, with trends and evidence",
        tags: ['metrics'],
        querystring: toJsonSchema(metricsQuery, 'input'),
        response: { 200: toJsonSchema(metricsReport, 'output'), ...problemResponses },
      },
    },
    async (request) => {
      const query = parseInput(metricsQuery, request.query, 'querystring');
      const asked: MetricsRequest = {
        ...(query.service ? { service: query.service } : {}),
        ...(query.team ? { team: query.team } : {}),
        period: query.period,
        environment: query.env,
      };
      try {
        return await metrics.report(asked, model.current());
      } catch (error) {
        throw asQueryError(error);
      }
    },
  );
}

/** A usage error from the engine becomes a 400 naming the query parameter. */
function asQueryError(error: unknown): unknown {
  if (!(error instanceof SteadyopsError) || error.code !== 'SO_E_USAGE') return error;
  const [issue] = error.issues;
  const path = issue?.path ? `querystring.${issue.path}` : 'querystring';
  return new SteadyopsError('SO_E_INPUT_INVALID', { detail: `invalid querystring: ${error.message}` }, [{ path, message: issue?.message ?? error.message }]);
}
