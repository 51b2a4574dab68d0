import type { FastifyInstance } from 'fastify';
import { SteadyopsError, isSteadyopsError } from '../../lib/errors.ts';
import { toJsonSchema } from '../json-schema.ts';
import { problemResponses } from '../schemas/problem.ts';
import { z } from 'zod';

const status = toJsonSchema(z.object({ status: z.string() }), 'output');

/** Liveness and readiness probes (no auth). */
export function healthRoutes(app: FastifyInstance, ready: () => Promise<void>): void {
  app.get(
    '/healthz',
    { schema: { summary: 'Liveness: the process serves requests', tags: ['operations'], response: { 200: status } } },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    {
      schema: {
        summary: 'Readiness: the store is reachable',
        tags: ['operations'],
        response: { 200: status, ...problemResponses },
      },
    },
    async () => {
      try {
        await ready();
      } catch (error) {
        if (isSteadyopsError(error) && error.spec.status === 503) throw error;
        const detail = error instanceof Error ? error.message : String(error);
        throw new SteadyopsError('SO_E_DB_UNAVAILABLE', { target: 'store', detail }, [], { cause: error });
      }
      return { status: 'ready' };
    },
  );
}
