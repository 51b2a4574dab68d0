import { describe, expect, it } from 'vitest';
import { validateEventData } from '../../ledger/event-types.ts';
import type { LedgerEvent } from '../../ledger/types.ts';
import type { SubjectResolver } from '../resolve-subject.ts';
import { latestAlertOf, mapPagerDutyEvent, pagerDutySource, type PreviousAlert } from './map-pagerduty-event.ts';
import { pagerDutySchemaFor, type PagerDutyEvent } from './pagerduty-event.ts';

const routingKey = 'R0123456789abcdef0123456789abcdef';
const now = new Date('2026-11-26T09:00:00.000Z');
const asIs: SubjectResolver = (hints) => hints.name;

function parse(body: Record<string, unknown>): PagerDutyEvent {
  return pagerDutySchemaFor(body).parse(body);
}

const trigger = (extra: Record<string, unknown> = {}, payload: Record<string, unknown> = {}) =>
  parse({
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: 'disk-full-db1',
    payload: {
      summary: 'Disk 95% full on db1',
      source: 'db1.prod.internal',
      severity: 'critical',
      timestamp: '2026-11-26T08:42:58.315+0000',
      component: 'orders-db',
      group: 'prod-datastores',
      class: 'disk',
      custom_details: { free: '5%', environment: 'production' },
      ...payload,
    },
    links: [{ href: 'https://runbooks.example/disk', text: 'Runbook' }],
    ...extra,
  });

const followUp = (action: 'acknowledge' | 'resolve') => parse({ routing_key: routingKey, event_action: action, dedup_key: 'disk-full-db1' });

const firingBefore: PreviousAlert = {
  type: 'dev.steadyops.alert.firing',
  subject: 'orders-db',
  data: { alertname: 'disk', fingerprint: 'disk-full-db1', severity: 'critical', labels: { class: 'disk' }, startsAt: '2026-11-26T08:42:58.315Z' },
};

describe('mapPagerDutyEvent: alert events', () => {
  it('maps a trigger to dev.steadyops.alert.firing without leaking the routing key', () => {
    const { events, dedupKey } = mapPagerDutyEvent(trigger(), { now, resolve: asIs });
    expect(dedupKey).toBe('disk-full-db1');
    expect(events).toHaveLength(1);
    const { event, actor } = events[0]!;
    expect(actor).toBe('system:pagerduty');
    expect(event).toMatchObject({
      id: 'disk-full-db1:trigger:2026-11-26T08:42:58.315Z',
      source: pagerDutySource(routingKey),
      type: 'dev.steadyops.alert.firing',
      subject: 'orders-db',
      time: '2026-11-26T08:42:58.315Z',
      data: {
        alertname: 'disk',
        fingerprint: 'disk-full-db1',
        severity: 'critical',
        labels: { source: 'db1.prod.internal', severity: 'critical', component: 'orders-db', group: 'prod-datastores', class: 'disk' },
        annotations: { summary: 'Disk 95% full on db1' },
        startsAt: '2026-11-26T08:42:58.315Z',
        environment: 'production',
        customDetails: { free: '5%', environment: 'production' },
        links: [{ href: 'https://runbooks.example/disk', text: 'Runbook' }],
      },
    });
    expect(event.source).toMatch(/^\/pagerduty\/[0-9a-f]{12}$/);
    expect(JSON.stringify(event)).not.toContain(routingKey);
    expect(validateEventData(event.type, event.data)).toEqual({ ok: true });
  });

  it.each<[string, Record<string, unknown>, Partial<Record<string, unknown>>]>([
    ['alertname falls back to the summary without a class', { class: undefined }, { alertname: 'Disk 95% full on db1' }],
    ['startsAt is now without a timestamp', { timestamp: undefined }, { startsAt: '2026-11-26T09:00:00.000Z' }],
    ['subject prefers custom_details.service', { custom_details: { service: 'checkout-api' } }, { service: 'checkout-api' }],
  ])('%s', (_name, payload, expected) => {
    const { events } = mapPagerDutyEvent(trigger({}, payload), { now, resolve: asIs });
    expect(events[0]!.event.data).toMatchObject(expected);
    expect(validateEventData(events[0]!.event.type, events[0]!.event.data)).toEqual({ ok: true });
  });

  it('derives a dedup_key from the content when the trigger has none, the same on redelivery', () => {
    const first = mapPagerDutyEvent(trigger({ dedup_key: undefined }), { now, resolve: asIs });
    const again = mapPagerDutyEvent(trigger({ dedup_key: undefined }), { now: new Date('2026-11-27T00:00:00Z'), resolve: asIs });
    const other = mapPagerDutyEvent(trigger({ dedup_key: undefined }, { summary: 'Disk 99% full' }), { now, resolve: asIs });
    expect(first.dedupKey).toMatch(/^[0-9a-f]{64}$/);
    expect(again.dedupKey).toBe(first.dedupKey);
    expect(other.dedupKey).not.toBe(first.dedupKey);
    expect(again.events[0]!.event.id).toBe(first.events[0]!.event.id);
  });

  it('folds a trigger repeated while the alert is open into the open episode (same id)', () => {
    const repeated = mapPagerDutyEvent(trigger({}, { timestamp: '2026-11-26T08:50:00Z' }), { now, resolve: asIs, previous: firingBefore });
    expect(repeated.events[0]!.event.id).toBe('disk-full-db1:trigger:2026-11-26T08:42:58.315Z');
  });

  it('starts a new episode when the previous one was resolved', () => {
    const previous = { ...firingBefore, type: 'dev.steadyops.alert.resolved' };
    const next = mapPagerDutyEvent(trigger({}, { timestamp: '2026-11-26T08:50:00Z' }), { now, resolve: asIs, previous });
    expect(next.events[0]!.event.id).toBe('disk-full-db1:trigger:2026-11-26T08:50:00.000Z');
  });

  it.each([
    ['resolve', 'dev.steadyops.alert.resolved', { endsAt: now.toISOString() }],
    ['acknowledge', 'dev.steadyops.alert.acknowledged', { acknowledgedAt: now.toISOString() }],
  ] as const)('maps %s onto the episode it closes, with the trigger details', (action, type, stamp) => {
    const { events, dedupKey } = mapPagerDutyEvent(followUp(action), { now, resolve: asIs, previous: firingBefore });
    expect(dedupKey).toBe('disk-full-db1');
    const { event } = events[0]!;
    expect(event).toMatchObject({
      id: `disk-full-db1:${action}:2026-11-26T08:42:58.315Z`,
      type,
      subject: 'orders-db',
      time: now.toISOString(),
      data: { ...firingBefore.data, ...stamp },
    });
    expect(validateEventData(event.type, event.data)).toEqual({ ok: true });
  });

  it('gives a redelivered resolve the id of the first one (previous is then the resolve itself)', () => {
    const first = mapPagerDutyEvent(followUp('resolve'), { now, resolve: asIs, previous: firingBefore });
    const previous = { ...firingBefore, type: 'dev.steadyops.alert.resolved' };
    const again = mapPagerDutyEvent(followUp('resolve'), { now: new Date('2026-11-26T09:05:00Z'), resolve: asIs, previous });
    expect(again.events[0]!.event.id).toBe(first.events[0]!.event.id);
  });

  it('records a resolve for an alert it never saw triggered, with placeholders, still valid', () => {
    const { events } = mapPagerDutyEvent(followUp('resolve'), { now, resolve: asIs });
    expect(events[0]!.event).not.toHaveProperty('subject');
    expect(events[0]!.event.data).toMatchObject({ alertname: 'disk-full-db1', severity: 'unknown', startsAt: now.toISOString() });
    expect(validateEventData(events[0]!.event.type, events[0]!.event.data)).toEqual({ ok: true });
  });
});

describe('mapPagerDutyEvent: change events', () => {
  const change = (payload: Record<string, unknown> = {}) =>
    parse({
      routing_key: routingKey,
      payload: {
        summary: 'Build 4711 deployed checkout-api v1.4.2',
        timestamp: '2026-11-26T08:30:00Z',
        source: 'ci',
        custom_details: { service: 'checkout-api', build: 4711 },
        ...payload,
      },
      links: [{ href: 'https://ci.example/builds/4711' }],
    });

  it('maps a change event to dev.steadyops.change.reported with a content-derived id', () => {
    const mapping = mapPagerDutyEvent(change(), { now, resolve: asIs });
    expect(mapping.dedupKey).toBeUndefined();
    const { event } = mapping.events[0]!;
    expect(event).toMatchObject({
      type: 'dev.steadyops.change.reported',
      subject: 'checkout-api',
      time: '2026-11-26T08:30:00.000Z',
      data: {
        summary: 'Build 4711 deployed checkout-api v1.4.2',
        timestamp: '2026-11-26T08:30:00.000Z',
        source: 'ci',
        service: 'checkout-api',
        details: { service: 'checkout-api', build: 4711 },
        links: [{ href: 'https://ci.example/builds/4711' }],
      },
    });
    expect(event.id).toMatch(/^change:[0-9a-f]{64}$/);
    expect(mapPagerDutyEvent(change(), { now, resolve: asIs }).events[0]!.event.id).toBe(event.id);
    expect(mapPagerDutyEvent(change({ summary: 'other' }), { now, resolve: asIs }).events[0]!.event.id).not.toBe(event.id);
    expect(validateEventData(event.type, event.data)).toEqual({ ok: true });
  });

  it('leaves subject unset when the resolver knows no such service', () => {
    const { events } = mapPagerDutyEvent(change(), { now, resolve: () => undefined });
    expect(events[0]!.event).not.toHaveProperty('subject');
  });
});

describe('pagerDuty schemas', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['a trigger without payload', { routing_key: routingKey, event_action: 'trigger' }, 'payload'],
    ['an unknown action', { routing_key: routingKey, event_action: 'snooze', dedup_key: 'x' }, 'event_action'],
    ['a resolve without dedup_key', { routing_key: routingKey, event_action: 'resolve' }, 'dedup_key'],
    ['a bad severity', { routing_key: routingKey, event_action: 'trigger', payload: { summary: 's', source: 's', severity: 'bad' } }, 'payload.severity'],
    ['a change event without summary', { routing_key: routingKey, payload: {} }, 'payload.summary'],
    ['a bad timestamp', { routing_key: routingKey, payload: { summary: 's', timestamp: 'noon' } }, 'payload.timestamp'],
    ['no routing key', { payload: { summary: 's' } }, 'routing_key'],
  ])('rejects %s', (_name, body, path) => {
    const result = pagerDutySchemaFor(body).safeParse(body);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });
});

describe('latestAlertOf', () => {
  const stored = (seq: number, source: string, fingerprint: string, type = 'dev.steadyops.alert.firing'): LedgerEvent => ({
    seq,
    specversion: '1.0',
    id: `e${seq}`,
    source,
    type,
    subject: 'orders-db',
    time: now.toISOString(),
    actor: 'system:pagerduty',
    ingested_at: now.toISOString(),
    leaf_hash: '',
    data: { ...firingBefore.data, fingerprint },
  });
  const mine = pagerDutySource(routingKey);

  it('picks the newest event of this dedup_key from this sender', () => {
    const events = [
      stored(4, '/pagerduty/other', 'disk-full-db1'),
      stored(3, mine, 'another-key'),
      stored(2, mine, 'disk-full-db1', 'dev.steadyops.alert.resolved'),
      stored(1, mine, 'disk-full-db1'),
    ];
    expect(latestAlertOf(events, mine, 'disk-full-db1')).toMatchObject({ type: 'dev.steadyops.alert.resolved', subject: 'orders-db' });
    expect(latestAlertOf(events, mine, 'missing')).toBeUndefined();
  });
});
