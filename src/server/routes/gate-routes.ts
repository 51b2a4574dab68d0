import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { GateService } from '../../release/gate-service.ts';
import { toJsonSchema } from '../json-schema.ts';
import { parseInput } from '../parse-input.ts';
import { assertRole, principalOf } from '../plugins/auth.ts';
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

const override = z.object({ seq: z.number().int(), at: z.string(), by: z.string(), reason: z.string() });

const gateCheckResponse = z.object({
  decision: z.enum(['allow', 'deny']).describe('the final decision, after any override'),
  policyDecision: z.enum(['allow', 'deny']).describe('what the policy decided before any override'),
  override: override.optional(),
  unreachable: z.array(z.string()).describe('signal sources an enforced check could not reach; onError decided their effect'),
  request: z.object({ service: z.string(), environment: z.string(), version: z.string(), author: z.string().optional() }),
  policy: z.string(),
  seq: z.number().int().describe('the ledger sequence number of the recorded decision'),
  onErrorApplied: z.boolean(),
  results: z.array(checkResult),
  enforcedFailures: z.array(checkResult),
  shadowFailures: z.array(checkResult),
});

const approvalRequest = z.object({
  service: z.string().min(1),
  version: z.string().min(1),
  env: z.string().min(1).optional().describe('omit to approve the version for every environment'),
  approver: z.string().min(1).optional().describe("who approves; an admin token may name someone, otherwise the token's name"),
  comment: z.string().optional(),
});

const overrideRequest = z.object({
  service: z.string().min(1),
  env: z.string().min(1),
  version: z.string().min(1),
  reason: z.string().min(10, 'say why, in at least 10 characters a later reader understands'),
});

const argoQuery = z.object({ service: z.string().min(1), env: z.string().min(1), version: z.string().min(1) });

const argoResponse = z.object({
  allow: z.boolean().describe('what an Argo Rollouts successCondition reads: result.allow == true'),
  decision: z.enum(['allow', 'deny']),
  policy: z.string(),
  reasons: z.array(z.string()).describe('why each enforced check that denied did so'),
  seq: z.number().int(),
});

/**
 * POST /api/v1/gates/check: the same decision as `steadyops gate check`, recorded with the caller as
 * actor; approvals and overrides feed later decisions; /gates/argo is the same gate for an Argo
 * Rollouts `web` metric provider.
 */
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

  app.post(
    '/api/v1/gates/approvals',
    {
      config: { role: 'approver' },
      schema: {
        summary: 'Approve a release of a service version; approvals checks count distinct approvers',
        tags: ['release'],
        body: toJsonSchema(approvalRequest, 'input'),
        response: { 201: toJsonSchema(z.object({ seq: z.number().int() }), 'output'), ...problemResponses },
      },
    },
    async (request, reply) => {
      const body = parseInput(approvalRequest, request.body, 'body');
      const principal = principalOf(request);
      if (body.approver && body.approver !== principal.name) assertRole(principal, 'admin');
      const recorded = await gates.approve(
        {
          service: body.service,
          version: body.version,
          approver: body.approver ?? principal.name,
          ...(body.env ? { environment: body.env } : {}),
          ...(body.comment ? { comment: body.comment } : {}),
        },
        principal.actor,
      );
      return reply.code(201).send(recorded);
    },
  );

  app.post(
    '/api/v1/gates/overrides',
    {
      config: { role: 'approver' },
      schema: {
        summary: 'Override the latest deny of a release, with a reason; the override is its own ledger event',
        tags: ['release'],
        body: toJsonSchema(overrideRequest, 'input'),
        response: { 201: toJsonSchema(override, 'output'), ...problemResponses },
      },
    },
    async (request, reply) => {
      const body = parseInput(overrideRequest, request.body, 'body');
      const principal = principalOf(request);
      const recorded = await gates.override(
        { service: body.service, environment: body.env, version: body.version, reason: body.reason, overriddenBy: principal.name },
        principal.actor,
      );
      return reply.code(201).send(recorded);
    },
  );

  app.get(
    '/api/v1/gates/argo',
    {
      config: { role: 'operator' },
      schema: {
        summary: 'The release gate as an Argo Rollouts web metric provider (successCondition: result.allow == true)',
        tags: ['release'],
        querystring: toJsonSchema(argoQuery, 'input'),
        response: { 200: toJsonSchema(argoResponse, 'output'), ...problemResponses },
      },
    },
    async (request) => {
      const query = parseInput(argoQuery, request.query, 'query');
      const outcome = await gates.check({ service: query.service, environment: query.env, version: query.version }, principalOf(request).actor);
      return {
        allow: outcome.decision === 'allow',
        decision: outcome.decision,
        policy: outcome.policy,
        reasons: outcome.enforcedFailures.map((failure) => `${failure.type}: ${failure.reason}`),
        seq: outcome.seq,
      };
    },
  );
}
