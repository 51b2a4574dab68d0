import { SteadyopsError, isSteadyopsError } from '../../lib/errors.ts';
import type { Sample } from './prometheus-client.ts';
import type { PrometheusFor } from './prometheus-for.ts';

/** Queries to send to one environment's Prometheus. */
export interface BatchRequest {
  readonly environment: string;
  readonly exprs: readonly string[];
}

/**
 * Sends every request's queries in one round: one `queryAll` per environment, all environments in
 * parallel, every query evaluated at `at`. Answers come back per request, in the order asked. An
 * unreachable Prometheus is reported with the environment it serves and how to point elsewhere.
 */
export async function queryBatch(prometheus: PrometheusFor, requests: readonly BatchRequest[], at: Date): Promise<Sample[][][]> {
  const byEnvironment = new Map<string, string[]>();
  for (const request of requests) byEnvironment.set(request.environment, [...(byEnvironment.get(request.environment) ?? []), ...request.exprs]);
  const answered = new Map<string, Sample[][]>();
  await Promise.all(
    [...byEnvironment].map(async ([environment, exprs]) => {
      answered.set(environment, await queryEnvironment(prometheus, environment, exprs, at));
    }),
  );
  const offsets = new Map<string, number>();
  return requests.map((request) => {
    const offset = offsets.get(request.environment) ?? 0;
    offsets.set(request.environment, offset + request.exprs.length);
    return (answered.get(request.environment) ?? []).slice(offset, offset + request.exprs.length);
  });
}

async function queryEnvironment(prometheus: PrometheusFor, environment: string, exprs: readonly string[], at: Date): Promise<Sample[][]> {
  if (exprs.length === 0) return [];
  try {
    return await prometheus(environment).queryAll(exprs, at);
  } catch (error) {
    if (!isSteadyopsError(error) || error.code !== 'SO_E_UNREACHABLE') throw error;
    throw new SteadyopsError(
      'SO_E_UNREACHABLE',
      {
        target: `${error.params.target ?? 'Prometheus'} (environment ${environment})`,
        detail: `${error.params.detail ?? error.message}; check that Prometheus is up and that Environment ${environment}'s spec.prometheus.url is right, or point at another with --prometheus URL (env STEADYOPS_PROMETHEUS_URL)`,
      },
      [],
      { cause: error },
    );
  }
}
