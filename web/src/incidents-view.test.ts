import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from './api-types.ts';
import {
  concernsIncident,
  declareBody,
  elapsedMs,
  followUpsOf,
  incidentOf,
  incidentsApiQuery,
  incidentsFilterFromSearch,
  incidentsFilterToSearch,
  incidentsOf,
  timelineEntryLink,
  timelineOf,
} from './incidents-view.ts';

const state = {
  id: 'INC-7',
  title: 'Checkout errors',
  severity: 'sev2',
  services: ['checkout-api'],
  roles: { commander: 'ana', scribe: 3 },
  status: 'acknowledged',
  declaredAt: '2026-11-26T08:00:00Z',
  acknowledgedAt: '2026-11-26T08:04:00Z',
  updates: [{ at: '2026-11-26T08:00:00Z', kind: 'declared', actor: 'ana', message: 'declared', seq: 41 }],
};

describe('the Incidents page state in the URL', () => {
  it('shows open incidents by default and keeps every filter in the query string', () => {
    expect(incidentsFilterFromSearch('')).toEqual({ state: 'open', severity: '', service: '', cursor: '' });
    expect(incidentsFilterToSearch(incidentsFilterFromSearch(''))).toBe('');
    const filter = incidentsFilterFromSearch('?state=all&severity=sev1&service=checkout-api');
    expect(filter).toEqual({ state: '', severity: 'sev1', service: 'checkout-api', cursor: '' });
    expect(incidentsFilterToSearch(filter)).toBe('?state=all&severity=sev1&service=checkout-api');
    expect(incidentsFilterFromSearch('?state=resolved&severity=sev9').severity).toBe('');
  });

  it('asks the API with the same filters', () => {
    expect(incidentsApiQuery(incidentsFilterFromSearch(''))).toBe('/api/v1/incidents?limit=50&state=open');
    expect(incidentsApiQuery(incidentsFilterFromSearch('?state=all&service=a b&cursor=INC-3'))).toBe('/api/v1/incidents?limit=50&service=a+b&cursor=INC-3');
  });
});

describe('reading the incident API answers', () => {
  it('reads an incident state, keeping only string roles', () => {
    const incident = incidentOf(state);
    expect(incident).toMatchObject({ id: 'INC-7', severity: 'sev2', services: ['checkout-api'], roles: { commander: 'ana' }, acknowledgedAt: '2026-11-26T08:04:00Z' });
    expect(incident.updates).toEqual([{ at: '2026-11-26T08:00:00Z', kind: 'declared', actor: 'ana', message: 'declared', seq: 41 }]);
    expect(incidentOf({ incident: state }).id).toBe('INC-7');
  });

  it('reads a page of incidents with its cursor', () => {
    expect(incidentsOf({ items: [state], nextCursor: 'INC-7' })).toMatchObject({ items: [{ id: 'INC-7' }], nextCursor: 'INC-7' });
    expect(incidentsOf([state]).nextCursor).toBeUndefined();
    expect(incidentsOf({}).items).toEqual([]);
  });

  it('marks the likely trigger in the timeline, and links each entry to its event', () => {
    const { entries } = timelineOf({
      entries: [
        { time: '2026-11-26T07:50:00Z', kind: 'deploy', type: 'dev.steadyops.deploy.finished', summary: 'checkout-api 1.4.2', service: 'checkout-api', actor: 'ci', seq: 30, likelyTrigger: true, triggerReason: 'the last deploy before the first alert' },
        { time: '2026-11-26T07:55:00Z', kind: 'alert', summary: 'HighErrorRate firing', seq: 31, ingestionDelayMs: 120_000 },
      ],
    });
    expect(entries[0]).toMatchObject({ likelyTrigger: true, reason: 'the last deploy before the first alert', seq: 30, service: 'checkout-api' });
    expect(entries[1]).toMatchObject({ likelyTrigger: false, ingestionDelayMs: 120_000 });
    expect(timelineEntryLink(entries[0]!)).toBe('/events/seq%3A30');
    expect(timelineEntryLink({ ...entries[0]!, eventId: 'e 1', source: 'ci' })).toBe('/events/e%201?source=ci');
  });

  it('reads follow-ups with their status and flags', () => {
    expect(followUpsOf({ followUps: [{ id: 'SO-FU-1', incidentId: 'INC-7', title: 'Add canary', owner: 'ana', due: '2026-12-01', status: 'overdue', closedWithoutChange: false, changes: [], seq: 50 }] })).toEqual([
      { id: 'SO-FU-1', incidentId: 'INC-7', title: 'Add canary', owner: 'ana', due: '2026-12-01', status: 'overdue', closedWithoutChange: false, changes: 0, seq: 50 },
    ]);
    expect(followUpsOf([{ id: 'SO-FU-2', status: 'done', closedWithoutChange: true }])[0]).toMatchObject({ closedWithoutChange: true });
  });
});

describe('incident figures', () => {
  const now = new Date('2026-11-26T09:00:00Z');

  it('measures from declaration to a time, or to now while it is open', () => {
    expect(elapsedMs('2026-11-26T08:00:00Z', '2026-11-26T08:04:00Z', now)).toBe(240_000);
    expect(elapsedMs('2026-11-26T08:00:00Z', undefined, now)).toBe(3_600_000);
    expect(elapsedMs(undefined, undefined, now)).toBeUndefined();
  });

  it('refreshes on its own events and on events of its services only', () => {
    const event = (subject: string, data: unknown) => ({ seq: 1, id: 'x', source: 's', type: 't', subject, time: '', actor: '', ingested_at: '', leaf_hash: '', data }) as LedgerEvent;
    const incident = { id: 'INC-7', services: ['checkout-api'] };
    expect(concernsIncident(event('payments', { incidentId: 'INC-7' }), incident)).toBe(true);
    expect(concernsIncident(event('checkout-api', {}), incident)).toBe(true);
    expect(concernsIncident(event('search', { incidentId: 'INC-8' }), incident)).toBe(false);
  });
});

describe('declaring an incident from the dashboard', () => {
  const form = { title: ' Checkout slow ', severity: 'sev2', services: 'checkout-api, payments-gateway', commander: '' };

  it('sends title, severity, services and the commander when given', () => {
    expect(declareBody(form)).toEqual({ body: { title: 'Checkout slow', severity: 'sev2', services: ['checkout-api', 'payments-gateway'] } });
    expect(declareBody({ ...form, services: 'a b', commander: ' ana ' })).toEqual({ body: { title: 'Checkout slow', severity: 'sev2', services: ['a', 'b'], commander: 'ana' } });
  });

  it('says what is missing before sending anything', () => {
    expect(declareBody({ ...form, title: ' ' })).toEqual({ problem: 'Give the incident a title: what users see.' });
    expect(declareBody({ ...form, severity: 'sev9' })).toEqual({ problem: 'Pick a severity: sev1, sev2, sev3, sev4.' });
    expect(declareBody({ ...form, services: ' , ' })).toEqual({ problem: 'Name at least one affected service.' });
  });
});
