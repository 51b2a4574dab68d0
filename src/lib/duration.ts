import { SteadyopsError } from './errors.ts';

const unitMs = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
} as const;

const durationPattern = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;
const compoundPattern = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/;

/** Parses a Prometheus-style duration such as `30m`, `1h30m`, `14d` or `1w` into milliseconds. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  if (!compoundPattern.test(trimmed)) {
    throw new SteadyopsError('SO_E_USAGE', {
      detail: `"${text}" is not a duration; use a number and a unit (ms, s, m, h, d, w), e.g. 30m, 2h, 14d`,
    });
  }
  let total = 0;
  for (const part of trimmed.match(/\d+(?:\.\d+)?(?:ms|s|m|h|d|w)/g) ?? []) {
    const [, amount, unit] = durationPattern.exec(part) as RegExpExecArray;
    total += Number(amount) * unitMs[unit as keyof typeof unitMs];
  }
  return total;
}

export function isDuration(text: string): boolean {
  return compoundPattern.test(text.trim());
}

/** `--since` accepts a duration back from now (`30m`) or an absolute RFC 3339 time. */
export function parseSince(text: string, now: Date): Date {
  if (isDuration(text)) return new Date(now.getTime() - parseDuration(text));
  const at = new Date(text);
  if (Number.isNaN(at.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(text)) {
    throw new SteadyopsError('SO_E_USAGE', {
      detail: `"${text}" is neither a duration (30m, 2h, 7d) nor an RFC 3339 time (2026-11-26T08:00:00Z)`,
    });
  }
  return at;
}

export function formatDuration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  const units: Array<[string, number]> = [
    ['d', unitMs.d],
    ['h', unitMs.h],
    ['m', unitMs.m],
    ['s', unitMs.s],
  ];
  const parts: string[] = [];
  let rest = Math.round(ms / 1_000) * 1_000;
  for (const [unit, size] of units) {
    const amount = Math.floor(rest / size);
    if (amount > 0) parts.push(`${amount}${unit}`);
    rest -= amount * size;
  }
  return parts.slice(0, 2).join('');
}
