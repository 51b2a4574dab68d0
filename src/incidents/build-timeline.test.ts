import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../ledger/types.ts';
import { buildTimeline, type TimelineFacts } from './build-timeline.ts';
import { applyTransition, declareTransition } from './incident-state.ts';
import { pageTimeline, timelineSubjects } from './incident-timeline.ts';
import type { IncidentState } from './incident-types.ts';
import { emptyModel, type ResolvedModel } from '../model/resolve.ts';

const t0 = Date.parse('2026-11-20T10:00:00Z');
const iso = (minutes: number): string => new Date(t0 + minutes * 60_000).toISOString();
const hour = 3_600_000;

let seq = 0;
function event(minutes: number, type: string, subject: string | undefined, data: Record<string, unknown>, ingestedLateMs = 0): LedgerEvent {
  seq += 1;
  return {
    seq,
    specversion: '1.0',
    id: `ev-${seq}`,
    source: '/test',
    type,
    ...(subject ? { subject } : {}),
    time: iso(minutes),
    data,
    actor: 'github:dev',
    ingested_at: new Date(t0 + minutes * 60_000 + ingestedLateMs).toISOString(),
    leaf_hash: 'x',
  };
}

const deploy = (minutes: number, service: string, version: string) => event(minutes, 'dev.steadyops.deploy.finished', service, { service, environment: 'production', version });
const firing = (minutes: number, service: string, fingerprint = 'fp-1') =>
  event(minutes, 'dev.steadyops.alert.firing', service, { alertname: 'HighErrorRate', fingerprint, severity: 'page', labels: {}, startsAt: iso(minutes) });

function incident(declaredAtMinutes: number, extra: { fromAlert?: string; resolveAt?: number } = {}): IncidentState {
  const declared = declareTransition(
    { incidentId: 'INC-7', title: 'checkout failing', severity: 'sev2', services: ['checkout-api'], ...(extra.fromAlert ? { fromAlert: extra.fromAlert } : {}) },
    new Date(iso(declaredAtMinutes)),
    'cli:ana',
  ).state;
  return extra.resolveAt === undefined ? declared : applyTransition(declared, { kind: 'resolve' }, new Date(iso(extra.resolveAt)), 'cli:ana').state;
}

const subjects = { services: ['checkout-api'], dependencies: ['orders-db', 'payments-api'] };
const facts = (state: IncidentState, events: LedgerEvent[]): TimelineFacts => ({ incident: state, incidentEvents: [], events, subjects });
const now = new Date(iso(600));

describe('buildTimeline', () => {
  it('marks the change closest before the first alert as the likely trigger, with the reason', () => {
    const events = [deploy(-90, 'checkout-api', 'v1'), deploy(-20, 'payments-api', 'v7'), firing(-5, 'checkout-api'), deploy(2, 'checkout-api', 'v2')];
    const timeline = buildTimeline(facts(incident(0, { resolveAt: 60 }), events), { windowMs: 2 * hour }, now);
    expect(timeline.firstAlert).toMatchObject({ time: iso(-5), alertname: 'HighErrorRate' });
    expect(timeline.likelyTrigger).toMatchObject({ seq: events[1]!.seq, service: 'payments-api', likelyTrigger: true });
    expect(timeline.likelyTrigger?.triggerReason).toBe('the last deploy change on payments-api (a dependency) before the first alert (HighErrorRate on checkout-api), 15 min earlier');
    expect(timeline.entries.filter((entry) => entry.likelyTrigger)).toHaveLength(1);
    expect(timeline.window).toEqual({ since: iso(-125), until: iso(60) });
  });

  it('keeps events in their own time order, shows late ingestion, and leaves out other subjects and the outside of the window', () => {
    const late = deploy(-30, 'checkout-api', 'v1');
    const lateIngested = { ...late, ingested_at: new Date(Date.parse(late.time) + 10 * 60_000).toISOString() };
    const events = [firing(-1, 'checkout-api'), lateIngested, deploy(-10, 'search-api', 'v3'), deploy(-300, 'checkout-api', 'v0'), deploy(90, 'checkout-api', 'v9')];
    const timeline = buildTimeline(facts(incident(0, { resolveAt: 60 }), events), { windowMs: 2 * hour }, now);
    expect(timeline.entries.map((entry) => entry.time)).toEqual([iso(-30), iso(-1)]);
    expect(timeline.entries[0]).toMatchObject({ ingestionDelayMs: 600_000, summary: 'deploy finished — v1' });
    expect(timeline.entries[1]!.ingestionDelayMs).toBeUndefined();
  });

  it('starts the window before the declaration when no alert fired, and reads the trigger against it', () => {
    const events = [event(-40, 'dev.steadyops.flag.changed', 'checkout-api', { flag: 'new-flow', enabled: true }), event(-10, 'dev.steadyops.rollback.finished', 'checkout-api', { fromVersion: 'v2', toVersion: 'v1' })];
    const timeline = buildTimeline(facts(incident(0), events), { windowMs: hour }, now);
    expect(timeline.firstAlert).toBeUndefined();
    expect(timeline.window).toEqual({ since: iso(-60), until: now.toISOString() });
    expect(timeline.likelyTrigger).toMatchObject({ kind: 'flag', summary: 'flag changed — new-flow on' });
    expect(timeline.likelyTrigger?.triggerReason).toContain('before the declaration, 40 min earlier');
  });

  it('uses the alert the incident was declared from, even when an earlier alert fired', () => {
    const events = [firing(-50, 'checkout-api', 'other'), deploy(-15, 'checkout-api', 'v5'), firing(-10, 'checkout-api', 'fp-own')];
    const timeline = buildTimeline(facts(incident(0, { fromAlert: 'fp-own' }), events), { windowMs: 2 * hour }, now);
    expect(timeline.firstAlert?.time).toBe(iso(-10));
    expect(timeline.likelyTrigger?.summary).toBe('deploy finished — v5');
  });

  it('has no trigger when nothing changed before the first alert', () => {
    const timeline = buildTimeline(facts(incident(0), [firing(-5, 'checkout-api'), deploy(5, 'checkout-api', 'v2')]), { windowMs: hour }, now);
    expect(timeline.likelyTrigger).toBeUndefined();
  });

  it('the trigger, when there is one, is the latest trigger-kind change not after the first alert', () => {
    const kinds = ['dev.steadyops.deploy.finished', 'dev.steadyops.config.changed', 'dev.steadyops.flag.changed', 'dev.steadyops.git.merge', 'dev.steadyops.rollback.finished'];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: -110, max: 50 }), fc.constantFrom(...kinds)), { maxLength: 30 }), fc.integer({ min: -100, max: 0 }), (changes, alertAt) => {
        const events = [...changes.map(([minutes, type]) => event(minutes, type, 'checkout-api', { version: 'v' })), firing(alertAt, 'checkout-api')];
        const timeline = buildTimeline(facts(incident(0), events), { windowMs: 2 * hour }, now);
        const candidates = timeline.entries.filter((entry) => ['deploy', 'config', 'flag'].includes(entry.kind) && Date.parse(entry.time) <= Date.parse(iso(alertAt)));
        const alertSeq = events.at(-1)!.seq;
        const before = candidates.filter((entry) => Date.parse(entry.time) < Date.parse(iso(alertAt)) || entry.seq < alertSeq);
        expect(timeline.likelyTrigger?.seq).toBe(before.at(-1)?.seq);
        for (let i = 1; i < timeline.entries.length; i += 1) expect(Date.parse(timeline.entries[i]!.time)).toBeGreaterThanOrEqual(Date.parse(timeline.entries[i - 1]!.time));
      }),
    );
  });
});

describe('timeline subjects and pages', () => {
  it('adds what the affected services depend on, services and datastores', () => {
    const model: ResolvedModel = {
      ...emptyModel(),
      services: [{ name: 'checkout-api', labels: {}, annotations: {}, owner: 'team', tier: 1, lifecycle: 'production', dependsOn: [{ service: 'payments-api' }, { datastore: 'orders-db' }] }],
    } as ResolvedModel;
    expect(timelineSubjects(incident(0), model)).toEqual({ services: ['checkout-api'], dependencies: ['payments-api', 'orders-db'] });
    expect(timelineSubjects(incident(0), undefined)).toEqual({ services: ['checkout-api'], dependencies: [] });
  });

  it('pages entries with the seq of the last one as cursor', () => {
    const events = [deploy(-30, 'checkout-api', 'v1'), deploy(-20, 'checkout-api', 'v2'), deploy(-10, 'checkout-api', 'v3')];
    const timeline = buildTimeline(facts(incident(0), events), { windowMs: hour }, now);
    const first = pageTimeline(timeline, { limit: 2 });
    expect(first.entries.map((entry) => entry.seq)).toEqual([events[0]!.seq, events[1]!.seq]);
    const second = pageTimeline(timeline, { limit: 2, cursor: first.nextCursor! });
    expect(second.entries.map((entry) => entry.seq)).toEqual([events[2]!.seq]);
    expect(second.nextCursor).toBeUndefined();
    expect(() => pageTimeline(timeline, { cursor: 99_999 })).toThrow('cursor: no timeline entry has seq 99999');
  });
});

describe('first alert', () => {
  it('prefers an alert on an affected service over an earlier one on a dependency', () => {
    const events = [firing(-50, 'payments-api', 'dep'), deploy(-20, 'checkout-api', 'v4'), firing(-10, 'checkout-api', 'own')];
    const timeline = buildTimeline(facts(incident(0), events), { windowMs: 2 * hour }, now);
    expect(timeline.firstAlert).toMatchObject({ time: iso(-10), service: 'checkout-api' });
    expect(timeline.window.since).toBe(iso(-130));
    expect(timeline.likelyTrigger?.summary).toBe('deploy finished — v4');
  });

  it('skips an alert that fired and resolved before the declaration: the one still firing started the incident', () => {
    const resolved = (minutes: number, service: string, fingerprint: string) =>
      event(minutes, 'dev.steadyops.alert.resolved', service, { alertname: 'HighErrorRate', fingerprint, severity: 'page', labels: {}, startsAt: iso(minutes - 30), endsAt: iso(minutes) });
    const events = [
      deploy(-115, 'checkout-api', 'v3'),
      firing(-110, 'checkout-api', 'earlier'),
      resolved(-80, 'checkout-api', 'earlier'),
      deploy(-20, 'checkout-api', 'v4'),
      firing(-10, 'checkout-api', 'this-one'),
    ];
    const timeline = buildTimeline(facts(incident(0), events), { windowMs: 2 * hour }, now);
    expect(timeline.firstAlert).toMatchObject({ time: iso(-10), service: 'checkout-api' });
    expect(timeline.likelyTrigger?.summary).toBe('deploy finished — v4');
    // with nothing still firing, the earlier alert is still the best lead
    const quiet = buildTimeline(facts(incident(0), events.slice(0, 3)), { windowMs: 2 * hour }, now);
    expect(quiet.firstAlert).toMatchObject({ time: iso(-110) });
  });

  it('falls back to a dependency alert when none fired on an affected service', () => {
    const timeline = buildTimeline(facts(incident(0), [firing(-50, 'payments-api', 'dep')]), { windowMs: 2 * hour }, now);
    expect(timeline.firstAlert).toMatchObject({ time: iso(-50), service: 'payments-api' });
  });
});
