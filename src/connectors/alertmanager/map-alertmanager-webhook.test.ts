import { describe, expect, it } from 'vitest';
import { validateEventData } from '../../ledger/event-types.ts';
import { createSubjectResolver, type SubjectResolver } from '../resolve-subject.ts';
import { alertmanagerWebhook, type AlertmanagerWebhook } from './alertmanager-webhook.ts';
import { mapAlertmanagerWebhook, subjectOf, defaultSubjectLabels } from './map-alertmanager-webhook.ts';

const asIs: SubjectResolver = (hints) => hints.name;

function notification(overrides: Partial<Record<string, unknown>> = {}, alerts: object[] = [firing()]): AlertmanagerWebhook {
  return alertmanagerWebhook.parse({
    version: '4',
    groupKey: '{}:{alertname="HighErrorRate"}',
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'steadyops',
    groupLabels: { alertname: 'HighErrorRate' },
    commonLabels: { alertname: 'HighErrorRate' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager.internal:9093',
    alerts,
    ...overrides,
  });
}

function firing(labels: Record<string, string> = { alertname: 'HighErrorRate', service: 'checkout-api', severity: 'page' }, fingerprint = 'a1b2c3d4e5f60718') {
  return {
    status: 'firing',
    labels,
    annotations: { summary: '5xx above 2%' },
    startsAt: '2026-11-26T08:40:00.123456789Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus.internal:9090/graph?g0.expr=rate%28x%29',
    fingerprint,
  };
}

describe('mapAlertmanagerWebhook', () => {
  it('maps a firing alert to a dev.steadyops.alert.firing event that validates against the catalogue', () => {
    const [mapped, ...rest] = mapAlertmanagerWebhook(notification(), { resolve: asIs });
    expect(rest).toEqual([]);
    expect(mapped).toEqual({
      actor: 'system:alertmanager',
      event: {
        specversion: '1.0',
        id: 'a1b2c3d4e5f60718:2026-11-26T08:40:00.123456789Z:firing',
        source: '/alertmanager/alertmanager.internal:9093',
        type: 'dev.steadyops.alert.firing',
        subject: 'checkout-api',
        time: '2026-11-26T08:40:00.123456789Z',
        datacontenttype: 'application/json',
        data: {
          alertname: 'HighErrorRate',
          fingerprint: 'a1b2c3d4e5f60718',
          severity: 'page',
          labels: { alertname: 'HighErrorRate', service: 'checkout-api', severity: 'page' },
          annotations: { summary: '5xx above 2%' },
          startsAt: '2026-11-26T08:40:00.123456789Z',
          service: 'checkout-api',
          generatorURL: 'http://prometheus.internal:9090/graph?g0.expr=rate%28x%29',
          receiver: 'steadyops',
          groupKey: '{}:{alertname="HighErrorRate"}',
        },
      },
    });
    expect(validateEventData(mapped!.event.type, mapped!.event.data)).toEqual({ ok: true });
  });

  it('maps a resolved alert with endsAt as its time and a different id than the firing one', () => {
    const resolved = { ...firing(), status: 'resolved', endsAt: '2026-11-26T08:55:00Z' };
    const [event] = mapAlertmanagerWebhook(notification({ status: 'resolved' }, [resolved]), { resolve: asIs });
    expect(event!.event).toMatchObject({
      id: 'a1b2c3d4e5f60718:2026-11-26T08:40:00.123456789Z:resolved',
      type: 'dev.steadyops.alert.resolved',
      time: '2026-11-26T08:55:00Z',
      data: { endsAt: '2026-11-26T08:55:00Z', startsAt: '2026-11-26T08:40:00.123456789Z' },
    });
    expect(validateEventData(event!.event.type, event!.event.data)).toEqual({ ok: true });
  });

  it('splits a grouped notification into one event per alert, each with its own subject', () => {
    const events = mapAlertmanagerWebhook(
      notification({}, [
        firing({ alertname: 'HighErrorRate', service: 'checkout-api' }, 'f1'),
        firing({ alertname: 'HighErrorRate', service: 'payments-api' }, 'f2'),
      ]),
      { resolve: asIs },
    );
    expect(events.map(({ event }) => [event.id.split(':')[0], event.subject])).toEqual([
      ['f1', 'checkout-api'],
      ['f2', 'payments-api'],
    ]);
  });

  it('gives the same ids to a repeated notification, so the ledger deduplicates it', () => {
    const first = mapAlertmanagerWebhook(notification(), { resolve: asIs });
    const again = mapAlertmanagerWebhook(notification(), { resolve: asIs });
    expect(again.map(({ event }) => event.id)).toEqual(first.map(({ event }) => event.id));
  });

  it.each([
    ['missing severity and alertname get placeholders', { job: 'x' }, { alertname: '(unnamed)', severity: 'none' }],
    ['environment comes from the environment label', { alertname: 'A', environment: 'production' }, { environment: 'production' }],
    ['or from env', { alertname: 'A', env: 'staging' }, { environment: 'staging' }],
  ])('%s', (_name, labels, expected) => {
    const [event] = mapAlertmanagerWebhook(notification({}, [firing(labels)]), { resolve: asIs });
    expect(event!.event.data).toMatchObject(expected);
    expect(validateEventData(event!.event.type, event!.event.data)).toEqual({ ok: true });
  });

  it.each([
    ['an empty generatorURL is left out', ''],
    ['a generatorURL that is not a URL is left out', 'not a url'],
  ])('%s', (_name, generatorURL) => {
    const [event] = mapAlertmanagerWebhook(notification({}, [{ ...firing(), generatorURL }]), { resolve: asIs });
    expect(event!.event.data).not.toHaveProperty('generatorURL');
  });

  it.each([
    ['the externalURL host', 'http://am-1.example:9093/prefix', 'steadyops', '/alertmanager/am-1.example:9093'],
    ['the receiver when externalURL is empty', '', 'team pager', '/alertmanager/team%20pager'],
  ])('names its source after %s', (_name, externalURL, receiver, source) => {
    const [event] = mapAlertmanagerWebhook(notification({ externalURL, receiver }), { resolve: asIs });
    expect(event!.event.source).toBe(source);
  });

  it('leaves subject unset when no label places the alert', () => {
    const [event] = mapAlertmanagerWebhook(notification({}, [firing({ alertname: 'NodeDown', instance: 'n1' })]), { resolve: asIs });
    expect(event!.event).not.toHaveProperty('subject');
    expect(event!.event.data).not.toHaveProperty('service');
  });

  it('uses configured label keys instead of the defaults', () => {
    const [event] = mapAlertmanagerWebhook(notification({}, [firing({ alertname: 'A', app: 'search', service: 'ignored' })]), {
      resolve: asIs,
      subjectLabels: ['app'],
    });
    expect(event!.event.subject).toBe('search');
  });
});

describe('subjectOf', () => {
  const model = {
    services: [
      { name: 'checkout-api', runtime: { kind: 'kubernetes', namespace: 'shop', deployment: 'checkout' } },
      { name: 'node-exporter' },
    ],
    datastores: [],
  };
  const resolve = createSubjectResolver(model as never);

  it.each<[string, Record<string, string>, string | undefined]>([
    ['service label', { service: 'checkout-api', job: 'node-exporter' }, 'checkout-api'],
    ['job when service is absent', { job: 'node-exporter' }, 'node-exporter'],
    ['job when the service label names nothing in the model', { service: 'unknown', job: 'node-exporter' }, 'node-exporter'],
    ['namespace + deployment', { namespace: 'shop', deployment: 'checkout' }, 'checkout-api'],
    ['deployment in another namespace', { namespace: 'other', deployment: 'checkout' }, undefined],
    ['nothing that matches', { service: 'ghost', job: 'ghost' }, undefined],
  ])('%s', (_name, labels, expected) => {
    expect(subjectOf(labels, defaultSubjectLabels, resolve)).toBe(expected);
  });
});

describe('alertmanagerWebhook schema', () => {
  it.each([
    ['version 3', { version: '3' }, 'version'],
    ['a resolved alert without endsAt', { alerts: [{ ...firing(), status: 'resolved', endsAt: '0001-01-01T00:00:00Z' }] }, 'alerts.0.endsAt'],
    ['an alert without fingerprint', { alerts: [{ ...firing(), fingerprint: undefined }] }, 'alerts.0.fingerprint'],
    ['a bad startsAt', { alerts: [{ ...firing(), startsAt: 'yesterday' }] }, 'alerts.0.startsAt'],
  ])('rejects %s', (_name, overrides, path) => {
    const result = alertmanagerWebhook.safeParse({ ...notification(), ...overrides });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });
});
