import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { alertmanagerWebhook } from '../../connectors/alertmanager/alertmanager-webhook.ts';
import { mapAlertmanagerWebhook, type SubjectLabelRule } from '../../connectors/alertmanager/map-alertmanager-webhook.ts';
import { isAlertEvent, pagerDutySchemaFor, type PagerDutyEvent } from '../../connectors/pagerduty/pagerduty-event.ts';
import {
  dedupKeyOf,
  latestAlertOf,
  mapPagerDutyEvent,
  pagerDutyAlertTypes,
  pagerDutySource,
  type PreviousAlert,
} from '../../connectors/pagerduty/map-pagerduty-event.ts';
import type { SubjectResolver } from '../../connectors/resolve-subject.ts';
import { parseStructuredEvents } from '../../ledger/cloud-event.ts';
import type { EventToAppend, Ledger } from '../../ledger/types.ts';
import type { Clock } from '../../lib/clock.ts';
import { toJsonSchema } from '../json-schema.ts';
import { parseInput } from '../parse-input.ts';
import { problemResponses } from '../schemas/problem.ts';

export interface AlertHookDeps {
  readonly ledger: Ledger;
  readonly resolve: SubjectResolver;
  readonly clock: Clock;
  /** Alertmanager labels naming the subject, tried in order (default: service, job, namespace + deployment) */
  readonly labelKeys?: readonly SubjectLabelRule[];
}

/** How far back an acknowledge or resolve looks for the trigger it belongs to. */
const previousAlertWindowDays = 30;
const previousAlertScanLimit = 2_000;

const alertmanagerResponse = z.object({
  accepted: z.number().int(),
  stored: z.number().int(),
  duplicates: z.number().int(),
  events: z.array(z.object({ id: z.string(), source: z.string(), seq: z.number().int(), duplicate: z.boolean() })),
});

const pagerDutyResponse = z.object({ status: z.string(), message: z.string(), dedup_key: z.string().optional() });

const anyJson = (description: string) => ({ content: { 'application/json': { schema: { description } } } });

/**
 * Webhooks from alerting systems: POST /hooks/alertmanager (Alertmanager webhook v4) and
 * POST /hooks/pagerduty (PagerDuty Events API v2, also at PagerDuty's own paths so a sender only
 * swaps the host). Bodies are validated with zod here, so Fastify's schemas only document them.
 */
export function alertHookRoutes(app: FastifyInstance, deps: AlertHookDeps): void {
  app.post(
    '/hooks/alertmanager',
    {
      config: { role: 'operator' },
      schema: {
        summary: 'Alertmanager webhook receiver (payload version 4): one ledger event per alert',
        tags: ['hooks'],
        body: anyJson('an Alertmanager webhook notification, version 4'),
        response: { 200: toJsonSchema(alertmanagerResponse, 'output'), ...problemResponses },
      },
    },
    async (request) => {
      const webhook = parseInput(alertmanagerWebhook, request.body, 'body');
      const events = mapAlertmanagerWebhook(webhook, {
        resolve: deps.resolve,
        ...(deps.labelKeys ? { subjectLabels: deps.labelKeys } : {}),
      });
      const outcomes = await appendChecked(deps.ledger, events);
      const duplicates = outcomes.filter((outcome) => outcome.duplicate).length;
      return { accepted: outcomes.length, stored: outcomes.length - duplicates, duplicates, events: outcomes };
    },
  );

  const pagerDuty = {
    config: { role: 'operator' as const },
    schema: {
      summary: 'PagerDuty Events API v2 receiver: alert events (trigger, acknowledge, resolve) and change events',
      tags: ['hooks'],
      body: anyJson('a PagerDuty Events API v2 alert event or change event'),
      response: { 202: toJsonSchema(pagerDutyResponse, 'output'), ...problemResponses },
    },
  };
  for (const url of ['/hooks/pagerduty', '/hooks/pagerduty/v2/enqueue', '/hooks/pagerduty/v2/change/enqueue']) {
    app.post(url, pagerDuty, async (request, reply) => {
      const body: PagerDutyEvent = parseInput(pagerDutySchemaFor(request.body), request.body, 'body');
      const now = deps.clock.now();
      const previous = isAlertEvent(body) ? await previousAlert(deps.ledger, body.routing_key, dedupKeyOf(body), now) : undefined;
      const mapping = mapPagerDutyEvent(body, { now, resolve: deps.resolve, ...(previous ? { previous } : {}) });
      await appendChecked(deps.ledger, mapping.events);
      const message = mapping.dedupKey === undefined ? 'Change event processed' : 'Event processed';
      return reply
        .code(202)
        .send({ status: 'success', message, ...(mapping.dedupKey === undefined ? {} : { dedup_key: mapping.dedupKey }) });
    });
  }
}

/** The mapped events pass the same CloudEvents and catalogue checks as any submitted event before they are written. */
async function appendChecked(ledger: Ledger, events: readonly EventToAppend[]) {
  if (events.length === 0) return [];
  parseStructuredEvents(events.map(({ event }) => event));
  return ledger.append(events);
}

async function previousAlert(ledger: Ledger, routingKey: string, dedupKey: string, now: Date): Promise<PreviousAlert | undefined> {
  const since = new Date(now.getTime() - previousAlertWindowDays * 86_400_000);
  const recent = await ledger.query({ types: [...pagerDutyAlertTypes], since, limit: previousAlertScanLimit });
  return latestAlertOf(recent, pagerDutySource(routingKey), dedupKey);
}
