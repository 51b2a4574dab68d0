import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isDuration, parseDuration } from '../../lib/duration.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import { historyRanges } from '../../slo/slo-history.ts';
import type { SloHistoryService } from '../../slo/slo-history-service.ts';
import { toJsonSchema } from '../json-schema.ts';
import { parseInput } from '../parse-input.ts';
import { problemResponses } from '../schemas/problem.ts';
import type { ServerDeps } from '../server-deps.ts';

const historyParams = z.object({ service: z.string().min(1), slo: z.string().min(1) });

const historyQuery = z.object({
  range: z.enum(Object.keys(historyRanges) as ['24h', '7d']).default('24h').describe('how far back: 24h (5m steps) or 7d (30m steps)'),
  step: z
    .string()
    .refine((text) => isDuration(text) && parseDuration(text) >= 10_000, 'a duration of at least 10s, e.g. 5m')
    .optional()
    .describe("seconds between points, as a duration (e.g. 5m); the range's default when absent"),
  env: z.string().min(1).optional().describe("the environment to read; the service's default environment when absent"),
});

const sloHistory = z.object({
  service: z.string(),
  slo: z.string(),
  environment: z.string(),
  objective: z.number().describe('percent'),
  period: z.string(),
  range: z.string(),
  stepMs: z.number(),
  start: z.string(),
  end: z.string(),
  timestamps: z.array(z.number()).describe('unix seconds, one per step'),
  burnRates: z
    .array(z.object({ window: z.string(), severity: z.enum(['page', 'ticket']), factor: z.number(), values: z.array(z.number().nullable()) }))
    .describe("burn rate over each page alert's long window at each timestamp; null without data"),
  budgetRemaining: z.array(z.number().nullable()).describe("fraction of the period's error budget left at each timestamp; null without data"),
});

/** GET /api/v1/slos/:service/:slo/history: burn rates and budget remaining over time, from Prometheus range queries. */
export function sloHistoryRoutes(app: FastifyInstance, model: ServerDeps['model'], history: SloHistoryService | undefined): void {
  app.get(
    '/api/v1/slos/:service/:slo/history',
    {
      config: { role: 'viewer' },
      schema: {
        summary: "An SLO's burn rates (page windows) and error budget remaining over the last 24h or 7d, from Prometheus",
        tags: ['slo'],
        params: toJsonSchema(historyParams, 'input'),
        querystring: toJsonSchema(historyQuery, 'input'),
        response: { 200: toJsonSchema(sloHistory, 'output'), ...problemResponses },
      },
    },
    async (request) => {
      const params = parseInput(historyParams, request.params, 'params');
      const query = parseInput(historyQuery, request.query, 'querystring');
      const current = model.current();
      if (current === undefined) throw new SteadyopsError('SO_E_MODEL_NOT_FOUND', { path: "the server's model path" });
      if (history === undefined) {
        throw new SteadyopsError('SO_E_NOT_CONFIGURED', {
          feature: 'SLO history',
          detail: 'start steadyops serve with an ownership model whose Environments have spec.prometheus.url, or with --prometheus URL',
        });
      }
      return history.history(current, {
        service: params.service,
        slo: params.slo,
        range: query.range,
        ...(query.env ? { environment: query.env } : {}),
        ...(query.step ? { stepMs: parseDuration(query.step) } : {}),
      });
    },
  );
}
