import type { FastifyInstance } from 'fastify';
import type { AuditService } from '../../audit/audit-service.ts';
import { auditJsonSchema } from '../../audit/reports/audit-json-schema.ts';
import { auditJson } from '../../audit/reports/json-report.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import { toJsonSchema } from '../json-schema.ts';
import { principalOf } from '../plugins/auth.ts';
import { problemResponses } from '../schemas/problem.ts';

const notConfigured = () =>
  new SteadyopsError('SO_E_NOT_CONFIGURED', {
    feature: 'the audit',
    detail: 'start steadyops serve with an ownership model in a repository (its folder is audited), or with --audit-root PATH',
  });

/**
 * GET /api/v1/audit: the latest report this server produced (the first request runs an audit that is not
 * recorded); POST /api/v1/audit/runs: audits the server's repository now and records the run. Both answer
 * the JSON report of `steadyops audit --format json`.
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
}
