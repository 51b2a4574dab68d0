import type { CloudEventInput, EventToAppend } from '../src/ledger/types.ts';

const services = Array.from({ length: 40 }, (_, i) => `service-${String(i).padStart(2, '0')}`);
const environments = ['production', 'staging'];

/**
 * A realistic ledger event, about 400 bytes once canonicalised: a deploy, config or flag change
 * for one of 40 services. `n` makes (source, id) unique; `prefix` keeps separate runs apart.
 */
export function benchEvent(n: number, at: Date, prefix = 'ev'): CloudEventInput {
  const service = services[n % services.length] as string;
  const environment = environments[n % 2] as string;
  const commit = (n * 2_654_435_761 >>> 0).toString(16).padStart(8, '0') + 'c0ffee1234';
  const base = { specversion: '1.0' as const, id: `${prefix}-${n}`, subject: service, time: at.toISOString(), datacontenttype: 'application/json' };
  switch (n % 3) {
    case 0:
      return {
        ...base,
        source: `/github/northwind/${service}`,
        type: 'dev.steadyops.deploy.finished',
        data: { service, environment, version: `v2.${n % 97}.${n % 13}`, previousVersion: `v2.${n % 97}.0`, commit, strategy: 'rolling', deployId: `run-${n}`, url: `https://github.com/northwind/${service}/actions/runs/${n}` },
      };
    case 1:
      return {
        ...base,
        source: `/kubernetes/${environment}/${service}`,
        type: 'dev.steadyops.config.changed',
        data: { service, environment, resource: `configmap/${service}-settings`, keys: ['POOL_SIZE', 'TIMEOUT_MS', 'RETRY_LIMIT'], summary: 'tuned connection pool and retries after load test', commit },
      };
    default:
      return {
        ...base,
        source: `/flags/${environment}`,
        type: 'dev.steadyops.flag.changed',
        data: { flag: `${service}-new-checkout-flow-${n % 17}`, environment, service, enabled: n % 4 !== 0, previousEnabled: n % 4 === 0, rolloutPercent: n % 101, provider: 'unleash-self-hosted' },
      };
  }
}

export function benchActor(n: number): string {
  return `github:engineer-${n % 25}`;
}

/** `count` events from `first`, evenly spread from `start` to `end` (time order = sequence order). */
export function benchEvents(first: number, count: number, start: Date, end: Date, totalForSpread: number, prefix = 'ev'): EventToAppend[] {
  const step = (end.getTime() - start.getTime()) / Math.max(1, totalForSpread);
  return Array.from({ length: count }, (_, i) => {
    const n = first + i;
    return { event: benchEvent(n, new Date(start.getTime() + Math.floor(n * step)), prefix), actor: benchActor(n) };
  });
}
