import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { cloudEventsBatchJson, cloudEventsFromHttp, cloudEventsJson } from '../../connectors/cloudevents/cloud-events-from-http.ts';
import { findEventsByRef } from '../../ledger/find-events-by-ref.ts';
import type { Ledger, LedgerEvent } from '../../ledger/types.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import { toJsonSchema } from '../json-schema.ts';
import { parseInput } from '../parse-input.ts';
import { principalOf } from '../plugins/auth.ts';
import { jsonBody } from '../plugins/json-body.ts';
import { inclusionProof, ledgerEvent } from '../schemas/ledger-event.ts';
import { problemResponses } from '../schemas/problem.ts';


const appendResponse = z.object({
  accepted: z.number().int(),
  stored: z.number().int(),
  duplicates: z.number().int(),
  events: z.array(z.object({ id: z.string(), source: z.string(), seq: z.number().int(), duplicate: z.boolean() })),
});

const exampleEvent = {
  specversion: '1.0',
  id: 'deploy-4711',
  source: '/github/northwind/checkout-api',
  type: 'dev.steadyops.deploy.finished',
  subject: 'checkout-api',
  time: '2026-11-26T08:42:00Z',
  environment: 'production',
  data: { version: '1.4.2' },
};

/**
 * Documentation only: the CloudEvents parser validates bodies (422 with a path per problem), so
 * these schemas constrain nothing and Ajv accepts every body.
 */
const structuredBody = {
  content: {
    [cloudEventsJson]: { schema: { description: 'one CloudEvents 1.0 event', examples: [exampleEvent] } },
    [cloudEventsBatchJson]: { schema: { description: 'an array of CloudEvents 1.0 events', examples: [[exampleEvent]] } },
    'application/json': { schema: { description: 'one CloudEvents 1.0 event or an array of them', examples: [exampleEvent] } },
  },
};

const eventParams = z.object({
  id: z.string().min(1).describe('the CloudEvents id, or seq:N for the event with ledger sequence number N'),
});
const eventQuery = z.object({ source: z.string().min(1).optional() });
const eventResponse = z.object({ events: z.array(z.object({ event: ledgerEvent, proof: inclusionProof })) });

/**
 * POST /api/v1/events takes CloudEvents in structured mode (one event or a batch) or binary mode
 * (`ce-*` headers); GET /api/v1/events/:id returns stored events (by id or seq:N) with their inclusion proofs.
 * Registered in its own scope because binary mode accepts any content type here and nowhere else.
 */
export async function eventRoutes(app: FastifyInstance, ledger: Ledger): Promise<void> {
  await app.register(async (scope) => {
    jsonBody(scope, [cloudEventsJson, cloudEventsBatchJson]);
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    scope.post(
      '/api/v1/events',
      {
        config: { role: 'operator' },
        schema: {
          summary: 'Append CloudEvents to the ledger (structured or binary mode)',
          description:
            'Structured mode: application/cloudevents+json (one event), application/cloudevents-batch+json (an array) ' +
            'or application/json (one event or an array). Binary mode: any content type with ce-* headers ' +
            '(ce-specversion, ce-id, ce-source, ce-type, ...). A bad event rejects the whole batch (422) and nothing is written. ' +
            'The answer comes once the events are durable; redelivered events (same source and id) are reported as duplicates.',
          tags: ['events'],
          body: structuredBody,
          response: { 200: toJsonSchema(appendResponse, 'output'), ...problemResponses },
        },
      },
      async (request) => {
        const events = cloudEventsFromHttp({ headers: request.headers, body: request.body });
        const actor = principalOf(request).actor;
        const outcomes = events.length === 0 ? [] : await ledger.append(events.map((event) => ({ event, actor })));
        const duplicates = outcomes.filter((outcome) => outcome.duplicate).length;
        return {
          accepted: outcomes.length,
          stored: outcomes.length - duplicates,
          duplicates,
          events: outcomes.map(({ id, source, seq, duplicate }) => ({ id, source, seq, duplicate })),
        };
      },
    );

    scope.get(
      '/api/v1/events/:id',
      {
        config: { role: 'viewer' },
        schema: {
          summary: 'Events with this id, each with its inclusion proof against the latest checkpoint',
          description:
            'The id is a CloudEvents id (unique per source only, so several events can answer) or seq:N for the one event ' +
            'with ledger sequence number N (URL-encoded as seq%3AN or not). ?source= keeps only events from that source. ' +
            '404 when nothing matches.',
          tags: ['events'],
          params: toJsonSchema(eventParams, 'input'),
          querystring: toJsonSchema(eventQuery, 'input'),
          response: { 200: toJsonSchema(eventResponse, 'output'), ...problemResponses },
        },
      },
      async (request) => {
        const { id } = parseInput(eventParams, request.params, 'params');
        const { source } = parseInput(eventQuery, request.query, 'querystring');
        const found = await findEventsByRef(ledger, id, source);
        if (found.length === 0) {
          throw new SteadyopsError('SO_E_NOT_FOUND', { what: 'event', id: source === undefined ? id : `${id} from ${source}` });
        }
        const events = [];
        for (const event of found) events.push({ event, proof: await proveInclusion(ledger, event) });
        return { events };
      },
    );
  });
}

/** Proves inclusion against the latest checkpoint, cutting one first when the event is newer than it. */
async function proveInclusion(ledger: Ledger, event: LedgerEvent) {
  const latest = await ledger.latestCheckpoint();
  if (!latest || latest.size < event.seq) await ledger.cutCheckpoint();
  return ledger.inclusionProof(event.seq);
}
