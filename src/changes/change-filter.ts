import { parseSince } from '../lib/duration.ts';
import { SteadyopsError } from '../lib/errors.ts';
import type { ChangeQuery } from '../ledger/types.ts';

/** "What changed" as people ask it: strings from a CLI flag or a query string. */
export interface ChangeFilterInput {
  readonly since?: string;
  readonly until?: string;
  readonly services?: readonly string[];
  readonly environment?: string;
  readonly types?: readonly string[];
  readonly actor?: string;
  readonly limit?: number;
  readonly before?: number;
}

export const defaultChangeWindow = '30m';
export const maxChangeLimit = 1_000;

/** Pure: turns a filter into a ledger query relative to `now`. */
export function toChangeQuery(input: ChangeFilterInput, now: Date): ChangeQuery {
  const since = parseSince(input.since ?? defaultChangeWindow, now);
  const until = input.until ? parseSince(input.until, now) : undefined;
  if (until && until < since) {
    throw new SteadyopsError('SO_E_USAGE', { detail: `until (${until.toISOString()}) is before since (${since.toISOString()})` });
  }
  const limit = input.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxChangeLimit) {
    throw new SteadyopsError('SO_E_USAGE', { detail: `limit must be an integer from 1 to ${maxChangeLimit}` });
  }
  return {
    since,
    ...(until ? { until } : {}),
    ...(input.services && input.services.length > 0 ? { subjects: splitList(input.services) } : {}),
    ...(input.environment ? { environment: input.environment } : {}),
    ...(input.types && input.types.length > 0 ? { types: splitList(input.types) } : {}),
    ...(input.actor ? { actor: input.actor } : {}),
    ...(input.before !== undefined ? { beforeSeq: input.before } : {}),
    limit,
  };
}

/** `--service a,b --service c` and `?service=a,b&service=c` both mean [a, b, c]. */
export function splitList(values: readonly string[]): string[] {
  return [...new Set(values.flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean))];
}
