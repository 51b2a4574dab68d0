import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { toChangeQuery as toEngineQuery, type WindowedChangeQuery } from '../../changes/change-filter.ts';
import type { Ledger } from '../../ledger/types.ts';
import type { ResolvedModel } from '../../model/resolve.ts';
import type { Clock } from '../../lib/clock.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import { toJsonSchema } from '../json-schema.ts';
import { parseInput } from '../parse-input.ts';
import { ledgerEvent } from '../schemas/ledger-event.ts';
import { problemResponses } from '../schemas/problem.ts';

export const maxChangesLimit = 1000;

/** A repeatable query parameter that also takes comma-separated values: `?service=a,b&service=c`. */
const list = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) =>
    (value === undefined ? [] : [value].flat())
      .flatMap((item) => item.split(','))
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  );

const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((value) => value === 'true' || value === '1' || value === '');

export const changesQuery = z.object({
  since: z.string().default('30m').describe('a duration back from now (30m, 2h, 7d) or an RFC 3339 time; with `around`, the span on each side'),
  until: z.string().optional().describe('a duration back from now or an RFC 3339 time; default now'),
  around: z.string().optional().describe('centre the window on this time (an incident start)'),
  service: list.describe('subject(s): repeat or comma-separate'),
  team: list.describe("the services and datastores these teams own"),
  includeDependencies: flag.describe('also what the selected services depend on'),
  unowned: flag.describe('only events no service or datastore owns'),
  env: z.string().min(1).optional(),
  type: list.describe('event type(s); a trailing * matches a prefix, e.g. dev.steadyops.deploy.*'),
  actor: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(maxChangesLimit).default(100),
  before: z.coerce.number().int().min(1).optional().describe('cursor: only events with a lower seq (from `next`)'),
});

const changesResponse = z.object({
  since: z.string(),
  until: z.string(),
  events: z.array(ledgerEvent),
  next: z.number().int().optional().describe('pass as `before` for the next (older) page'),
});

export type ChangesParams = z.output<typeof changesQuery>;

/** Maps the HTTP query onto the changes engine's filter; its usage errors become 400s naming the parameter. */
export function toChangeQuery(params: ChangesParams, now: Date, model?: ResolvedModel): WindowedChangeQuery {
  try {
    return toEngineQuery(
      {
        since: params.since,
        ...(params.until === undefined ? {} : { until: params.until }),
        ...(params.around === undefined ? {} : { around: params.around }),
        services: params.service,
        teams: params.team,
        includeDependencies: params.includeDependencies,
        unowned: params.unowned,
        ...(params.env === undefined ? {} : { environment: params.env }),
        types: params.type,
        ...(params.actor === undefined ? {} : { actor: params.actor }),
        limit: params.limit,
        ...(params.before === undefined ? {} : { before: params.before }),
      },
      now,
      model,
    );
  } catch (error) {
    if (!(error instanceof SteadyopsError) || error.code !== 'SO_E_USAGE') throw error;
    const [issue] = error.issues;
    const path = issue?.path ? `querystring.${issue.path}` : 'querystring';
    throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `invalid querystring: ${issue?.path ? `${issue.path}: ` : ''}${error.message}` }, [
      { path, message: error.message },
    ]);
  }
}


export function changeRoutes(app: FastifyInstance, ledger: Ledger, clock: Clock, model: { current(): ResolvedModel | undefined }): void {
  app.get(
    '/api/v1/changes',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'What changed: ledger events in a time window, newest first',
        tags: ['changes'],
        querystring: toJsonSchema(changesQuery, 'input'),
        response: { 200: toJsonSchema(changesResponse, 'output'), ...problemResponses },
      },
    },
    async (request) => {
      const query = toChangeQuery(parseInput(changesQuery, request.query, 'querystring'), clock.now(), model.current());
      const events = await ledger.query(query);
      const last = events.at(-1);
      return {
        since: query.since.toISOString(),
        until: query.until.toISOString(),
        events,
        ...(last !== undefined && events.length >= query.limit ? { next: last.seq } : {}),
      };
    },
  );
}
