import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { GateService } from '../../release/gate-service.ts';
import { toJsonSchema } from '../json-schema.ts';
import { parseInput } from '../parse-input.ts';
import { principalOf } from '../plugins/auth.ts';
import { problemResponses } from '../schemas/problem.ts';

const gateCheckRequest = z.object({
  service: z.string().min(1),
  env: z.string().min(1),
  version: z.string().min(1),
  author: z.string().min(1).optional(),
  migrations: z.boolean().optional().describe('the release ships database migrations'),
});

const checkResult = z.looseObject({
  type: z.string(),
  mode: z.enum(['enforce', 'shadow']),
  outcome: z.enum(['pass', 'fail', 'error']),
  reason: z.string(),
  inputs: z.record(z.string(), z.unknown()),
});

const gateCheckResponse = z.object({
  decision: z.enum(['allow', 'deny']),
  policy: z.string(),
  seq: z.number().int().describe('the ledger sequence number of the recorded decision'),
  onErrorApplied: z.boolean(),
  results: z.array(checkResult),
  enforcedFailures: z.array(checkResult),
  shadowFailures: z.array(checkResult),
});

/** POST /api/v1/gates/check: the same decision as `steadyops gate check`, recorded with the caller as actor. */
export function gateRoutes(app: FastifyInstance, gates: GateService): void {
  app.post(
    '/api/v1/gates/check',
    {
      config: { role: 'operator' },
      schema: {
        summary: "Evaluate a release against its service's release policy; the decision is a ledger event",
        tags: ['release'],
        body: toJsonSchema(gateCheckRequest, 'input'),
        response: { 200: toJsonSchema(gateCheckResponse, 'output'), ...problemResponses },
      },
    },
    async (request) => {
      const body = parseInput(gateCheckRequest, request.body, 'body');
      const outcome = await gates.check(
        {
          service: body.service,
          environment: body.env,
          version: body.version,
          ...(body.author ? { author: body.author } : {}),
          shipsMigrations: body.migrations ?? false,
        },
        principalOf(request).actor,
      );
      return outcome;
    },
  );
}
