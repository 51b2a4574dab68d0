import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Ledger, SignedCheckpoint } from '../../ledger/types.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import { toJsonSchema } from '../json-schema.ts';
import { parseInput } from '../parse-input.ts';
import { consistencyProof, signedCheckpoint } from '../schemas/ledger-event.ts';
import { problemResponses } from '../schemas/problem.ts';
import { prefersJson } from '../prefers-json.ts';

const checkpointJson = signedCheckpoint.extend({ verifierKey: z.string() });
const consistencyQuery = z.object({
  from: z.coerce.number().int().min(0),
  to: z.coerce.number().int().min(0),
});
const verifierKey = z.object({ verifierKey: z.string() });

/** Signed tree heads, consistency proofs and the verifier key, for outside witnesses and `ledger verify`. */
export function ledgerRoutes(app: FastifyInstance, ledger: Ledger): void {
  app.get(
    '/api/v1/ledger/checkpoint',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'The latest signed checkpoint: the C2SP signed note as text, or JSON with Accept: application/json',
        tags: ['ledger'],
        response: {
          200: {
            content: {
              'text/plain': { schema: { type: 'string', description: 'the C2SP tlog-checkpoint signed note' } },
              'application/json': { schema: toJsonSchema(checkpointJson, 'output') },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const checkpoint = await latestCheckpoint(ledger);
      if (prefersJson(request.headers.accept)) {
        return reply.type('application/json').send({ ...checkpoint, verifierKey: await ledger.verifierKey() });
      }
      return reply.type('text/plain; charset=utf-8').send(checkpoint.note);
    },
  );

  app.get(
    '/api/v1/ledger/consistency',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'RFC 9162 consistency proof between two checkpointed tree sizes',
        tags: ['ledger'],
        querystring: toJsonSchema(consistencyQuery, 'input'),
        response: { 200: toJsonSchema(consistencyProof, 'output'), ...problemResponses },
      },
    },
    async (request) => {
      const { from, to } = parseInput(consistencyQuery, request.query, 'querystring');
      if (from > to) {
        throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `from (${from}) must not be greater than to (${to})` }, [
          { path: 'querystring.from', message: `must be at most to (${to})` },
        ]);
      }
      return ledger.consistencyProof(from, to);
    },
  );

  app.get(
    '/api/v1/ledger/key',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'The verifier key of the checkpoint signer (C2SP signed note format)',
        tags: ['ledger'],
        response: { 200: toJsonSchema(verifierKey, 'output'), ...problemResponses },
      },
    },
    async () => ({ verifierKey: await ledger.verifierKey() }),
  );
}

async function latestCheckpoint(ledger: Ledger): Promise<SignedCheckpoint> {
  const checkpoint = (await ledger.latestCheckpoint()) ?? (await ledger.cutCheckpoint());
  if (!checkpoint) throw new SteadyopsError('SO_E_CHECKPOINT_MISSING', { size: await ledger.size() });
  return checkpoint;
}
