import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SteadyopsError } from '../../lib/errors.ts';
import type { ReleaseRollbackCheck } from '../../release/rollback/release-rollback-check.ts';
import { toJsonSchema } from '../json-schema.ts';
import { parseInput } from '../parse-input.ts';
import { problemResponses } from '../schemas/problem.ts';

const checkQuery = z.object({
  service: z.string().min(1).describe('the service whose latest release (a finished deploy of the last 24 hours) to check'),
  env: z.string().min(1).optional().describe('only deploys to this environment'),
});

const checkAnswer = z.object({
  service: z.string(),
  release: z
    .object({
      seq: z.number().int(),
      id: z.string(),
      source: z.string(),
      time: z.string(),
      environment: z.string().optional(),
      version: z.string().optional(),
      previousVersion: z.string().optional(),
    })
    .optional()
    .describe('the deploy.finished event the verdict is about'),
  verdict: z.enum(['safe', 'data-loss-risk', 'unknown']),
  reason: z.string(),
  migrations: z.object({ from: z.string(), to: z.string(), count: z.number().int(), class: z.enum(['safe', 'forward-fix', 'data-loss']) }).optional(),
});

/** GET /api/v1/rollback/check: can the latest release be rolled back without data loss? Migrations only, no Kubernetes. */
export function rollbackRoutes(app: FastifyInstance, checks: ReleaseRollbackCheck | undefined): void {
  app.get(
    '/api/v1/rollback/check',
    {
      config: { role: 'viewer' },
      schema: {
        summary: "Rollback safety of a service's latest release (24 h): the migrations between its version and the previous one, from the model's git repository",
        tags: ['release'],
        querystring: toJsonSchema(checkQuery, 'input'),
        response: { 200: toJsonSchema(checkAnswer, 'output'), ...problemResponses },
      },
    },
    async (request) => {
      const query = parseInput(checkQuery, request.query, 'querystring');
      if (checks === undefined) {
        throw new SteadyopsError('SO_E_NOT_CONFIGURED', { feature: 'rollback check', detail: "start steadyops serve with an ownership model in a git repository: migrations are read from the model's repository" });
      }
      return checks.check({ service: query.service, ...(query.env ? { environment: query.env } : {}) });
    },
  );
}
