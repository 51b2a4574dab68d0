import { isDuration, parseDuration } from '../lib/duration.ts';
import { SteadyopsError } from '../lib/errors.ts';
import { findService, servicesOwnedBy, type ResolvedModel } from '../model/resolve.ts';
import type { MetricsPeriod, MetricsScope } from './types.ts';

/** `steadyops metrics` and `GET /api/v1/metrics` as asked: strings from flags or a query string. */
export interface MetricsRequest {
  readonly service?: string;
  readonly team?: string;
  /** a duration of whole days or weeks, e.g. 30d or 90d; default 30d */
  readonly period?: string;
  /** default production */
  readonly environment?: string;
}

export const defaultMetricsPeriod = '30d';
export const defaultMetricsEnvironment = 'production';
const DAY = 86_400_000;
const maxPeriodDays = 366;

function usage(path: string, message: string): SteadyopsError {
  return new SteadyopsError('SO_E_USAGE', { detail: `${path}: ${message}` }, [{ path, message }]);
}

/** Pure: the period from `30d`-style text; whole days from 1 to 366. */
export function parseMetricsPeriod(text: string = defaultMetricsPeriod): MetricsPeriod {
  const valid = 'use whole days or weeks from 1d to 366d, e.g. 30d or 90d';
  if (!isDuration(text)) throw usage('period', `"${text}" is not a duration; ${valid}`);
  const ms = parseDuration(text);
  if (ms < DAY || ms > maxPeriodDays * DAY || ms % DAY !== 0) throw usage('period', `"${text}" is not a whole number of days; ${valid}`);
  return { label: text.trim(), ms };
}

/** Pure: the services a request covers, reading a team's services from the model. */
export function resolveMetricsScope(request: MetricsRequest, model: ResolvedModel | undefined): MetricsScope {
  const environment = request.environment ?? defaultMetricsEnvironment;
  if (request.service !== undefined && request.team !== undefined) throw usage('team', 'give either service or team, not both');
  if (request.team !== undefined) {
    if (model === undefined) throw usage('team', 'a team is read from the ownership model, and none is loaded (--config)');
    if (!model.teams.some((team) => team.name === request.team)) {
      throw usage('team', `unknown team "${request.team}"; teams: ${model.teams.map((team) => team.name).join(', ')}`);
    }
    return { label: `team ${request.team}`, services: servicesOwnedBy(model, request.team).map((service) => service.name), environment };
  }
  if (request.service !== undefined) {
    if (model !== undefined && findService(model, request.service) === undefined) {
      throw usage('service', `unknown service "${request.service}"; services: ${model.services.map((service) => service.name).join(', ')}`);
    }
    return { label: `service ${request.service}`, services: [request.service], environment };
  }
  return { label: 'all services', environment };
}
