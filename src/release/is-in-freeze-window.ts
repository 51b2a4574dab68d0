import { Cron } from 'croner';
import { parseDuration } from '../lib/duration.ts';
import type { ReleaseCheck } from '../model/schema.ts';

export type FreezeWindow = Extract<ReleaseCheck, { type: 'freezeWindow' }>['windows'][number];

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** True when `now` falls inside the window, read in the window's own time zone. */
export function isInFreezeWindow(window: FreezeWindow, now: Date): boolean {
  if (window.cron !== undefined && window.duration !== undefined) {
    return inCronWindow(window.cron, parseDuration(window.duration), window.timezone, now);
  }
  if (window.days !== undefined && window.start !== undefined && window.end !== undefined) {
    return inWeeklyWindow(window.days, window.start, window.end, window.timezone, now);
  }
  throw new Error('a freeze window is either "cron" + "duration" or "days" + "start" + "end"');
}

/** A cron window [fire, fire + duration) is open when some fire time lies in (now - duration, now]. */
function inCronWindow(cron: string, durationMs: number, timezone: string, now: Date): boolean {
  const job = new Cron(cron, { timezone, paused: true });
  try {
    const fire = job.nextRun(new Date(now.getTime() - durationMs));
    return fire !== null && fire.getTime() <= now.getTime();
  } finally {
    job.stop();
  }
}

/** `start` >= `end` means the window runs past midnight into the next day. */
function inWeeklyWindow(days: readonly string[], start: string, end: string, timezone: string, now: Date): boolean {
  const { weekday, minutes } = localTime(now, timezone);
  const startMinutes = clockMinutes(start);
  const endMinutes = clockMinutes(end);
  if (startMinutes < endMinutes) {
    return days.includes(weekday) && minutes >= startMinutes && minutes < endMinutes;
  }
  const previousDay = weekdays[(weekdays.indexOf(weekday) + 6) % 7] as string;
  return (days.includes(weekday) && minutes >= startMinutes) || (days.includes(previousDay) && minutes < endMinutes);
}

function localTime(now: Date, timezone: string): { weekday: (typeof weekdays)[number]; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: timezone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const part = (type: string) => parts.find((entry) => entry.type === type)?.value ?? '';
  const weekday = part('weekday').toLowerCase() as (typeof weekdays)[number];
  return { weekday, minutes: Number(part('hour')) * 60 + Number(part('minute')) };
}

function clockMinutes(clock: string): number {
  const [hours, minutes] = clock.split(':');
  return Number(hours) * 60 + Number(minutes);
}
