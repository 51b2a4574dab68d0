import type { FastifyInstance } from 'fastify';
import { SteadyopsError } from '../../lib/errors.ts';
import { problemResponses } from '../schemas/problem.ts';
import type { ServerDeps } from '../server-deps.ts';

export function modelRoutes(app: FastifyInstance, model: ServerDeps['model']): void {
  app.get(
    '/api/v1/model',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'The resolved ownership model the server runs with',
        tags: ['model'],
        response: { 200: { type: 'object', additionalProperties: true }, ...problemResponses },
      },
    },
    async () => {
      const current = model.current();
      if (current === undefined) {
        throw new SteadyopsError('SO_E_MODEL_NOT_FOUND', { path: "the server's model path" });
      }
      return current;
    },
  );
}
