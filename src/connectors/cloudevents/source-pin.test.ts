import { describe, expect, it } from 'vitest';
import type { CloudEventInput } from '../../ledger/types.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import { assertSourcesAllowed, pinnedSourceOf, sourceAllowed } from './source-pin.ts';

const event = (source: string): CloudEventInput => ({ specversion: '1.0', id: source, source, type: 'com.example.x' });

describe('per-source tokens', () => {
  it.each([
    ['source:github-actions', '/github-actions'],
    ['source:/github-actions/', '/github-actions'],
    ['source:argocd/prod', '/argocd/prod'],
    ['ci-deployer', undefined],
    ['sources:x', undefined],
  ])('token %s pins %s', (name, pinned) => {
    expect(pinnedSourceOf(name)).toBe(pinned);
  });

  it.each([
    ['/github-actions', '/github-actions', true],
    ['/github-actions', '/github-actions/northwind/checkout-api', true],
    ['/github-actions', '/github-actions-evil', false],
    ['/github-actions', '/argocd', false],
    ['/github-actions', 'https://github-actions', false],
    ['/argocd/prod', '/argocd/prod/cluster-1', true],
    ['/argocd/prod', '/argocd/staging', false],
  ])('%s allows %s: %s', (pinned, source, allowed) => {
    expect(sourceAllowed(pinned, source)).toBe(allowed);
  });

  it('lets unpinned tokens send any source', () => {
    expect(() => assertSourcesAllowed({ name: 'ci', role: 'operator' }, [event('/a'), event('https://b')])).not.toThrow();
  });

  it('refuses a batch with any foreign source, naming each', () => {
    let error: unknown;
    try {
      assertSourcesAllowed({ name: 'source:github-actions', role: 'operator' }, [event('/github-actions/x'), event('/argocd'), event('/jenkins')]);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(SteadyopsError);
    expect((error as SteadyopsError).code).toBe('SO_E_FORBIDDEN');
    expect((error as SteadyopsError).issues.map((issue) => issue.path)).toEqual(['[1].source', '[2].source']);
    expect((error as SteadyopsError).message).toMatch(/source:github-actions may send only events with source \/github-actions/);
  });
});
