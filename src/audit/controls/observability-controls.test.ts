import { describe, expect, it } from 'vitest';
import { emptyModel } from '../../model/resolve.ts';
import { emptyFacts, type AlertRuleFact, type AuditFacts, type DashboardFact } from '../facts.ts';
import { servicesInExpr } from './alert-routing.ts';
import { describeControl } from './control-cases.ts';
import { ledgerEvent, service, withLedger, withModel } from './control-fixtures.ts';
import { observabilityControls } from './observability-controls.ts';

const control = (id: string) => observabilityControls.find((entry) => entry.id === id)!;

const slo = { name: 'availability', objective: 99.9, period: '30d', sli: { ratio: { errors: 'e', total: 't' } } };
const withSlo = (name: string, extra = {}) => service(name, { slos: [slo], ...extra });

const rule = (alert: string, extra: Partial<AlertRuleFact> = {}): AlertRuleFact => ({
  location: { file: 'rules/alerts.yml', line: 10 },
  group: 'app',
  alert,
  expr: 'up == 0',
  labels: {},
  annotations: {},
  ...extra,
});

const withRules = (rules: AlertRuleFact[], facts: AuditFacts = emptyFacts()): AuditFacts => ({ ...facts, alertRules: rules });
const dashboard = (title: string, exprs: string[]): DashboardFact => ({ location: { file: `dashboards/${title}.json` }, title, panels: [{ title: 'p', exprs }] });

describeControl(control('OBS-001'), {
  triggers: [{ name: 'a tier-1 service without SLOs', facts: withModel({ services: [service('checkout-api'), withSlo('payments')] }), resources: ['Service checkout-api'] }],
  passes: [
    { name: 'tier-1 with SLOs, tier 2 without', facts: withModel({ services: [withSlo('checkout-api'), service('billing', { tier: 2 })] }) },
    { name: 'experimental tier 1', facts: withModel({ services: [service('labs', { lifecycle: 'experimental' })] }) },
  ],
});

describeControl(control('OBS-002'), {
  triggers: [
    {
      name: 'tier-2 and tier-3 services without SLOs',
      facts: withModel({ services: [service('billing', { tier: 2 }), service('notify', { tier: 3 }), service('checkout-api')] }),
      resources: ['Service billing', 'Service notify'],
    },
  ],
  passes: [{ name: 'tier 2 with an SLO', facts: withModel({ services: [withSlo('billing', { tier: 2 })] }) }],
});

describeControl(control('OBS-003'), {
  triggers: [
    {
      name: 'a tier-1 SLO with only ticket routes and ticket rules',
      facts: withRules(
        [rule('CheckoutSlow', { labels: { service: 'checkout-api', severity: 'ticket' } })],
        withModel({ services: [withSlo('checkout-api', { alerts: [{ alertname: 'CheckoutSlow', severity: 'ticket' }] })] }),
      ),
      resources: ['Service checkout-api'],
    },
  ],
  passes: [
    { name: 'a paging route', facts: withModel({ services: [withSlo('checkout-api', { alerts: [{ alertname: 'CheckoutDown', severity: 'page' }] })] }) },
    {
      name: 'a paging rule selecting the service',
      facts: withRules([rule('CheckoutDown', { expr: 'sum(rate(x{service="checkout-api"}[5m])) > 1', labels: { severity: 'critical' } })], withModel({ services: [withSlo('checkout-api')] })),
    },
    { name: 'no SLO (OBS-001 covers it)', facts: withModel({ services: [service('checkout-api')] }) },
  ],
});

const sloless = withModel({
  services: [withSlo('checkout-api', { alerts: [{ alertname: 'CheckoutDown' }] }), service('billing', { tier: 2, alerts: [{ alertname: 'BillingLate' }] }), service('notify', { tier: 3 })],
});

describeControl(control('OBS-004'), {
  triggers: [
    {
      name: 'rules attributed by label, selector and route to services without SLOs',
      facts: withRules(
        [
          rule('BillingLate'),
          rule('BillingErrors', { labels: { service: 'billing' } }),
          rule('NotifyBacklog', { expr: 'max(queue{job="notify"}) > 10' }),
          rule('CheckoutDown', { labels: { service: 'checkout-api' } }),
          rule('Unknown', { labels: { service: 'legacy' } }),
        ],
        sloless,
      ),
      resources: ['Service billing', 'Service notify'],
    },
  ],
  passes: [{ name: 'rules of a service with an SLO', facts: withRules([rule('CheckoutDown')], sloless) }],
});

describeControl(control('OBS-005'), {
  triggers: [
    {
      name: 'a dashboard by selector and one by title',
      facts: {
        ...sloless,
        dashboards: [dashboard('Billing runs', ['sum(rate(jobs_total{service=~"billing|checkout-api"}[5m]))']), dashboard('notify overview', ['up']), dashboard('Checkout', ['up{service="checkout-api"}'])],
      },
      resources: ['Dashboard Billing runs', 'Dashboard notify overview'],
    },
  ],
  passes: [{ name: 'dashboards of services with SLOs, or of no model service', facts: { ...sloless, dashboards: [dashboard('Checkout', ['up{service="checkout-api"}']), dashboard('Nodes', ['node_load1'])] } }],
});

describeControl(control('OBS-006'), {
  triggers: [
    {
      name: 'rules with no owner anywhere',
      facts: withRules([rule('DiskFull'), rule('LegacyDown', { labels: { service: 'legacy' } }), rule('CheckoutDown'), rule('NodeDown', { labels: { team: 'platform' } })], sloless),
      resources: ['Alert DiskFull', 'Alert LegacyDown'],
    },
    { name: 'without a model, only labels count', facts: withRules([rule('CheckoutDown', { labels: { service: 'checkout-api' } })]), resources: ['Alert CheckoutDown'] },
  ],
  passes: [
    {
      name: 'owned by label, service or route',
      facts: withRules([rule('NodeDown', { labels: { owner: 'platform' } }), rule('X', { expr: 'up{service="billing"} == 0' }), rule('CheckoutDown')], sloless),
    },
  ],
});

describeControl(control('OBS-007'), {
  triggers: [
    {
      name: 'rules without a runbook annotation or route runbook',
      facts: withRules([rule('CheckoutDown'), rule('DiskFull', { labels: { severity: 'page' } }), rule('Info', { labels: { severity: 'info' } })], sloless),
      resources: ['Alert CheckoutDown', 'Alert DiskFull'],
    },
  ],
  passes: [
    {
      name: 'runbook by annotation or by model route',
      facts: withRules(
        [rule('DiskFull', { annotations: { runbook_url: 'https://wiki/disk' } }), rule('CheckoutDown')],
        withModel({ services: [withSlo('checkout-api', { alerts: [{ alertname: 'CheckoutDown', runbook: 'runbooks/checkout.md' }] })] }),
      ),
    },
  ],
});

describeControl(control('OBS-008'), {
  triggers: [
    {
      name: 'paging by label or by route, with only a description',
      facts: withRules(
        [rule('DiskFull', { labels: { severity: 'critical' }, annotations: { description: 'Disk is full' } }), rule('CheckoutDown'), rule('Slow', { labels: { severity: 'ticket' } })],
        withModel({ services: [withSlo('checkout-api', { alerts: [{ alertname: 'CheckoutDown', severity: 'page' }] })] }),
      ),
      resources: ['Alert DiskFull', 'Alert CheckoutDown'],
    },
  ],
  passes: [
    {
      name: 'first action by annotation or by route',
      facts: withRules(
        [rule('DiskFull', { labels: { severity: 'page' }, annotations: { first_action: 'Expand the volume.' } }), rule('CheckoutDown')],
        withModel({ services: [withSlo('checkout-api', { alerts: [{ alertname: 'CheckoutDown', severity: 'page', firstAction: 'Roll back.' }] })] }),
      ),
    },
  ],
});

const firing = (alertname: string, environment = 'production') =>
  ledgerEvent('alert.firing', 3, { alertname, fingerprint: `f-${alertname}`, severity: 'page', labels: {}, startsAt: '2026-11-26T06:00:00Z', service: 'billing', environment });

describeControl(control('OBS-009'), {
  triggers: [
    {
      name: 'an unrouted alert firing twice in production',
      facts: withLedger([firing('KafkaLag'), firing('KafkaLag'), firing('BillingLate'), firing('Watchdog'), firing('StagingOnly', 'staging')], sloless),
      resources: ['Alert KafkaLag'],
    },
  ],
  passes: [{ name: 'routed alerts only', facts: withLedger([firing('BillingLate'), firing('CheckoutDown')], sloless) }],
});

const paged = (alertname: string, extra: Record<string, unknown> = {}) =>
  ledgerEvent('alert.firing', 2, { alertname, fingerprint: `p-${alertname}`, severity: 'critical', labels: {}, startsAt: '2026-11-26T07:00:00Z', environment: 'production', ...extra });

describeControl(control('OBS-010'), {
  triggers: [
    {
      name: 'pages that reach no owner, or an owner with no runbook or first action',
      facts: withLedger(
        [
          paged('NodeDiskFilling'),
          paged('NodeDiskFilling'),
          paged('BillingLate', { service: 'billing' }),
          paged('CheckoutDown', { service: 'checkout-api', annotations: { runbook_url: 'https://wiki/checkout' } }),
          paged('Watchdog'),
          paged('StagingDisk', { environment: 'staging' }),
        ],
        sloless,
      ),
      resources: ['Alert NodeDiskFilling', 'Alert BillingLate', 'Alert CheckoutDown'],
    },
  ],
  passes: [
    {
      name: 'pages with a route or annotations giving runbook and first action, and tickets',
      facts: withLedger(
        [
          paged('CheckoutDown', { service: 'checkout-api', annotations: { runbook_url: 'https://wiki/checkout', first_action: 'Roll back.' } }),
          paged('QueueSlow', { service: 'notify', severity: 'warning' }),
        ],
        sloless,
      ),
    },
  ],
});

describe('servicesInExpr', () => {
  it('reads service, app and job selectors and regex alternatives, keeping model services only', () => {
    const model = { ...emptyModel(), services: [service('a'), service('b'), service('c')] };
    expect(servicesInExpr(model, 'sum(x{service="a"}) / sum(y{app=~"b|zz", job="c", other="a"})')).toEqual(['a', 'b', 'c']);
    expect(servicesInExpr(model, 'up{instance="a"}')).toEqual([]);
  });
});
