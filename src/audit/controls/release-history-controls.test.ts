import { describe, expect, it } from 'vitest';
import { auditNow, describeControl } from './control-cases.ts';
import { ledgerEvent, policy, service, withLedger, withModel } from './control-fixtures.ts';
import { releaseControls } from './release-controls.ts';

const control = (id: string) => releaseControls.find((entry) => entry.id === id)!;

const deploy = (name: string, version: string, hours: number, extra: { environment?: string; actor?: string; data?: Record<string, unknown> } = {}) =>
  ledgerEvent('deploy.started', hours, { service: name, environment: extra.environment ?? 'production', version, ...extra.data }, { actor: extra.actor ?? 'system:github-actions' });
const finished = (name: string, version: string, hours: number) => ledgerEvent('deploy.finished', hours, { service: name, environment: 'production', version });
const gate = (name: string, version: string, hours: number, decision: 'allow' | 'deny' = 'allow', policyName = 'tier1') =>
  ledgerEvent('gate.decided', hours, { service: name, environment: 'production', policy: policyName, decision, version, checks: [] });
const override = (name: string, version: string, hours: number, by = 'github:ana') =>
  ledgerEvent('gate.overridden', hours, { service: name, environment: 'production', version, reason: 'hotfix', overriddenBy: by, deniedSeq: 1 });

const tier1 = policy('tier1');
const modelWith = (extra: Parameters<typeof withModel>[0] = {}) =>
  withModel({ services: [service('checkout-api', { releasePolicy: 'tier1' }), service('billing', { tier: 2, releasePolicy: 'standard' })], releasePolicies: [tier1, policy('standard')], ...extra });

describeControl(control('REL-002'), {
  triggers: [
    {
      name: 'a tier-1 policy with the error budget in shadow and no approvals',
      facts: withModel({
        services: [service('checkout-api', { releasePolicy: 'weak' }), service('auth', { releasePolicy: 'tier1' })],
        releasePolicies: [policy('weak', { checks: [{ type: 'errorBudget', minRemaining: 0.1, mode: 'shadow' }, { type: 'rollbackPlan' }] }), tier1],
      }),
      resources: ['Service checkout-api'],
    },
  ],
  passes: [
    { name: 'both enforced', facts: modelWith() },
    { name: 'tier 2 with a weak policy', facts: withModel({ services: [service('billing', { tier: 2, releasePolicy: 'weak' })], releasePolicies: [policy('weak', { checks: [{ type: 'rollbackPlan' }] })] }) },
  ],
});

describeControl(control('REL-003'), {
  triggers: [
    {
      name: 'a shadow policy, and an enforce policy whose checks are all shadow',
      facts: withModel({
        services: [service('a', { releasePolicy: 'trial' }), service('b', { releasePolicy: 'quiet' })],
        releasePolicies: [policy('trial', { mode: 'shadow' }), policy('quiet', { checks: [{ type: 'rollbackPlan', mode: 'shadow' }] }), policy('unused', { mode: 'shadow' })],
      }),
      resources: ['ReleasePolicy trial', 'ReleasePolicy quiet'],
    },
  ],
  passes: [{ name: 'one enforced check is enough', facts: withModel({ services: [service('a', { releasePolicy: 'p' })], releasePolicies: [policy('p', { checks: [{ type: 'rollbackPlan' }, { type: 'errorBudget', minRemaining: 0, mode: 'shadow' }] })] }) }],
});

describeControl(control('REL-004'), {
  triggers: [
    {
      name: 'a deploy with no gate, one gated too long before, one gated for staging only',
      facts: withLedger([
        gate('checkout-api', 'v1', 30),
        deploy('checkout-api', 'v1', 29.9),
        finished('checkout-api', 'v1', 29.8),
        gate('checkout-api', 'v2', 20),
        deploy('checkout-api', 'v2', 10),
        deploy('billing', 'v7', 5),
        finished('billing', 'v7', 4.9),
        deploy('billing', 'v8', 3, { environment: 'staging' }),
      ]),
      resources: ['Deploys of checkout-api to production', 'Deploys of billing to production'],
    },
  ],
  passes: [
    {
      name: 'allowed, or overridden, shortly before',
      facts: withLedger([gate('checkout-api', 'v1', 30), deploy('checkout-api', 'v1', 29.9), gate('checkout-api', 'v2', 20, 'deny'), override('checkout-api', 'v2', 19), deploy('checkout-api', 'v2', 18.9)]),
    },
    { name: 'staging deploys need no gate', facts: withLedger([deploy('billing', 'v8', 3, { environment: 'staging' })], modelWith()) },
  ],
});

describe('REL-004 evidence', () => {
  it('counts ungated deploys among all', () => {
    const [finding] = control('REL-004').evaluate(withLedger([gate('checkout-api', 'v1', 30), deploy('checkout-api', 'v1', 29.9), deploy('checkout-api', 'v2', 10)], modelWith()), auditNow);
    expect(finding?.evidence).toContain('1 of 2 deploys of checkout-api to production');
    expect(finding).toMatchObject({ service: 'checkout-api', team: 'payments' });
  });
});

describeControl(control('REL-005'), {
  triggers: [{ name: 'deployed after a deny', facts: withLedger([gate('checkout-api', 'v2', 20, 'deny'), deploy('checkout-api', 'v2', 19)]), resources: ['Deploys of checkout-api to production'] }],
  passes: [
    {
      name: 'a deny then an allow, a deny then an override, a deny never deployed',
      facts: withLedger([
        gate('checkout-api', 'v2', 20, 'deny'),
        gate('checkout-api', 'v2', 19, 'allow'),
        deploy('checkout-api', 'v2', 18.9),
        gate('checkout-api', 'v3', 10, 'deny'),
        override('checkout-api', 'v3', 9),
        deploy('checkout-api', 'v3', 8.9),
        gate('billing', 'v9', 5, 'deny'),
      ]),
    },
  ],
});

describeControl(control('REL-006'), {
  triggers: [
    {
      name: 'services of a policy deployed, no decision names it',
      facts: withLedger([gate('checkout-api', 'v1', 30, 'allow', 'tier1'), deploy('checkout-api', 'v1', 29.9), deploy('billing', 'v2', 10)], modelWith()),
      resources: ['ReleasePolicy standard'],
    },
  ],
  passes: [
    { name: 'every policy evaluated', facts: withLedger([gate('checkout-api', 'v1', 30), deploy('checkout-api', 'v1', 29.9), gate('billing', 'v2', 11, 'allow', 'standard'), deploy('billing', 'v2', 10)], modelWith()) },
    { name: 'a policy whose services did not deploy', facts: withLedger([deploy('billing', 'v2', 10, { environment: 'staging' })], modelWith()) },
  ],
});

const deploysBy = (name: string, people: string[]) =>
  people.map((person, index) => deploy(name, `v${index}`, 100 - index, person.startsWith('data:') ? { data: { triggeredBy: person.slice(5) } } : { actor: person }));

describeControl(control('REL-007'), {
  triggers: [
    {
      name: 'one person ran 4 of 5, attributed by actor or payload',
      facts: withLedger([...deploysBy('billing', ['github:jonas', 'github:jonas', 'data:github:jonas', 'github:jonas', 'github:ana']), ...deploysBy('checkout-api', ['github:ana', 'github:tom', 'github:ana', 'github:tom', 'github:mei'])], modelWith()),
      resources: ['Service billing'],
    },
  ],
  passes: [
    { name: 'only four attributed deploys', facts: withLedger(deploysBy('billing', ['github:jonas', 'github:jonas', 'github:jonas', 'github:jonas', 'system:github-actions'])) },
    { name: 'an even spread', facts: withLedger(deploysBy('billing', ['github:jonas', 'github:ana', 'github:jonas', 'github:ana', 'github:tom'])) },
  ],
});

describeControl(control('REL-008'), {
  triggers: [
    {
      name: 'a service with migrations under a policy without restore freshness',
      facts: withModel({ services: [service('checkout-api', { releasePolicy: 'tier1', migrations: { paths: ['migrations'], layout: 'sql', datastore: 'core-postgres' } })], releasePolicies: [tier1] }),
      resources: ['Service checkout-api'],
    },
  ],
  passes: [
    {
      name: 'restore freshness enforced, or no migrations',
      facts: withModel({
        services: [service('checkout-api', { releasePolicy: 'safe', migrations: { paths: ['migrations'], layout: 'sql' } }), service('web', { releasePolicy: 'tier1' })],
        releasePolicies: [tier1, policy('safe', { checks: [{ type: 'restoreFreshness', maxAge: '35d' }] })],
      }),
    },
  ],
});

describeControl(control('REL-009'), {
  triggers: [
    {
      name: 'three overrides of one gate',
      facts: withLedger([override('checkout-api', 'v1', 30), override('checkout-api', 'v2', 20, 'github:tom'), override('checkout-api', 'v3', 10), override('billing', 'v1', 5)], modelWith()),
      resources: ['Gate of checkout-api in production'],
    },
  ],
  passes: [{ name: 'two overrides', facts: withLedger([override('checkout-api', 'v1', 30), override('checkout-api', 'v2', 20)]) }],
});
