import { describe, expect, it } from 'vitest';
import { formatAge, formatDuration, formatPercent, formatTime, parseDuration, personOf, shortType } from './format.ts';

describe('formatting for the dashboard', () => {
  const now = new Date('2026-11-26T12:00:00Z');

  it('parses the model\'s durations', () => {
    expect(parseDuration('30d')).toBe(30 * 86_400_000);
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('1w')).toBe(604_800_000);
    expect(parseDuration('soon')).toBeUndefined();
  });

  it('says durations and ages in at most two units', () => {
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000 + 5 * 60_000)).toBe('3d 4h');
    expect(formatDuration(12 * 60_000)).toBe('12m');
    expect(formatDuration(61_000)).toBe('1m 1s');
    expect(formatDuration(500)).toBe('500ms');
    expect(formatAge('2026-11-26T11:55:00Z', now)).toBe('5m ago');
    expect(formatAge('2026-11-26T11:59:30Z', now)).toBe('just now');
    expect(formatAge('2026-11-26T14:00:00Z', now)).toBe('in 2h');
    expect(formatAge('garbage', now)).toBe('garbage');
  });

  it('writes times in UTC, types short, percents and people plainly', () => {
    expect(formatTime('2026-11-26T12:04:59.123+01:00')).toBe('2026-11-26 11:04 UTC');
    expect(shortType('dev.steadyops.deploy.finished')).toBe('deploy.finished');
    expect(shortType('com.example.thing')).toBe('com.example.thing');
    expect(formatPercent(0.934)).toBe('93.4%');
    expect(formatPercent(1)).toBe('100%');
    expect(personOf('github:ana-lima')).toBe('ana-lima');
    expect(personOf('token:ci')).toBe('token:ci');
    expect(personOf(undefined)).toBe('–');
  });
});
