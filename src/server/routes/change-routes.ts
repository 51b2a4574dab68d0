import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ChangeQuery, Ledger } from '../../ledger/types.ts';
import type { Clock } from '../../lib/clock.ts';
import { parseSince } from '../../lib/duration.ts';
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

export const changesQuery = z.object({
  since: z.string().default('30m').describe('a duration back from now (30m, 2h, 7d) or an RFC 3339 time'),
  until: z.string().optional().describe('a duration back from now or an RFC 3339 time; default now'),
  service: list.describe('subject(s): repeat or comma-separate'),
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

/** Maps the HTTP query onto the ledger's ChangeQuery; relative times are taken back from `now`. */
export function toChangeQuery(params: ChangesParams, now: Date): ChangeQuery & { since: Date; until: Date; limit: number } {
  return {
    since: timeParam('since', params.since, now),
    until: params.until === undefined ? now : timeParam('until', params.until, now),
    ...(params.service.length > 0 ? { subjects: params.service } : {}),
    ...(params.env === undefined ? {} : { environment: params.env }),
    ...(params.type.length > 0 ? { types: params.type } : {}),
    ...(params.actor === undefined ? {} : { actor: params.actor }),
    limit: params.limit,
    ...(params.before === undefined ? {} : { beforeSeq: params.before }),
  };
}

function timeParam(name: string, text: string, now: Date): Date {
  try {
    return parseSince(text, now);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `invalid querystring: ${name}: ${message}` }, [
      { path: `querystring.${name}`, message },
    ]);
  }
}

export function changeRoutes(app: FastifyInstance, ledger: Ledger, clock: Clock): void {
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
      const query = toChangeQuery(parseInput(changesQuery, request.query, 'querystring'), clock.now());
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
