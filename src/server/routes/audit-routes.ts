import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { maxAcceptanceMs, minReasonLength } from '../../audit/audit-ledger.ts';
import type { AuditService } from '../../audit/audit-service.ts';
import { auditJsonSchema } from '../../audit/reports/audit-json-schema.ts';
import { auditJson } from '../../audit/reports/json-report.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import { parseDuration } from '../../lib/duration.ts';
import { toJsonSchema } from '../json-schema.ts';
import { parseInput } from '../parse-input.ts';
import { principalOf } from '../plugins/auth.ts';
import { problemResponses } from '../schemas/problem.ts';

const notConfigured = () =>
  new SteadyopsError('SO_E_NOT_CONFIGURED', {
    feature: 'the audit',
    detail: 'start steadyops serve with an ownership model in a repository (its folder is audited), or with --audit-root PATH',
  });

const acceptanceBody = z.object({
  fingerprint: z.string().min(1).describe('the finding, as the latest recorded audit run lists it'),
  reason: z
    .string()
    .refine((reason) => reason.trim().length >= minReasonLength, `say why in at least ${minReasonLength} characters`)
    .describe('why the risk is acceptable for now'),
  expires: z
    .string()
    .refine(withinAcceptanceLimit, 'a duration such as 30d, more than 0 and at most 180d')
    .describe('how long the acceptance holds, e.g. 30d (at most 180d)'),
});
const acceptanceResponse = z.object({
  seq: z.number().int(),
  acceptance: z.object({ fingerprint: z.string(), acceptedBy: z.string(), reason: z.string(), expiresAt: z.string(), seq: z.number().int().optional() }),
});

function withinAcceptanceLimit(expires: string): boolean {
  try {
    const lifetime = parseDuration(expires);
    return lifetime > 0 && lifetime <= maxAcceptanceMs;
  } catch {
    return false;
  }
}

/**
 * GET /api/v1/audit: the latest report this server produced (the first request runs an audit that is not
 * recorded); POST /api/v1/audit/runs: audits the server's repository now and records the run. Both answer
 * the JSON report of `steadyops audit --format json`. POST /api/v1/audit/acceptances: what
 * `steadyops audit accept` does, with the approver's token as who accepted.
 */
export function auditRoutes(app: FastifyInstance, audit: AuditService | undefined, version: string): void {
  const response = toJsonSchema(auditJsonSchema, 'output');
  app.get(
    '/api/v1/audit',
    {
      config: { role: 'viewer' },
      schema: {
        summary: "The latest production audit of the server's repository: findings, backlog, scorecards, operating model",
        tags: ['audit'],
        response: { 200: response, ...problemResponses },
      },
    },
    async (request) => {
      if (!audit) throw notConfigured();
      const report = audit.latest() ?? (await audit.run({ actor: principalOf(request).actor, record: false })).report;
      return auditJson(report, version);
    },
  );

  app.post(
    '/api/v1/audit/runs',
    {
      config: { role: 'operator' },
      schema: {
        summary: "Audit the server's repository now; the run is recorded as a dev.steadyops.audit.completed event",
        tags: ['audit'],
        response: { 201: response, ...problemResponses },
      },
    },
    async (request, reply) => {
      if (!audit) throw notConfigured();
      const { report } = await audit.run({ actor: principalOf(request).actor });
      return reply.code(201).send(auditJson(report, version));
    },
  );

  app.post(
    '/api/v1/audit/acceptances',
    {
      config: { role: 'approver' },
      schema: {
        summary: 'Accept the risk of a finding of the latest recorded audit run until an expiry, with a reason (a ledger event)',
        description:
          'Does what `steadyops audit accept` does: records dev.steadyops.audit.risk.accepted with the token as who accepted. ' +
          'The next audit runs report the finding as risk-accepted until the acceptance expires. 404 when the latest recorded ' +
          'run has no finding with this fingerprint; 400 for a reason under 10 characters or an expiry over 180 days.',
        tags: ['audit'],
        body: toJsonSchema(acceptanceBody, 'input'),
        response: { 201: toJsonSchema(acceptanceResponse, 'output'), ...problemResponses },
      },
    },
    async (request, reply) => {
      if (!audit) throw notConfigured();
      const body = parseInput(acceptanceBody, request.body, 'body');
      const { actor } = principalOf(request);
      const recorded = await audit.accept({ fingerprint: body.fingerprint, reason: body.reason, expires: body.expires, acceptedBy: actor }, actor);
      return reply.code(201).send(recorded);
    },
  );
}
