import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { z } from 'zod';
import type { EventToAppend, LedgerEvent } from '../../ledger/types.ts';
import type { SubjectResolver } from '../resolve-subject.ts';
import { isAlertEvent, type PagerDutyAlertEvent, type PagerDutyChangeEvent, type PagerDutyEvent } from './pagerduty-event.ts';

export const pagerDutyActor = 'system:pagerduty';

export const pagerDutyAlertTypes = [
  'dev.steadyops.alert.firing',
  'dev.steadyops.alert.acknowledged',
  'dev.steadyops.alert.resolved',
] as const;

const storedAlert = z.looseObject({
  alertname: z.string(),
  fingerprint: z.string(),
  severity: z.string(),
  labels: z.record(z.string(), z.string()),
  startsAt: z.string(),
});

/** The newest ledger event of one PagerDuty alert (one dedup_key from one sender). */
export interface PreviousAlert {
  readonly type: string;
  readonly subject?: string;
  readonly data: z.output<typeof storedAlert>;
}

export interface PagerDutyMappingContext {
  readonly now: Date;
  readonly resolve: SubjectResolver;
  /** the alert's newest event in the ledger, when there is one: see `latestAlertOf` */
  readonly previous?: PreviousAlert;
}

export interface PagerDutyMapping {
  readonly events: EventToAppend[];
  /** what PagerDuty answers for alert events; change events have none */
  readonly dedupKey?: string;
}

/**
 * Pure: a PagerDuty Events API v2 body as ledger events. Alert ids are `dedup_key:action:startsAt`,
 * where startsAt is that of the alert's open episode, so redelivered events (and a trigger repeated
 * while the alert is open, which PagerDuty folds into the open alert too) are acknowledged as
 * duplicates, and the next episode of the same dedup_key is recorded anew.
 */
export function mapPagerDutyEvent(body: PagerDutyEvent, context: PagerDutyMappingContext): PagerDutyMapping {
  if (!isAlertEvent(body)) return { events: [changeEvent(body, context)] };
  const dedupKey = dedupKeyOf(body);
  const source = pagerDutySource(body.routing_key);
  return { events: [alertEvent(body, dedupKey, source, context)], dedupKey };
}

/** PagerDuty makes up a dedup_key for a trigger without one; ours comes from the content, so a redelivery matches. */
export function dedupKeyOf(body: PagerDutyAlertEvent): string {
  if (body.event_action !== 'trigger') return body.dedup_key;
  return body.dedup_key ?? contentKey({ payload: body.payload, links: body.links, images: body.images });
}

/** The routing key is a credential: the source names it only by a digest. */
export function pagerDutySource(routingKey: string): string {
  return `/pagerduty/${sha256(routingKey).slice(0, 12)}`;
}

/** Picks the newest event of this alert from ledger events listed newest first. */
export function latestAlertOf(events: readonly LedgerEvent[], source: string, dedupKey: string): PreviousAlert | undefined {
  for (const event of events) {
    if (event.source !== source) continue;
    const data = storedAlert.safeParse(event.data);
    if (!data.success || data.data.fingerprint !== dedupKey) continue;
    return { type: event.type, ...(event.subject === undefined ? {} : { subject: event.subject }), data: data.data };
  }
  return undefined;
}

function alertEvent(body: PagerDutyAlertEvent, dedupKey: string, source: string, context: PagerDutyMappingContext): EventToAppend {
  const now = context.now.toISOString();
  const open = context.previous && context.previous.type !== 'dev.steadyops.alert.resolved' ? context.previous : undefined;
  if (body.event_action === 'trigger') {
    const startsAt = open?.data.startsAt ?? isoOf(body.payload.timestamp) ?? now;
    const payload = body.payload;
    const subject = open?.subject ?? firstResolved(context.resolve, [stringOf(payload.custom_details?.['service']), payload.component]);
    const data = {
      alertname: payload.class || payload.summary,
      fingerprint: dedupKey,
      severity: payload.severity,
      labels: definedStrings({ source: payload.source, severity: payload.severity, component: payload.component, group: payload.group, class: payload.class }),
      annotations: { summary: payload.summary },
      startsAt,
      ...(subject === undefined ? {} : { service: subject }),
      ...optional('environment', stringOf(payload.custom_details?.['environment'])),
      dedupKey,
      summary: payload.summary,
      source: payload.source,
      ...optional('customDetails', payload.custom_details),
      ...optional('client', body.client),
      ...optional('clientURL', body.client_url),
      ...optional('links', body.links),
      ...optional('images', body.images),
    };
    return toAppend(`${dedupKey}:trigger:${startsAt}`, source, 'dev.steadyops.alert.firing', subject, startsAt, data);
  }
  const known = context.previous;
  const base = known?.data ?? { alertname: dedupKey, fingerprint: dedupKey, severity: 'unknown', labels: {}, startsAt: now };
  const stamp = body.event_action === 'resolve' ? { endsAt: now } : { acknowledgedAt: now };
  const type = body.event_action === 'resolve' ? 'dev.steadyops.alert.resolved' : 'dev.steadyops.alert.acknowledged';
  const id = `${dedupKey}:${body.event_action}:${base.startsAt}`;
  return toAppend(id, source, type, known?.subject, now, { ...base, dedupKey, ...stamp });
}

function changeEvent(body: PagerDutyChangeEvent, context: PagerDutyMappingContext): EventToAppend {
  const payload = body.payload;
  const time = isoOf(payload.timestamp) ?? context.now.toISOString();
  const subject = firstResolved(context.resolve, [stringOf(payload.custom_details?.['service'])]);
  const data = {
    summary: payload.summary,
    timestamp: time,
    ...optional('source', payload.source || undefined),
    ...(subject === undefined ? {} : { service: subject }),
    ...optional('details', payload.custom_details),
    ...optional('links', body.links),
  };
  const id = `change:${contentKey({ payload: body.payload, links: body.links })}`;
  return toAppend(id, pagerDutySource(body.routing_key), 'dev.steadyops.change.reported', subject, time, data);
}

function toAppend(id: string, source: string, type: string, subject: string | undefined, time: string, data: object): EventToAppend {
  return {
    actor: pagerDutyActor,
    event: {
      specversion: '1.0',
      id,
      source,
      type,
      ...(subject === undefined ? {} : { subject }),
      time,
      datacontenttype: 'application/json',
      data,
    },
  };
}

function firstResolved(resolve: SubjectResolver, names: ReadonlyArray<string | undefined>): string | undefined {
  for (const name of names) {
    const subject = name ? resolve({ name }) : undefined;
    if (subject) return subject;
  }
  return undefined;
}

/** PagerDuty accepts `+0000`; the ledger stores RFC 3339. */
function isoOf(timestamp: string | undefined): string | undefined {
  return timestamp === undefined ? undefined : new Date(Date.parse(timestamp)).toISOString();
}

function contentKey(content: object): string {
  return sha256(canonicalize(content) ?? '');
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function definedStrings(record: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter((entry): entry is [string, string] => Boolean(entry[1])));
}

function optional<Key extends string, Value>(key: Key, value: Value | undefined): { [K in Key]?: Value } {
  return (value === undefined ? {} : { [key]: value }) as { [K in Key]?: Value };
}
