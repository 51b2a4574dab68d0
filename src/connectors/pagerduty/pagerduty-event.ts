import { z } from 'zod';

/** ISO 8601 as PagerDuty takes it: `+0000` offsets without a colon are common. */
const timestamp = z
  .string()
  .refine((value) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) && !Number.isNaN(Date.parse(value)), {
    message: 'must be an ISO 8601 timestamp such as 2026-11-26T08:42:58Z',
  });

const text = z.string().min(1);
const details = z.record(z.string(), z.unknown());
const link = z.object({ href: z.url(), text: z.string().optional() });
const image = z.object({ src: z.url(), href: z.url().optional(), alt: z.string().optional() });

const alertPayload = z.object({
  summary: text.max(1024),
  source: text,
  severity: z.enum(['critical', 'error', 'warning', 'info']),
  timestamp: timestamp.optional(),
  component: z.string().optional(),
  group: z.string().optional(),
  class: z.string().optional(),
  custom_details: details.optional(),
});

const alertBase = {
  routing_key: text,
  client: z.string().optional(),
  client_url: z.url().optional(),
  links: z.array(link).optional(),
  images: z.array(image).optional(),
};

/** A PagerDuty Events API v2 alert event (`/v2/enqueue`). */
export const pagerDutyAlertEvent = z.discriminatedUnion('event_action', [
  z.object({ ...alertBase, event_action: z.literal('trigger'), dedup_key: text.max(255).optional(), payload: alertPayload }),
  z.object({ ...alertBase, event_action: z.enum(['acknowledge', 'resolve']), dedup_key: text.max(255) }),
]);

/** A PagerDuty Events API v2 change event (`/v2/change/enqueue`): a change reported, not an alert. */
export const pagerDutyChangeEvent = z.object({
  routing_key: text,
  payload: z.object({
    summary: text.max(1024),
    timestamp: timestamp.optional(),
    source: z.string().optional(),
    custom_details: details.optional(),
  }),
  links: z.array(link).optional(),
});

export type PagerDutyAlertEvent = z.output<typeof pagerDutyAlertEvent>;
export type PagerDutyChangeEvent = z.output<typeof pagerDutyChangeEvent>;
export type PagerDutyEvent = PagerDutyAlertEvent | PagerDutyChangeEvent;

/** PagerDuty's two bodies differ by `event_action`: only alert events carry one. */
export function pagerDutySchemaFor(body: unknown): typeof pagerDutyAlertEvent | typeof pagerDutyChangeEvent {
  const isAlert = typeof body === 'object' && body !== null && 'event_action' in body;
  return isAlert ? pagerDutyAlertEvent : pagerDutyChangeEvent;
}

export function isAlertEvent(event: PagerDutyEvent): event is PagerDutyAlertEvent {
  return 'event_action' in event;
}
