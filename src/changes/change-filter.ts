import { parseDuration, parseSince } from '../lib/duration.ts';
import { SteadyopsError } from '../lib/errors.ts';
import type { ChangeQuery } from '../ledger/types.ts';
import { datastoresOwnedBy, findService, servicesOwnedBy, type ResolvedModel } from '../model/resolve.ts';

/** "What changed" as people ask it: strings from a CLI flag or a query string. */
export interface ChangeFilterInput {
  readonly since?: string;
  readonly until?: string;
  /** centre the window on this time (an incident start): `since` becomes the span on each side */
  readonly around?: string;
  readonly services?: readonly string[];
  readonly teams?: readonly string[];
  /** also what the selected services depend on (the model's `dependsOn`) */
  readonly includeDependencies?: boolean;
  /** only events no service or datastore owns: the ownership gaps */
  readonly unowned?: boolean;
  readonly environment?: string;
  readonly types?: readonly string[];
  readonly actor?: string;
  readonly limit?: number;
  readonly before?: number;
}

export const defaultChangeWindow = '30m';
export const maxChangeLimit = 1_000;

export type WindowedChangeQuery = ChangeQuery & { readonly since: Date; readonly until: Date; readonly limit: number };

/** Pure: turns a filter into a ledger query relative to `now`, reading teams and dependencies from the model. */
export function toChangeQuery(input: ChangeFilterInput, now: Date, model?: ResolvedModel): WindowedChangeQuery {
  const { since, until } = changeWindow(input, now);
  const limit = input.limit ?? 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > maxChangeLimit) {
    throw new SteadyopsError('SO_E_USAGE', { detail: `limit must be an integer from 1 to ${maxChangeLimit}` });
  }
  if (input.unowned && ((input.services?.length ?? 0) > 0 || (input.teams?.length ?? 0) > 0)) {
    throw new SteadyopsError('SO_E_USAGE', { detail: 'unowned lists events without a subject; it cannot be combined with service or team' });
  }
  const subjects = selectedSubjects(input, model);
  return {
    since,
    until,
    ...(subjects.length > 0 ? { subjects } : {}),
    ...(input.unowned ? { unowned: true } : {}),
    ...(input.environment ? { environment: input.environment } : {}),
    ...(input.types && input.types.length > 0 ? { types: splitList(input.types) } : {}),
    ...(input.actor ? { actor: input.actor } : {}),
    ...(input.before !== undefined ? { beforeSeq: input.before } : {}),
    limit,
  };
}

/** Parses one time parameter; a bad one is a usage error whose issue names the parameter. */
function timeParameter<T>(name: 'since' | 'until' | 'around', parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof SteadyopsError)) throw error;
    throw new SteadyopsError('SO_E_USAGE', { detail: error.message }, [{ path: name, message: error.message }]);
  }
}

function changeWindow(input: ChangeFilterInput, now: Date): { since: Date; until: Date } {
  if (input.around !== undefined) {
    const around = input.around;
    const centre = timeParameter('around', () => parseSince(around, now));
    const span = timeParameter('since', () => parseDuration(input.since ?? defaultChangeWindow));
    if (input.until !== undefined) throw new SteadyopsError('SO_E_USAGE', { detail: 'around sets both ends of the window; drop until' });
    return { since: new Date(centre.getTime() - span), until: new Date(centre.getTime() + span) };
  }
  const since = timeParameter('since', () => parseSince(input.since ?? defaultChangeWindow, now));
  const until = input.until ? timeParameter('until', () => parseSince(input.until as string, now)) : now;
  if (until < since) {
    throw new SteadyopsError('SO_E_USAGE', { detail: `until (${until.toISOString()}) is before since (${since.toISOString()})` });
  }
  return { since, until };
}

function selectedSubjects(input: ChangeFilterInput, model: ResolvedModel | undefined): string[] {
  const subjects = new Set(splitList(input.services ?? []));
  const teams = splitList(input.teams ?? []);
  if ((teams.length > 0 || input.includeDependencies) && !model) {
    throw new SteadyopsError('SO_E_USAGE', { detail: 'team and include-dependencies read the ownership model, and none is loaded (--config)' });
  }
  for (const team of teams) {
    if (!model?.teams.some((known) => known.name === team)) {
      throw new SteadyopsError('SO_E_USAGE', { detail: `unknown team "${team}"; teams: ${model?.teams.map((known) => known.name).join(', ')}` });
    }
    for (const service of servicesOwnedBy(model, team)) subjects.add(service.name);
    for (const datastore of datastoresOwnedBy(model, team)) subjects.add(datastore.name);
  }
  if (input.includeDependencies && model) {
    for (const name of [...subjects]) {
      for (const dependency of findService(model, name)?.dependsOn ?? []) {
        const target = dependency.service ?? dependency.datastore;
        if (target) subjects.add(target);
      }
    }
  }
  return [...subjects];
}

/** `--service a,b --service c` and `?service=a,b&service=c` both mean [a, b, c]. */
export function splitList(values: readonly string[]): string[] {
  return [...new Set(values.flatMap((value) => value.split(',')).map((value) => value.trim()).filter(Boolean))];
}
