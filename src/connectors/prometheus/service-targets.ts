import { SteadyopsError } from '../../lib/errors.ts';
import { findService, type ResolvedModel, type ResolvedService } from '../../model/resolve.ts';
import { defaultEnvironment } from './prometheus-for.ts';

/** A service and the environment whose Prometheus answers for it. */
export interface ServiceTarget {
  readonly service: ResolvedService;
  readonly environment: string;
}

export interface TargetQuery {
  /** one service by name; every service when absent */
  readonly service?: string;
  /** the environment to read; each service's default environment when absent */
  readonly environment?: string;
}

/** The services a status query covers, each with its environment; unknown names are usage errors. */
export function serviceTargets(model: ResolvedModel, query: TargetQuery): ServiceTarget[] {
  const services = query.service === undefined ? model.services : [namedService(model, query.service)];
  return services.map((service) => ({ service, environment: environmentOf(model, service, query.environment) }));
}

function namedService(model: ResolvedModel, name: string): ResolvedService {
  const service = findService(model, name);
  if (service) return service;
  throw new SteadyopsError('SO_E_USAGE', {
    detail: `unknown service "${name}"; services in the model: ${model.services.map((entry) => entry.name).join(', ') || 'none'}`,
  });
}

function environmentOf(model: ResolvedModel, service: ResolvedService, explicit: string | undefined): string {
  const environment = explicit ?? defaultEnvironment(model, service);
  if (environment !== undefined) return environment;
  throw new SteadyopsError('SO_E_USAGE', { detail: `the model declares no Environment for ${service.name}; pass --env NAME` });
}
