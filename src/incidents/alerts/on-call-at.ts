import { parseDuration } from '../../lib/duration.ts';
import type { ResolvedTeam } from '../../model/resolve.ts';
import { instantOfWallClock, wallClockOf } from './wall-clock.ts';

export interface OnCallPerson {
  readonly email: string;
  readonly name?: string;
}

/** Who holds the pager at an instant: a person of the team's rotation, an external schedule, or nobody known. */
export type OnCall =
  | { readonly kind: 'rotation'; readonly person: OnCallPerson; readonly shiftStart: string; readonly shiftEnd: string; readonly text: string }
  | { readonly kind: 'schedule'; readonly provider: string; readonly id: string; readonly url?: string; readonly text: string }
  | { readonly kind: 'none'; readonly text: string };

type Rotation = NonNullable<NonNullable<ResolvedTeam['oncall']>['rotation']>;

/** The instant of the `index`-th hand-off (0 is the rotation's start) at the hand-off clock time in the team's zone. */
export function handoffInstant(rotation: Rotation, timeZone: string, index: number): number {
  return instantOfWallClock(wallStart(rotation) + index * parseDuration(rotation.period), timeZone);
}

function wallStart(rotation: Rotation): number {
  const [hours, minutes] = rotation.handoff.split(':').map(Number);
  return Date.parse(`${rotation.start}T00:00:00Z`) + (hours! * 60 + minutes!) * 60_000;
}

/** The shift holding `at`: periods count in local wall-clock time, so hand-offs keep their clock time across DST. */
export function shiftIndexAt(rotation: Rotation, timeZone: string, at: number): number {
  let index = Math.floor((wallClockOf(at, timeZone) - wallStart(rotation)) / parseDuration(rotation.period));
  while (index > 0 && handoffInstant(rotation, timeZone, index) > at) index -= 1;
  while (handoffInstant(rotation, timeZone, index + 1) <= at) index += 1;
  return index;
}

/** Who is on call for the team at `at` (pure; the caller passes the time). */
export function onCallAt(team: ResolvedTeam, at: Date): OnCall {
  const { rotation, schedule } = team.oncall ?? {};
  if (schedule) {
    return {
      kind: 'schedule',
      provider: schedule.provider,
      id: schedule.id,
      ...(schedule.url ? { url: schedule.url } : {}),
      text: `external schedule ${schedule.provider} ${schedule.id}${schedule.url ? ` ${schedule.url}` : ''}`,
    };
  }
  if (!rotation) return { kind: 'none', text: `team ${team.name} declares no on-call` };
  const instant = at.getTime();
  if (instant < handoffInstant(rotation, team.timezone, 0)) {
    return { kind: 'none', text: `the ${team.name} rotation starts ${rotation.start} ${rotation.handoff} ${team.timezone}` };
  }
  const index = shiftIndexAt(rotation, team.timezone, instant);
  const email = rotation.members[index % rotation.members.length]!;
  const name = team.members.find((member) => member.email === email)?.name;
  return {
    kind: 'rotation',
    person: { email, ...(name ? { name } : {}) },
    shiftStart: new Date(handoffInstant(rotation, team.timezone, index)).toISOString(),
    shiftEnd: new Date(handoffInstant(rotation, team.timezone, index + 1)).toISOString(),
    text: name ? `${name} <${email}>` : email,
  };
}
