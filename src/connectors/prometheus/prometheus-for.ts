import { SteadyopsError } from '../../lib/errors.ts';
import type { ResolvedModel, ResolvedService } from '../../model/resolve.ts';
import { createPrometheusClient, type PrometheusClient } from './prometheus-client.ts';

/** Hands out the Prometheus of an environment; one client per URL. */
export type PrometheusFor = (environment: string) => PrometheusClient;

export interface PrometheusForOptions {
  /** one URL for every environment (`--prometheus`, STEADYOPS_PROMETHEUS_URL), over the model's */
  readonly override?: string;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/** Environment.spec.prometheus.url from the model, or the override; a missing URL is a usage error. */
export function prometheusFor(model: ResolvedModel, options: PrometheusForOptions = {}): PrometheusFor {
  const clients = new Map<string, PrometheusClient>();
  return (environment) => {
    const url = options.override ?? model.environments.find((entry) => entry.name === environment)?.prometheus?.url;
    if (!url) {
      const known = model.environments.filter((entry) => entry.prometheus).map((entry) => entry.name);
      throw new SteadyopsError('SO_E_USAGE', {
        detail: `environment "${environment}" has no Prometheus (spec.prometheus.url); environments with one: ${known.join(', ') || 'none'}; or pass --prometheus URL`,
      });
    }
    let client = clients.get(url);
    if (!client) {
      client = createPrometheusClient({ url, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}), ...(options.fetch ? { fetch: options.fetch } : {}) });
      clients.set(url, client);
    }
    return client;
  };
}

/**
 * The environment a service's production signals come from when none is named: the last of its
 * environments by `order` (the model's promotion order), else the highest-ordered one with a Prometheus.
 */
export function defaultEnvironment(model: ResolvedModel, service?: ResolvedService): string | undefined {
  const candidates = model.environments
    .filter((entry) => !service?.environments || service.environments.includes(entry.name))
    .sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  return candidates.at(-1)?.name;
}
