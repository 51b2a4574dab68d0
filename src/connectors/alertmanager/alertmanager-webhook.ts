import { z } from 'zod';

const timestamp = z.iso.datetime({ offset: true });
const labels = z.record(z.string(), z.string());

/** Go's zero time: Alertmanager sends it as `endsAt` of an alert that is still firing. */
export function isZeroTime(value: string): boolean {
  return value.startsWith('0001-01-01T');
}

const alert = z
  .object({
    status: z.enum(['firing', 'resolved']),
    labels,
    annotations: labels.default({}),
    startsAt: timestamp,
    endsAt: timestamp.optional(),
    generatorURL: z.string().optional(),
    fingerprint: z.string().min(1),
  })
  .refine((value) => value.status === 'firing' || (value.endsAt !== undefined && !isZeroTime(value.endsAt)), {
    message: 'a resolved alert needs endsAt, the time it resolved',
    path: ['endsAt'],
  });

/** The Alertmanager webhook notification, payload version 4 (one group of alerts per request). */
export const alertmanagerWebhook = z.object({
  version: z.literal('4'),
  groupKey: z.string(),
  truncatedAlerts: z.int().nonnegative().optional(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string().min(1),
  groupLabels: labels.default({}),
  commonLabels: labels.default({}),
  commonAnnotations: labels.default({}),
  externalURL: z.string().default(''),
  alerts: z.array(alert),
});

export type AlertmanagerWebhook = z.output<typeof alertmanagerWebhook>;
export type AlertmanagerAlert = AlertmanagerWebhook['alerts'][number];
