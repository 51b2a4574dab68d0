/**
 * Wall-clock arithmetic in an IANA time zone with Intl only. A "wall" time is the local date and
 * clock time written as if it were UTC milliseconds, so local calendar steps are plain additions.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The local wall-clock time of an instant, as UTC milliseconds. */
export function wallClockOf(instantMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const wholeSeconds = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wholeSeconds + (((instantMs % 1000) + 1000) % 1000);
}

const day = 86_400_000;

/**
 * The first instant whose local wall clock reads `wallMs` or later: the earlier of the two when the
 * clock goes back (the time happens twice), the moment of the jump when the clock skips it.
 */
export function instantOfWallClock(wallMs: number, timeZone: string): number {
  const offsets = [wallMs - day, wallMs + day].map((probe) => wallClockOf(probe, timeZone) - probe);
  const candidates = offsets.map((offset) => wallMs - offset).filter((instant) => wallClockOf(instant, timeZone) === wallMs);
  if (candidates.length > 0) return Math.min(...candidates);
  // the wall time falls in a gap: search the transition between the two readings
  let low = Math.min(...offsets.map((offset) => wallMs - offset));
  let high = Math.max(...offsets.map((offset) => wallMs - offset));
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (wallClockOf(middle, timeZone) >= wallMs) high = middle;
    else low = middle;
  }
  return high;
}
