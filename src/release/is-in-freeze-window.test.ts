import { describe, expect, it } from 'vitest';
import { type FreezeWindow, isInFreezeWindow } from './is-in-freeze-window.ts';

const weekendBerlin: FreezeWindow = { days: ['sat', 'sun'], start: '00:00', end: '23:59', timezone: 'Europe/Berlin' };
const nightsNewYork: FreezeWindow = { days: ['fri'], start: '22:00', end: '06:00', timezone: 'America/New_York' };
const fridayCronTokyo: FreezeWindow = { cron: '0 18 * * 5', duration: '64h', timezone: 'Asia/Tokyo' };
const dailyCronUtc: FreezeWindow = { cron: '30 23 * * *', duration: '1h', timezone: 'UTC' };
const businessHoursKolkata: FreezeWindow = { days: ['mon'], start: '09:00', end: '17:00', timezone: 'Asia/Kolkata' };

describe('isInFreezeWindow', () => {
  it.each([
    // weekday/time ranges read in the window's time zone, not UTC
    ['Berlin weekend: Friday 23:30 UTC is Saturday 00:30 in Berlin', weekendBerlin, '2026-11-27T23:30:00Z', true],
    ['Berlin weekend: Friday 22:59 UTC is Friday 23:59 in Berlin', weekendBerlin, '2026-11-27T22:59:00Z', false],
    ['Berlin weekend: Sunday 22:58 UTC is Sunday 23:58 in Berlin', weekendBerlin, '2026-11-29T22:58:00Z', true],
    ['Berlin weekend: end is exclusive (Sunday 23:59 Berlin)', weekendBerlin, '2026-11-29T22:59:00Z', false],
    // windows crossing midnight belong to the day they start on
    ['NY Friday night: Friday 22:00 EST opens it', nightsNewYork, '2026-11-28T03:00:00Z', true],
    ['NY Friday night: Friday 21:59 EST is before', nightsNewYork, '2026-11-28T02:59:00Z', false],
    ['NY Friday night: Saturday 05:59 EST is still inside', nightsNewYork, '2026-11-28T10:59:00Z', true],
    ['NY Friday night: Saturday 06:00 EST has ended', nightsNewYork, '2026-11-28T11:00:00Z', false],
    ['NY Friday night: Thursday 23:00 EST is not Friday', nightsNewYork, '2026-11-27T04:00:00Z', false],
    ['NY Friday night: Saturday 23:00 EST does not start a new window', nightsNewYork, '2026-11-29T04:00:00Z', false],
    ['NY Friday night in summer (EDT, UTC-4)', nightsNewYork, '2026-07-18T02:30:00Z', true],
    ['NY Friday night in summer: 21:30 EDT is before', nightsNewYork, '2026-07-18T01:30:00Z', false],
    ['Kolkata (UTC+5:30) Monday 09:00 local', businessHoursKolkata, '2026-11-30T03:30:00Z', true],
    ['Kolkata Monday 08:59 local', businessHoursKolkata, '2026-11-30T03:29:00Z', false],
    // cron + duration windows, fired in the window's time zone
    ['Tokyo cron: Friday 18:00 JST opens it', fridayCronTokyo, '2026-11-27T09:00:00Z', true],
    ['Tokyo cron: Friday 17:59 JST is before', fridayCronTokyo, '2026-11-27T08:59:00Z', false],
    ['Tokyo cron: Monday 09:59 JST is inside 64h', fridayCronTokyo, '2026-11-30T00:59:00Z', true],
    ['Tokyo cron: Monday 10:00 JST has ended', fridayCronTokyo, '2026-11-30T01:00:00Z', false],
    ['UTC daily cron across midnight: 00:15 next day', dailyCronUtc, '2026-11-27T00:15:00Z', true],
    ['UTC daily cron: end is exclusive', dailyCronUtc, '2026-11-27T00:30:00Z', false],
    ['UTC daily cron: 23:29 is before', dailyCronUtc, '2026-11-26T23:29:00Z', false],
  ] as const)('%s', (_name, window, now, expected) => {
    expect(isInFreezeWindow(window, new Date(now))).toBe(expected);
  });

  it('treats start equal to end as a whole day from start', () => {
    const window: FreezeWindow = { days: ['wed'], start: '12:00', end: '12:00', timezone: 'UTC' };
    expect(isInFreezeWindow(window, new Date('2026-11-26T11:59:00Z'))).toBe(true); // Thursday before noon
    expect(isInFreezeWindow(window, new Date('2026-11-26T12:00:00Z'))).toBe(false);
    expect(isInFreezeWindow(window, new Date('2026-11-25T11:59:00Z'))).toBe(false);
  });
});
