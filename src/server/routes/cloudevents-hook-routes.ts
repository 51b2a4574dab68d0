import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { cloudEventsBatchJson, cloudEventsFromHttp, cloudEventsJson } from '../../connectors/cloudevents/cloud-events-from-http.ts';
import { mapCloudEvents } from '../../connectors/cloudevents/map-cdevents.ts';
import { assertSourcesAllowed } from '../../connectors/cloudevents/source-pin.ts';
import type { SubjectResolver } from '../../connectors/resolve-subject.ts';
import { parseStructuredEvents } from '../../ledger/cloud-event.ts';
import type { Ledger } from '../../ledger/types.ts';
import type { Clock } from '../../lib/clock.ts';
import { toJsonSchema } from '../json-schema.ts';
import { principalOf } from '../plugins/auth.ts';
import { jsonBody } from '../plugins/json-body.ts';
import { problemResponses } from '../schemas/problem.ts';

export const cloudEventsHookPath = '/hooks/cloudevents';

export interface CloudEventsHookDeps {
  readonly ledger: Ledger;
  readonly resolve: SubjectResolver;
  readonly clock: Clock;
}

const hookResponse = z.object({
  accepted: z.number().int(),
  stored: z.number().int(),
  duplicates: z.number().int(),
  /** CDEvents stored as `dev.steadyops.*` events */
  mapped: z.number().int(),
  events: z.array(
    z.object({ id: z.string(), source: z.string(), type: z.string(), seq: z.number().int(), duplicate: z.boolean() }),
  ),
});

const anyEvents = (description: string) => ({ schema: { description } });

/**
 * POST /hooks/cloudevents takes CloudEvents from CI/CD systems in structured, batch or binary mode, like
 * /api/v1/events, and maps CDEvents onto the catalogue. A token named `source:<prefix>` may send only
 * sources under `/<prefix>`. Registered in its own scope because binary mode accepts any content type.
 */
export async function cloudEventsHookRoutes(app: FastifyInstance, deps: CloudEventsHookDeps): Promise<void> {
  await app.register(async (scope) => {
    jsonBody(scope, [cloudEventsJson, cloudEventsBatchJson]);
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    scope.post(
      cloudEventsHookPath,
      {
        config: { role: 'operator' },
        schema: {
          summary: 'Receive CloudEvents and CDEvents (structured, batch or binary mode)',
          description:
            'CDEvents service.deployed/upgraded/rolledback, incident.detected/resolved, change.merged and ' +
            'pipelinerun.started/finished become dev.steadyops.* events with the original id and source; other ' +
            'events are stored as they are. A token named source:<prefix> may send only events whose source is ' +
            '/<prefix> or under it (403 otherwise). A bad event rejects the whole request and nothing is written.',
          tags: ['hooks'],
          body: {
            content: {
              [cloudEventsJson]: anyEvents('one CloudEvents 1.0 event'),
              [cloudEventsBatchJson]: anyEvents('an array of CloudEvents 1.0 events'),
              'application/json': anyEvents('one CloudEvents 1.0 event or an array of them'),
            },
          },
          response: { 200: toJsonSchema(hookResponse, 'output'), ...problemResponses },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        const events = cloudEventsFromHttp({ headers: request.headers, body: request.body });
        assertSourcesAllowed(principal, events);
        const mapped = mapCloudEvents(events, { resolve: deps.resolve, actor: principal.actor });
        // mapped events pass the same CloudEvents and catalogue checks as submitted ones before anything is written
        parseStructuredEvents(mapped.map(({ event }) => event));
        const outcomes = mapped.length === 0 ? [] : await deps.ledger.append(mapped);
        const duplicates = outcomes.filter((outcome) => outcome.duplicate).length;
        return {
          accepted: outcomes.length,
          stored: outcomes.length - duplicates,
          duplicates,
          mapped: mapped.filter(({ event }, index) => event.type !== events[index]?.type).length,
          events: outcomes.map(({ id, source, seq, duplicate }, index) => ({ id, source, type: mapped[index]!.event.type, seq, duplicate })),
        };
      },
    );
  });
}
