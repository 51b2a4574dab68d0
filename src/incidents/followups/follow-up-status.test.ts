import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../../ledger/types.ts';
import { namesId } from './change-events.ts';
import { commitData, createdData, declaredData, eventBuilder, fixtureNow, mergeData, type EventBuilder } from './follow-up-fixtures.ts';
import { followUpStatuses } from './follow-up-status.ts';
import type { FollowUpState } from './types.ts';

const past = '2026-11-20';
const future = '2026-12-10';

interface Case {
  readonly name: string;
  readonly events: (e: EventBuilder) => LedgerEvent[];
  /** id -> expected status, and `!` suffix when closed without a change */
  readonly expected: Record<string, FollowUpState | `${FollowUpState}!`>;
}

const withIncident = (e: EventBuilder, ...rest: Array<(e: EventBuilder) => LedgerEvent>) => [e('incident.declared', 30, declaredData('INC-1')), ...rest.map((build) => build(e))];

const cases: Case[] = [
  { name: 'not due yet', events: (e) => withIncident(e, (b) => b('followup.created', 10, createdData('SO-FU-1', future))), expected: { 'SO-FU-1': 'open' } },
  { name: 'past its due day', events: (e) => withIncident(e, (b) => b('followup.created', 10, createdData('SO-FU-1', past))), expected: { 'SO-FU-1': 'overdue' } },
  {
    name: 'due today is not overdue yet',
    events: (e) => withIncident(e, (b) => b('followup.created', 10, createdData('SO-FU-1', '2026-11-26'))),
    expected: { 'SO-FU-1': 'open' },
  },
  {
    name: 'a merge naming it in its title',
    events: (e) => withIncident(e, (b) => b('followup.created', 10, createdData('SO-FU-1', past)), (b) => b('git.merge', 5, mergeData('SO-FU-1: alert on 5xx'))),
    expected: { 'SO-FU-1': 'done' },
  },
  {
    name: 'a merge naming it in its branch, lower case',
    events: (e) => withIncident(e, (b) => b('followup.created', 10, createdData('SO-FU-1', past)), (b) => b('git.merge', 5, mergeData('Alert', { sourceBranch: 'so-fu-1-alert' }))),
    expected: { 'SO-FU-1': 'done' },
  },
  {
    name: 'a merge naming it in its body',
    events: (e) => withIncident(e, (b) => b('followup.created', 10, createdData('SO-FU-1', past)), (b) => b('git.merge', 5, mergeData('Alert', { body: 'Closes SO-FU-1.' }))),
    expected: { 'SO-FU-1': 'done' },
  },
  {
    name: 'SO-FU-12 is not SO-FU-1',
    events: (e) => withIncident(e, (b) => b('followup.created', 10, createdData('SO-FU-1', past)), (b) => b('git.merge', 5, mergeData('SO-FU-12: unrelated'))),
    expected: { 'SO-FU-1': 'overdue' },
  },
  {
    name: 'a commit on the default branch',
    events: (e) => withIncident(e, (b) => b('followup.created', 10, createdData('SO-FU-1', past)), (b) => b('git.commit', 5, commitData('fix(SO-FU-1): retry', 'main'))),
    expected: { 'SO-FU-1': 'done' },
  },
  {
    name: 'a commit on a feature branch is not merged',
    events: (e) => withIncident(e, (b) => b('followup.created', 10, createdData('SO-FU-1', past)), (b) => b('git.commit', 5, commitData('fix(SO-FU-1): retry', 'feature/retry'))),
    expected: { 'SO-FU-1': 'overdue' },
  },
  {
    name: 'a Terraform plan is not applied; an applied change is merged',
    events: (e) =>
      withIncident(
        e,
        (b) => b('followup.created', 10, createdData('SO-FU-1', past)),
        (b) => b('followup.created', 10, createdData('SO-FU-2', past)),
        (b) => b('infra.planned', 5, { environment: 'production', workspace: 'SO-FU-1', tool: 'terraform', add: 1, change: 0, destroy: 0 }),
        (b) => b('infra.applied', 4, { environment: 'production', workspace: 'SO-FU-2 limits', tool: 'terraform', add: 1, change: 0, destroy: 0, outcome: 'succeeded' }),
      ),
    expected: { 'SO-FU-1': 'overdue', 'SO-FU-2': 'done' },
  },
  {
    name: 'a failed apply is not merged',
    events: (e) =>
      withIncident(
        e,
        (b) => b('followup.created', 10, createdData('SO-FU-1', past)),
        (b) => b('infra.applied', 4, { environment: 'production', workspace: 'SO-FU-1', tool: 'terraform', add: 1, change: 0, destroy: 0, outcome: 'failed' }),
      ),
    expected: { 'SO-FU-1': 'overdue' },
  },
  {
    name: 'a finished deploy naming it',
    events: (e) =>
      withIncident(
        e,
        (b) => b('followup.created', 10, createdData('SO-FU-1', past)),
        (b) => b('deploy.finished', 3, { service: 'payments-gateway', environment: 'production', version: 'v2.1.0', deployId: 'deploy SO-FU-1' }),
      ),
    expected: { 'SO-FU-1': 'done' },
  },
  {
    name: 'a change before the incident does not count',
    events: (e) => [e('git.merge', 40, mergeData('SO-FU-1 prep')), ...withIncident(e, (b) => b('followup.created', 10, createdData('SO-FU-1', past)))],
    expected: { 'SO-FU-1': 'overdue' },
  },
  {
    name: 'closed without a change is done, and flagged',
    events: (e) => withIncident(e, (b) => b('followup.created', 10, createdData('SO-FU-1', past)), (b) => b('followup.closed', 2, { followUpId: 'SO-FU-1', reason: 'wontfix' })),
    expected: { 'SO-FU-1': 'done!' },
  },
  {
    name: 'closed after its merge is not flagged',
    events: (e) =>
      withIncident(
        e,
        (b) => b('followup.created', 10, createdData('SO-FU-1', past)),
        (b) => b('git.merge', 5, mergeData('SO-FU-1')),
        (b) => b('followup.closed', 2, { followUpId: 'so-fu-1' }),
      ),
    expected: { 'SO-FU-1': 'done' },
  },
  {
    name: 'linked by hand to a merge by sequence number',
    events: (e) =>
      withIncident(
        e,
        (b) => b('followup.created', 10, createdData('SO-FU-1', past)),
        (b) => b('git.merge', 5, mergeData('Alert on 5xx')),
        (b) => b('followup.linked', 2, { followUpId: 'SO-FU-1', change: { seq: 3 } }),
      ),
    expected: { 'SO-FU-1': 'done' },
  },
  {
    name: 'linked by hand to a pull request that merged later',
    events: (e) =>
      withIncident(
        e,
        (b) => b('followup.created', 10, createdData('SO-FU-1', past)),
        (b) => b('followup.linked', 6, { followUpId: 'SO-FU-1', change: { ref: '#42' } }),
        (b) => b('git.merge', 5, mergeData('Alert on 5xx', { pullRequest: 42 })),
      ),
    expected: { 'SO-FU-1': 'done' },
  },
  {
    name: 'linked by hand to a change not seen yet',
    events: (e) => withIncident(e, (b) => b('followup.created', 10, createdData('SO-FU-1', past)), (b) => b('followup.linked', 6, { followUpId: 'SO-FU-1', change: { ref: 'https://github.com/n/p/pull/7' } })),
    expected: { 'SO-FU-1': 'overdue' },
  },
  {
    name: 'postmortem follow-ups: by issue key, else by the incident id',
    events: (e) =>
      withIncident(
        e,
        (b) =>
          b('incident.postmortem', 20, {
            incidentId: 'INC-1',
            url: 'https://wiki.example/INC-1',
            followUps: [{ title: 'Alert', issue: 'PAY-12', due: past }, { title: 'Failover', due: past }, { title: 'Docs', issue: 'PAY-13', due: past }],
          }),
        (b) => b('git.merge', 5, mergeData('PAY-12: alert')),
        (b) => b('git.merge', 4, mergeData('Failover', { sourceBranch: 'inc-1-failover' })),
      ),
    expected: { 'PAY-12': 'done', 'INC-1/2': 'done', 'PAY-13': 'overdue' },
  },
  {
    name: 'a postmortem naming a recorded follow-up counts it once',
    events: (e) =>
      withIncident(
        e,
        (b) => b('followup.created', 25, createdData('SO-FU-1', past)),
        (b) => b('incident.postmortem', 20, { incidentId: 'INC-1', url: 'https://wiki.example/INC-1', followUps: [{ title: 'Same', id: 'SO-FU-1' }] }),
      ),
    expected: { 'SO-FU-1': 'overdue' },
  },
];

describe('followUpStatuses', () => {
  it.each(cases)('$name', ({ events, expected }) => {
    const statuses = followUpStatuses(events(eventBuilder()), fixtureNow);
    const actual = Object.fromEntries(statuses.map((followUp) => [followUp.id, `${followUp.status}${followUp.closedWithoutChange ? '!' : ''}`]));
    expect(actual).toEqual(expected);
  });

  it('reports the changes it linked and how', () => {
    const e = eventBuilder();
    const [status] = followUpStatuses(
      withIncident(e, (b) => b('followup.created', 10, createdData('SO-FU-1', past)), (b) => b('git.commit', 5, commitData('SO-FU-1 wip', 'feature/x')), (b) => b('followup.linked', 4, { followUpId: 'SO-FU-1', change: { seq: 3 } })),
      fixtureNow,
    );
    expect(status?.changes).toEqual([
      { via: 'mention', seq: 3, type: 'dev.steadyops.git.commit', time: '2026-11-21T12:00:00.000Z', merged: false },
      { via: 'manual', seq: 3, type: 'dev.steadyops.git.commit', time: '2026-11-21T12:00:00.000Z', merged: false },
    ]);
  });
});

const separators = fc.constantFrom(' ', ':', '(', ')', '/', '[', '\n', '');
const casing = (text: string, upper: readonly boolean[]) => [...text].map((char, i) => (upper[i % upper.length] ? char.toUpperCase() : char.toLowerCase())).join('');

describe('follow-up linking properties', () => {
  it('an id is named whatever its case and the punctuation around it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999 }), separators, separators, fc.array(fc.boolean(), { minLength: 1 }), fc.string(), (n, before, after, upper, noise) => {
        const noisy = noise.replace(/[a-z0-9]+$/i, '');
        expect(namesId(`${noisy}${before}${casing(`SO-FU-${n}`, upper)}${after}`, `SO-FU-${n}`)).toBe(true);
      }),
    );
  });

  it('an id is never named by a longer id that starts with it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9_999 }), fc.integer({ min: 0, max: 9 }), fc.constantFrom('', 'a', 'x1'), (n, digit, suffix) => {
        expect(namesId(`fix SO-FU-${n}${digit}${suffix} now`, `SO-FU-${n}`)).toBe(false);
      }),
    );
  });

  const step = fc.oneof(
    fc.record({ kind: fc.constant('merge' as const), days: fc.integer({ min: 0, max: 40 }), names: fc.boolean() }),
    fc.record({ kind: fc.constant('commit' as const), days: fc.integer({ min: 0, max: 40 }), names: fc.boolean(), main: fc.boolean() }),
    fc.record({ kind: fc.constant('close' as const), days: fc.integer({ min: 0, max: 10 }) }),
  );

  it('status rules hold for any history', () => {
    fc.assert(
      fc.property(fc.integer({ min: -30, max: 30 }), fc.array(step, { maxLength: 8 }), (dueOffsetDays, steps) => {
        const e = eventBuilder();
        const due = new Date(fixtureNow.getTime() + dueOffsetDays * 86_400_000).toISOString().slice(0, 10);
        const events = [e('incident.declared', 30, declaredData('INC-1')), e('followup.created', 20, createdData('SO-FU-1', due))];
        for (const s of steps) {
          const title = s.kind !== 'close' && s.names ? 'SO-FU-1 fix' : 'other work';
          if (s.kind === 'merge') events.push(e('git.merge', s.days, mergeData(title)));
          if (s.kind === 'commit') events.push(e('git.commit', s.days, commitData(title, s.main ? 'main' : 'topic')));
          if (s.kind === 'close') events.push(e('followup.closed', s.days, { followUpId: 'SO-FU-1' }));
        }
        const [status] = followUpStatuses(events, fixtureNow);
        const merged = steps.some((s) => (s.kind === 'merge' && s.names && s.days <= 30) || (s.kind === 'commit' && s.names && s.main && s.days <= 30));
        const closed = steps.some((s) => s.kind === 'close');
        expect(status!.status === 'done').toBe(merged || closed);
        expect(status!.closedWithoutChange).toBe(closed && !merged);
        expect(status!.status === 'overdue').toBe(!merged && !closed && dueOffsetDays < 0);
      }),
    );
  });
});
