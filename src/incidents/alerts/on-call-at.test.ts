import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ResolvedTeam } from '../../model/resolve.ts';
import { handoffInstant, onCallAt } from './on-call-at.ts';
import { instantOfWallClock, wallClockOf } from './wall-clock.ts';

function team(rotation: { members: string[]; period: string; handoff: string; start: string }, timezone = 'Europe/Berlin'): ResolvedTeam {
  return {
    name: 'payments',
    labels: {},
    annotations: {},
    timezone,
    members: rotation.members.map((email, index) => ({ name: `Person ${index}`, email })),
    oncall: { rotation },
  };
}

// 2026-01-05 and 2026-06-01 are Mondays
const weekly = team({ members: ['ana@example.com', 'ben@example.com', 'cem@example.com'], period: '7d', handoff: '09:00', start: '2026-01-05' });

describe('onCallAt', () => {
  it.each([
    ['just before the first hand-off (rotation not started)', '2026-01-05T07:59:59Z', undefined],
    ['at the first hand-off, 09:00 CET = 08:00Z', '2026-01-05T08:00:00Z', 'ana@example.com'],
    ['the next Monday a second before 09:00 CET', '2026-01-12T07:59:59Z', 'ana@example.com'],
    ['the next Monday at 09:00 CET', '2026-01-12T08:00:00Z', 'ben@example.com'],
    ['week three', '2026-01-19T08:00:00Z', 'cem@example.com'],
    ['week four wraps around', '2026-01-26T08:00:00Z', 'ana@example.com'],
    // 2026-03-29 is the switch to CEST; Monday 2026-03-30 09:00 CEST = 07:00Z
    ['summer: 07:00Z is 09:00 CEST, week 13 starts', '2026-03-30T07:00:00Z', 'ana@example.com'],
    ['summer: 06:59:59Z is still week 12', '2026-03-30T06:59:59Z', 'cem@example.com'],
  ])('%s', (_label, at, expected) => {
    const answer = onCallAt(weekly, new Date(at));
    if (expected === undefined) expect(answer.kind).toBe('none');
    else expect(answer).toMatchObject({ kind: 'rotation', person: { email: expected } });
  });

  it('hands off at 08:00Z in winter and 07:00Z in summer', () => {
    const rotation = weekly.oncall!.rotation!;
    expect(new Date(handoffInstant(rotation, 'Europe/Berlin', 0)).toISOString()).toBe('2026-01-05T08:00:00.000Z');
    expect(new Date(handoffInstant(rotation, 'Europe/Berlin', 21)).toISOString()).toBe('2026-06-01T07:00:00.000Z');
  });

  it('names the shift it found', () => {
    expect(onCallAt(weekly, new Date('2026-06-03T12:00:00Z'))).toEqual({
      kind: 'rotation',
      person: { email: 'ana@example.com', name: 'Person 0' },
      shiftStart: '2026-06-01T07:00:00.000Z',
      shiftEnd: '2026-06-08T07:00:00.000Z',
      text: 'Person 0 <ana@example.com>',
    });
  });

  it('hands off at the first existing instant when the clock skips the hand-off time', () => {
    // 2026-03-29 02:30 does not exist in Berlin: clocks jump from 02:00 CET (01:00Z) to 03:00 CEST
    const daily = team({ members: ['ana@example.com', 'ben@example.com'], period: '1d', handoff: '02:30', start: '2026-03-27' });
    expect(new Date(handoffInstant(daily.oncall!.rotation!, 'Europe/Berlin', 2)).toISOString()).toBe('2026-03-29T01:00:00.000Z');
  });

  it('hands off once when the clock goes back over the hand-off time', () => {
    // 2026-10-25 02:30 happens twice in Berlin (00:30Z CEST and 01:30Z CET): the first one counts
    const daily = team({ members: ['ana@example.com', 'ben@example.com'], period: '1d', handoff: '02:30', start: '2026-10-24' });
    expect(new Date(handoffInstant(daily.oncall!.rotation!, 'Europe/Berlin', 1)).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(onCallAt(daily, new Date('2026-10-25T01:15:00Z'))).toMatchObject({ person: { email: 'ben@example.com' } });
    expect(onCallAt(daily, new Date('2026-10-25T01:45:00Z'))).toMatchObject({ person: { email: 'ben@example.com' } });
  });

  it('names an external schedule, not a person', () => {
    const external: ResolvedTeam = { ...weekly, oncall: { schedule: { provider: 'pagerduty', id: 'P123ABC', url: 'https://northwind.pagerduty.com/schedules/P123ABC' } } };
    expect(onCallAt(external, new Date('2026-06-01T00:00:00Z'))).toEqual({
      kind: 'schedule',
      provider: 'pagerduty',
      id: 'P123ABC',
      url: 'https://northwind.pagerduty.com/schedules/P123ABC',
      text: 'external schedule pagerduty P123ABC https://northwind.pagerduty.com/schedules/P123ABC',
    });
  });

  it('says when a team has no on-call', () => {
    expect(onCallAt({ ...weekly, oncall: undefined }, new Date())).toMatchObject({ kind: 'none' });
  });
});

const zones = fc.constantFrom('Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'UTC', 'America/Santiago', 'Pacific/Chatham');
const rotations = fc.record({
  members: fc.uniqueArray(fc.emailAddress(), { minLength: 1, maxLength: 5 }),
  period: fc.constantFrom('12h', '1d', '3d', '7d', '14d'),
  handoff: fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
  start: fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10)),
});
const offsets = fc.integer({ min: 0, max: 3 * 365 * 86_400_000 });

describe('onCallAt properties', () => {
  it('after the start, the person on call is always one of the rotation members', () => {
    fc.assert(
      fc.property(rotations, zones, offsets, (rotation, zone, offset) => {
        const subject = team(rotation, zone);
        const at = handoffInstant(rotation, zone, 0) + offset;
        const answer = onCallAt(subject, new Date(at));
        return answer.kind === 'rotation' && rotation.members.includes(answer.person.email) && Date.parse(answer.shiftStart) <= at && at < Date.parse(answer.shiftEnd);
      }),
    );
  });

  it('is periodic: one full cycle of shifts later the same person is on call', () => {
    fc.assert(
      fc.property(rotations, zones, fc.integer({ min: 0, max: 200 }), (rotation, zone, index) => {
        const subject = team(rotation, zone);
        const shift = handoffInstant(rotation, zone, index);
        const later = handoffInstant(rotation, zone, index + rotation.members.length);
        const first = onCallAt(subject, new Date(shift));
        const again = onCallAt(subject, new Date(later));
        return first.kind === 'rotation' && again.kind === 'rotation' && first.person.email === again.person.email;
      }),
    );
  });

  it('hands off exactly at the local clock time (or, when the clock skips it, the moment after the jump)', () => {
    const wholeDays = rotations.filter((rotation) => rotation.period.endsWith('d'));
    fc.assert(
      fc.property(wholeDays, zones, fc.integer({ min: 0, max: 200 }), (rotation, zone, index) => {
        const instant = handoffInstant(rotation, zone, index);
        const target = Date.parse(`${rotation.start}T${rotation.handoff}:00Z`) + index * Number.parseInt(rotation.period, 10) * 86_400_000;
        const skipped = wallClockOf(instant - 1, zone) < target && wallClockOf(instant, zone) > target;
        return wallClockOf(instant, zone) === target || skipped;
      }),
      { numRuns: 2_000 },
    );
  });

  it('reads back the wall clock it was given whenever that time exists', () => {
    fc.assert(
      fc.property(zones, fc.integer({ min: Date.parse('2020-01-01T00:00:00Z'), max: Date.parse('2030-01-01T00:00:00Z') }), (zone, instant) => {
        const wall = wallClockOf(instant, zone);
        const back = instantOfWallClock(wall, zone);
        return back <= instant && wallClockOf(back, zone) === wall;
      }),
    );
  });
});
