import type { CloudEventInput, EventToAppend } from '../../src/ledger/types.ts';

/** A valid deploy event; `n` makes it unique, `at` sets its time. */
export function deployEvent(n: number, at: Date, overrides: Partial<CloudEventInput> = {}): EventToAppend {
  const service = ['checkout-api', 'payments-gateway', 'auth-service'][n % 3] as string;
  const environment = n % 2 === 0 ? 'production' : 'staging';
  return {
    actor: `github:dev-${n % 5}`,
    event: {
      specversion: '1.0',
      id: `deploy-${n}`,
      source: `/github/northwind/${service}`,
      type: 'dev.steadyops.deploy.finished',
      subject: service,
      time: at.toISOString(),
      datacontenttype: 'application/json',
      data: { service, environment, version: `v1.${n}.0`, commit: 'a1b2c3d4e5f6', strategy: 'rolling' },
      ...overrides,
    },
  };
}

export function deployEvents(count: number, start: Date, stepMs = 1_000, offset = 0): EventToAppend[] {
  return Array.from({ length: count }, (_, i) => deployEvent(offset + i, new Date(start.getTime() + i * stepMs)));
}
