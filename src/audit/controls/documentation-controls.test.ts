import { describe, expect, it } from 'vitest';
import { describeControl } from './control-cases.ts';
import { ledgerEvent, service, withLedger, withModel } from './control-fixtures.ts';
import { documentationControls, runbookPath } from './documentation-controls.ts';

const control = (id: string) => documentationControls.find((entry) => entry.id === id)!;

const documented = service('checkout-api', {
  runbooks: [{ name: 'Checkout', path: 'runbooks/checkout-api.md' }],
  alerts: [{ alertname: 'CheckoutDown', severity: 'page', runbook: './runbooks/checkout-api.md#errors', firstAction: 'Roll back.' }],
});

describeControl(control('DOC-001'), {
  triggers: [
    {
      name: 'a service runbook and an alert runbook that are missing',
      facts: withModel(
        {
          services: [
            documented,
            service('billing', { runbooks: [{ name: 'Billing', path: 'runbooks/billing.md' }], alerts: [{ alertname: 'BillingLate', runbook: 'runbooks/billing.md' }, { alertname: 'BillingStuck', runbook: 'docs/stuck.md' }] }),
          ],
        },
        { runbooks: ['runbooks/checkout-api.md'] },
      ),
      resources: ['Service billing runbook runbooks/billing.md', 'Service billing runbook docs/stuck.md'],
    },
  ],
  passes: [
    { name: 'paths present (with ./ and #anchors)', facts: withModel({ services: [documented] }, { runbooks: ['runbooks/checkout-api.md'] }) },
    { name: 'URLs are not checked', facts: withModel({ services: [service('x', { runbooks: [{ name: 'wiki', url: 'https://wiki.example/x' }], alerts: [{ alertname: 'A', runbook: 'https://wiki.example/a' }] })] }) },
  ],
});

describeControl(control('DOC-002'), {
  triggers: [
    {
      name: 'paging routes missing a runbook or a first action',
      facts: withModel({
        services: [service('payments', { alerts: [{ alertname: 'AuthErrors', severity: 'page', runbook: 'r.md' }, { alertname: 'Down', severity: 'page', firstAction: 'Fail over.' }, { alertname: 'Slow', severity: 'ticket' }] })],
      }),
      resources: ['Alert route payments/AuthErrors', 'Alert route payments/Down'],
    },
  ],
  passes: [{ name: 'complete paging routes, bare ticket routes', facts: withModel({ services: [documented, service('b', { alerts: [{ alertname: 'Late', severity: 'ticket' }] })] }) }],
});

describeControl(control('DOC-003'), {
  triggers: [{ name: 'a tier-1 service with no runbook at all', facts: withModel({ services: [service('fraud'), documented] }), resources: ['Service fraud'] }],
  passes: [
    { name: 'a runbook on an alert route is enough', facts: withModel({ services: [service('fraud', { alerts: [{ alertname: 'Slow', runbook: 'runbooks/fraud.md' }] })] }) },
    { name: 'tier 2 without runbook', facts: withModel({ services: [service('billing', { tier: 2 })] }) },
  ],
});

const config = (hours: number, extra: Record<string, unknown> = {}, environment = 'production') =>
  ledgerEvent('config.changed', hours, { service: 'checkout-api', environment, resource: 'configmap/payments/checkout-api', keys: ['HTTP_TIMEOUT_MS'], ...extra }, { actor: 'github:ana' });
const deploy = (hours: number, environment = 'production', actor = 'system:github-actions') =>
  ledgerEvent('deploy.started', hours, { service: 'checkout-api', environment, version: `v-${hours}` }, { actor });
const pipeline = (hours: number, branch: string) => ledgerEvent('pipeline.started', hours, { pipeline: 'ci', runId: `r${hours}`, branch }, { subject: 'checkout-api' });
const watcherDeploy = (hours: number) =>
  ledgerEvent('deploy.started', hours, { service: 'search-api', environment: 'production', version: 'registry/search:hotfix' }, { actor: 'system:kubernetes' });
const infra = (hours: number, extra: Record<string, unknown> = {}) =>
  ledgerEvent('infra.applied', hours, { environment: 'production', workspace: 'prod-data', tool: 'terraform', add: 0, change: 1, destroy: 0, outcome: 'succeeded', ...extra }, { subject: 'core-postgres', actor: 'github:grace' });

describeControl(control('DOC-004'), {
  triggers: [
    {
      name: 'config changes, a hand-made workload change and an infra apply with no record around them',
      facts: withLedger(
        [
          config(50),
          config(30),
          pipeline(30.5, 'feature/timeouts'),
          deploy(20.5, 'staging'),
          config(20),
          watcherDeploy(10),
          infra(5),
          config(3, {}, 'staging'),
        ],
        withModel({ services: [documented, service('search-api', { owner: 'growth' })] }),
      ),
      resources: ['Changes to checkout-api in production', 'Changes to search-api in production', 'Changes to core-postgres in production'],
    },
  ],
  passes: [
    {
      name: 'changes naming their commit, near a deploy, a merge or a release-branch run',
      facts: withLedger([
        config(50, { commit: 'abc1234' }),
        infra(40, { url: 'https://ci.example/run/1' }),
        deploy(31),
        config(30),
        ledgerEvent('git.merge', 20.2, { repo: 'r', sha: 'abc1234', branch: 'main', sourceBranch: 'f', author: 'a' }, { subject: 'checkout-api' }),
        config(20),
        config(10),
        pipeline(9.9, 'main'),
        watcherDeploy(5),
        ledgerEvent('deploy.finished', 5.2, { service: 'search-api', environment: 'production', version: 'v9' }, { actor: 'github:rosa' }),
      ]),
    },
  ],
});

describe('DOC-004 evidence', () => {
  it('counts the changes and describes the latest', () => {
    const [finding] = control('DOC-004').evaluate(withLedger([config(30), config(20)], withModel({ services: [documented] })), new Date('2026-11-26T09:00:00Z'));
    expect(finding).toMatchObject({ service: 'checkout-api', team: 'payments' });
    expect(finding?.evidence).toContain('2 changes to checkout-api in production');
    expect(finding?.evidence).toContain('by github:ana');
  });
});

describe('runbookPath', () => {
  it('drops ./ and anchors and ignores URLs', () => {
    expect(runbookPath('./runbooks/a.md#x')).toBe('runbooks/a.md');
    expect(runbookPath('https://wiki/a')).toBeUndefined();
  });
});
