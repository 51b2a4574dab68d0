import { describe, expect, it } from 'vitest';
import { loadModel } from '../model/load-model.ts';
import { createLiveSubjectResolver, createSubjectResolver, repositoryKey } from './resolve-subject.ts';

const { model } = await loadModel('examples/demo/.steadyops');
const resolve = createSubjectResolver(model);
const checkout = model.services.find((service) => service.name === 'checkout-api');

describe('createSubjectResolver', () => {
  it('resolves by name, by Kubernetes runtime and by repository', () => {
    expect(resolve({ name: 'checkout-api' })).toBe('checkout-api');
    expect(resolve({ name: model.datastores[0]?.name })).toBe(model.datastores[0]?.name);
    if (checkout?.runtime?.kind === 'kubernetes') {
      expect(resolve({ namespace: checkout.runtime.namespace, deployment: checkout.runtime.deployment })).toBe('checkout-api');
    }
    if (checkout?.repo) expect(resolve({ repo: `${checkout.repo.url}.git` })).toBe('checkout-api');
  });

  it('places Terraform addresses claimed in the model, exactly or by prefix', () => {
    const annotated = {
      ...model,
      datastores: model.datastores.map((store, i) => (i === 0 ? { ...store, annotations: { 'steadyops.dev/terraform': 'aws_db_instance.core, module.core_db.*' } } : store)),
    };
    const claim = createSubjectResolver(annotated);
    const owner = model.datastores[0]?.name;
    expect(claim({ terraformAddress: 'aws_db_instance.core' })).toBe(owner);
    expect(claim({ terraformAddress: 'module.core_db.aws_rds_cluster.this' })).toBe(owner);
    expect(claim({ terraformAddress: 'aws_db_instance.other' })).toBeUndefined();
    expect(claim({ name: 'checkout-api', terraformAddress: 'aws_db_instance.core' })).toBe('checkout-api');
  });

  it('leaves what it cannot place unresolved', () => {
    expect(resolve({ name: 'no-such-service' })).toBeUndefined();
    expect(resolve({ namespace: 'nowhere', deployment: 'nothing' })).toBeUndefined();
    expect(resolve({})).toBeUndefined();
  });

  it.each([
    ['https://github.com/Northwind/Checkout-API.git', 'northwind/checkout-api'],
    ['git@github.com:northwind/checkout-api.git', 'northwind/checkout-api'],
    ['northwind/checkout-api', 'northwind/checkout-api'],
    ['ssh://git@github.com/northwind/checkout-api/', 'northwind/checkout-api'],
  ])('%s is repository %s', (reference, key) => {
    expect(repositoryKey(reference)).toBe(key);
  });
});

describe('createLiveSubjectResolver', () => {
  it('follows the model it is given as it changes', () => {
    let current: typeof model | undefined;
    const live = createLiveSubjectResolver(() => current);
    expect(live({ name: 'no-such-service' })).toBe('no-such-service');
    current = model;
    expect(live({ name: 'no-such-service' })).toBeUndefined();
    expect(live({ name: 'checkout-api' })).toBe('checkout-api');
  });
});
