/** Plain-text formatting shared by the pages: times, ages, durations and event types. */
const units: ReadonlyArray<readonly [string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

const durationPattern = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;
const unitMs: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `30m`, `4h`, `30d`, `1w` (one unit, as the model writes intervals) in milliseconds, or undefined. */
export function parseDuration(text: string): number | undefined {
  const match = durationPattern.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * (unitMs[match[2] as string] as number);
}

/** The largest one or two units: `3d 4h`, `12m`, `45s`. */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 1_000) return `${Math.round(abs)}ms`;
  const parts: string[] = [];
  let rest = abs;
  for (const [unit, size] of units) {
    if (rest >= size && parts.length < 2) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    } else if (parts.length > 0) break;
  }
  return parts.join(' ');
}

/** `5m ago`, `in 2h`, `just now`. */
export function formatAge(time: string, now: Date): string {
  const ms = now.getTime() - Date.parse(time);
  if (Number.isNaN(ms)) return time;
  if (Math.abs(ms) < 60_000) return 'just now';
  return ms > 0 ? `${formatDuration(ms)} ago` : `in ${formatDuration(ms)}`;
}

/** `2026-11-26 12:04 UTC`: unambiguous for teams across time zones. */
export function formatTime(time: string): string {
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) return time;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `dev.steadyops.deploy.finished` → `deploy.finished`; other types unchanged. */
export function shortType(type: string): string {
  return type.startsWith('dev.steadyops.') ? type.slice('dev.steadyops.'.length) : type;
}

/** `0.934` → `93.4%`. */
export function formatPercent(ratio: number, digits = 1): string {
  return `${(ratio * 100).toFixed(digits).replace(/\.0+$/, '')}%`;
}

/** `github:ana-lima` → `ana-lima`, `token:ci` stays as is. */
export function personOf(actor: string | undefined): string {
  if (!actor) return '–';
  return actor.startsWith('github:') ? actor.slice('github:'.length) : actor;
}
