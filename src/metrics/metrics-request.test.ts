import { describe, expect, it } from 'vitest';
import { SteadyopsError } from '../lib/errors.ts';
import type { ResolvedModel } from '../model/resolve.ts';
import { parseMetricsPeriod, resolveMetricsScope } from './metrics-request.ts';

const model = {
  teams: [{ name: 'payments' }, { name: 'platform' }],
  services: [
    { name: 'checkout-api', owner: 'payments' },
    { name: 'ledger', owner: 'payments' },
    { name: 'gateway', owner: 'platform' },
  ],
} as unknown as ResolvedModel;

function usageError(run: () => unknown): SteadyopsError {
  try {
    run();
  } catch (error) {
    if (error instanceof SteadyopsError) return error;
    throw error;
  }
  throw new Error('expected a usage error');
}

describe('parseMetricsPeriod', () => {
  it.each([
    ['30d', 30],
    ['90d', 90],
    ['2w', 14],
    [undefined, 30],
  ] as const)('%s is %d days', (text, days) => expect(parseMetricsPeriod(text).ms).toBe(days * 86_400_000));

  it.each(['12h', '1.5d', 'soon', '400d'])('rejects %s naming the parameter', (text) => {
    const error = usageError(() => parseMetricsPeriod(text));
    expect(error.code).toBe('SO_E_USAGE');
    expect(error.issues[0]?.path).toBe('period');
  });
});

describe('resolveMetricsScope', () => {
  it('reads the services a team owns from the model', () => {
    expect(resolveMetricsScope({ team: 'payments' }, model)).toEqual({ label: 'team payments', services: ['checkout-api', 'ledger'], environment: 'production' });
  });

  it('scopes one service, or all of them', () => {
    expect(resolveMetricsScope({ service: 'gateway', environment: 'staging' }, model)).toEqual({ label: 'service gateway', services: ['gateway'], environment: 'staging' });
    expect(resolveMetricsScope({}, undefined)).toEqual({ label: 'all services', environment: 'production' });
  });

  it.each([
    [{ team: 'nobody' }, 'team', /unknown team "nobody"; teams: payments, platform/],
    [{ service: 'nothing' }, 'service', /unknown service "nothing"/],
    [{ service: 'gateway', team: 'platform' }, 'team', /either service or team/],
  ])('rejects %j', (request, path, message) => {
    const error = usageError(() => resolveMetricsScope(request, model));
    expect(error.issues[0]?.path).toBe(path);
    expect(error.message).toMatch(message);
  });

  it('needs a model for a team', () => {
    expect(usageError(() => resolveMetricsScope({ team: 'payments' }, undefined)).message).toMatch(/ownership model/);
  });
});
