import type { FastifyInstance } from 'fastify';
import { principalOf } from '../plugins/auth.ts';
import { toJsonSchema } from '../json-schema.ts';
import { problemResponses } from '../schemas/problem.ts';
import { principal } from '../schemas/principal.ts';

export function whoamiRoutes(app: FastifyInstance): void {
  app.get(
    '/api/v1/whoami',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'The caller, as identified by its token',
        tags: ['access'],
        response: { 200: toJsonSchema(principal, 'output'), ...problemResponses },
      },
    },
    async (request) => principalOf(request),
  );
}
