import { describe, expect, it } from 'vitest';
import { ownersOf, parseCodeowners, patternToRegExp, teamSlug } from './codeowners.ts';

describe('CODEOWNERS patterns', () => {
  it.each([
    ['*', 'any/file.txt', true],
    ['*.yaml', 'deploy/k8s/app.yaml', true],
    ['*.yaml', 'deploy/k8s/app.yml', false],
    ['/deploy/', 'deploy/app.yaml', true],
    ['/deploy/', 'other/deploy/app.yaml', false],
    ['deploy/', 'other/deploy/app.yaml', true],
    ['apps/', 'x/apps/a.yaml', true],
    ['/services/checkout', 'services/checkout/k8s/deployment.yaml', true],
    ['/services/checkout', 'services/checkout-v2/deployment.yaml', false],
    ['docs/*', 'docs/readme.md', true],
    ['docs/*', 'docs/build/readme.md', false],
    ['apps/*/k8s', 'apps/web/k8s/deploy.yaml', true],
    ['**/k8s/', 'a/b/k8s/deploy.yaml', true],
    ['/build/logs/**', 'build/logs/a/b.txt', true],
    ['service?.yaml', 'serviceA.yaml', true],
  ])('%s matches %s: %s', (pattern, path, expected) => {
    expect(patternToRegExp(pattern).test(path)).toBe(expected);
  });

  it('parses rules, skipping comments and blank lines; the last matching rule wins', () => {
    const rules = parseCodeowners('# owners\n* @acme/platform\n\n/services/checkout/ @acme/payments @ada # payments\n');
    expect(rules).toEqual([
      { pattern: '*', owners: ['@acme/platform'], line: 2 },
      { pattern: '/services/checkout/', owners: ['@acme/payments', '@ada'], line: 4 },
    ]);
    expect(ownersOf(rules, 'services/checkout/deploy.yaml')).toEqual(['@acme/payments', '@ada']);
    expect(ownersOf(rules, 'services/search/deploy.yaml')).toEqual(['@acme/platform']);
    expect(ownersOf([], 'x')).toEqual([]);
  });

  it.each([
    ['@acme/payments', 'payments'],
    ['@ada', undefined],
    ['ada@acme.example', undefined],
  ])('teamSlug(%s)', (owner, slug) => {
    expect(teamSlug(owner)).toBe(slug);
  });
});
