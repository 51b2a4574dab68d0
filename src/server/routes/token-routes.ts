import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { TokenService } from '../../access/types.ts';
import type { Clock } from '../../lib/clock.ts';
import { parseDuration } from '../../lib/duration.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import { toJsonSchema } from '../json-schema.ts';
import { parseInput } from '../parse-input.ts';
import { principalOf } from '../plugins/auth.ts';
import { problemResponses } from '../schemas/problem.ts';
import { role, tokenRecord } from '../schemas/principal.ts';

const createBody = z.object({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/, 'must be 1 to 100 letters, digits, ".", "_", "@" or "-", starting with a letter or digit'),
  role,
  expiresIn: z.string().optional().describe('a duration such as 90d or 12h; no expiry when absent'),
});
const created = z.object({ token: z.string().describe('the secret: shown once, store it now'), record: tokenRecord });
const tokenList = z.object({ tokens: z.array(tokenRecord) });
const tokenParams = z.object({ id: z.string().min(1) });

/** API token administration (admin only). Secrets are returned once at creation and never again. */
export function tokenRoutes(app: FastifyInstance, tokens: TokenService, clock: Clock): void {
  app.post(
    '/api/v1/tokens',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'Create an API token',
        tags: ['access'],
        body: toJsonSchema(createBody, 'input'),
        response: { 201: toJsonSchema(created, 'output'), ...problemResponses },
      },
    },
    async (request, reply) => {
      const body = parseInput(createBody, request.body, 'body');
      const expiresAt = body.expiresIn === undefined ? undefined : expiryOf(body.expiresIn, clock.now());
      const result = await tokens.create({
        name: body.name,
        role: body.role,
        createdBy: principalOf(request).actor,
        ...(expiresAt === undefined ? {} : { expiresAt }),
      });
      return reply.code(201).send(result);
    },
  );

  app.get(
    '/api/v1/tokens',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'List API tokens (records only, never secrets)',
        tags: ['access'],
        response: { 200: toJsonSchema(tokenList, 'output'), ...problemResponses },
      },
    },
    async () => ({ tokens: await tokens.list() }),
  );

  app.delete(
    '/api/v1/tokens/:id',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'Revoke an API token',
        tags: ['access'],
        params: toJsonSchema(tokenParams, 'input'),
        response: { 204: { type: 'null', description: 'revoked' }, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { id } = parseInput(tokenParams, request.params, 'params');
      await tokens.revoke(id, principalOf(request).actor);
      return reply.code(204).send();
    },
  );
}

function expiryOf(expiresIn: string, now: Date): Date {
  try {
    return new Date(now.getTime() + parseDuration(expiresIn));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `invalid body: expiresIn: ${message}` }, [
      { path: 'body.expiresIn', message },
    ]);
  }
}
