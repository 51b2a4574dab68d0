import { describe, expect, it } from 'vitest';
import { loadModelOrThrow } from './load-model.ts';
import { modelSummary } from './model-summary.ts';
import {
  dependentsOf,
  findDatastore,
  findService,
  resolveSubject,
  servicesOwnedBy,
} from './resolve.ts';

const { model } = await loadModelOrThrow('test/fixtures/model/valid', process.cwd());

describe('resolved model', () => {
  it('is plain JSON with metadata and spec fields flattened and defaults applied', () => {
    expect(JSON.parse(JSON.stringify(model))).toEqual(model);
    const checkout = findService(model, 'checkout');
    expect(checkout).toMatchObject({
      name: 'checkout',
      title: 'Checkout API',
      description: 'Takes orders and charges cards',
      labels: { system: 'commerce' },
      owner: 'payments',
      lifecycle: 'production',
    });
    expect(checkout?.slos?.map((slo) => slo.period)).toEqual(['30d', '7d']);
    const policy = model.releasePolicies[0];
    expect(policy?.checks.find((check) => check.type === 'approvals')).toMatchObject({ allowAuthor: false });
    expect(model.accessRoles[0]?.minApprovals).toBe(1);
  });

  it('finds services by owner and dependents of a datastore', () => {
    expect(servicesOwnedBy(model, 'payments').map((service) => service.name)).toEqual(['checkout']);
    expect(servicesOwnedBy(model, 'nobody')).toEqual([]);
    expect(dependentsOf(model, 'orders-db').map((service) => service.name)).toEqual(['checkout']);
    expect(findDatastore(model, 'orders-db')?.backup?.rpo).toBe('24h');
    expect(findService(model, 'missing')).toBeUndefined();
  });

  it.each([
    ['checkout', { kind: 'Service', name: 'checkout', owner: 'payments' }],
    ['service/payment-gateway', { kind: 'Service', name: 'payment-gateway', owner: 'platform' }],
    ['orders-db', { kind: 'Datastore', name: 'orders-db', owner: 'payments' }],
    ['team/platform', { kind: 'Team', name: 'platform', owner: 'platform' }],
    ['payments', { kind: 'Team', name: 'payments', owner: 'payments' }],
    ['datastore/checkout', undefined],
    ['nothing', undefined],
  ])('resolveSubject(%s)', (subject, expected) => {
    expect(resolveSubject(model, subject)).toEqual(expected);
  });

  it('summarises counts', () => {
    expect(modelSummary(model)).toBe(
      '2 teams, 2 services, 1 datastore, 1 release policy, 1 access role, 2 environments',
    );
  });
});
