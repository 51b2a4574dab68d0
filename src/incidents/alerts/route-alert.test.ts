import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../../ledger/types.ts';
import { emptyModel, type ResolvedModel } from '../../model/resolve.ts';
import { alertGaps, type AlertRule } from './alert-gaps.ts';
import { alertStates } from './alert-states.ts';
import { routeAlert, routeAlertState } from './route-alert.ts';

const model: ResolvedModel = {
  ...emptyModel(),
  teams: [
    {
      name: 'payments',
      labels: {},
      annotations: {},
      timezone: 'Europe/Berlin',
      members: [{ name: 'Ana Lima', email: 'ana@example.com' }, { name: 'Ben Okafor', email: 'ben@example.com' }],
      oncall: { rotation: { members: ['ana@example.com', 'ben@example.com'], period: '7d', handoff: '09:00', start: '2026-01-05' } },
    },
    { name: 'growth', labels: {}, annotations: {}, timezone: 'UTC', members: [{ name: 'Cem', email: 'cem@example.com' }], oncall: { schedule: { provider: 'pagerduty', id: 'PGROW' } } },
  ],
  services: [
    {
      name: 'checkout-api',
      labels: {},
      annotations: {},
      owner: 'payments',
      tier: 1,
      lifecycle: 'production',
      alerts: [
        { alertname: 'CheckoutHighErrorRate', severity: 'page', runbook: 'runbooks/checkout-api.md', firstAction: 'Roll back the last deploy.' },
        { alertname: 'CheckoutLatencyHigh', severity: 'ticket', runbook: 'runbooks/checkout-api.md' },
      ],
    },
    { name: 'search-api', labels: {}, annotations: {}, owner: 'growth', tier: 2, lifecycle: 'production' },
  ],
  datastores: [{ name: 'core-postgres', labels: {}, annotations: {}, engine: 'postgresql', owner: 'payments' }],
};

let seq = 0;
function alertEvent(type: string, at: string, data: Record<string, unknown>, subject?: string): LedgerEvent {
  seq += 1;
  return {
    seq,
    specversion: '1.0',
    id: `e${seq}`,
    source: '/alertmanager/production',
    type: `dev.steadyops.alert.${type}`,
    ...(subject ? { subject } : {}),
    time: at,
    actor: type === 'acknowledged' ? 'pagerduty:ana' : 'system:alertmanager',
    ingested_at: at,
    leaf_hash: '',
    data: { fingerprint: 'f1', alertname: 'CheckoutHighErrorRate', severity: 'critical', labels: {}, startsAt: '2026-06-02T10:00:00Z', ...data },
  };
}

describe('routeAlert', () => {
  it('routes by the model: service, team, on-call at the alert time, runbook and first action', () => {
    const routing = routeAlert(alertEvent('firing', '2026-06-02T10:00:00Z', {}, 'checkout-api'), model);
    expect(routing).toMatchObject({
      service: 'checkout-api',
      team: 'payments',
      severity: 'page',
      runbook: 'runbooks/checkout-api.md',
      firstAction: 'Roll back the last deploy.',
      missing: [],
      onCall: { kind: 'rotation', person: { email: 'ben@example.com', name: 'Ben Okafor' } }, // week 22 since 2026-01-05
    });
  });

  it.each([
    ['annotations fill in what the model route lacks', { alertname: 'CheckoutLatencyHigh', annotations: { first_action: 'Check the pool.' } }, 'checkout-api', { firstAction: 'Check the pool.', missing: [] }],
    ['a route without first action and no annotation', { alertname: 'CheckoutLatencyHigh' }, 'checkout-api', { missing: ['firstAction'] }],
    ['the service label names the service', { alertname: 'SearchSlow', labels: { service: 'search-api' }, annotations: { runbook_url: 'https://x/rb' } }, undefined, { team: 'growth', runbook: 'https://x/rb', missing: ['firstAction'], onCall: { kind: 'schedule', text: 'external schedule pagerduty PGROW' } }],
    ['an unknown alert owned by nobody', { alertname: 'NodeDiskFilling', severity: 'page' }, undefined, { missing: ['owner', 'runbook', 'firstAction'], onCall: { kind: 'none' } }],
    ['an alert about a datastore belongs to its owner', { alertname: 'PostgresReplicationLag', annotations: { runbook: 'r.md', first_action: 'Fail over.' } }, 'core-postgres', { team: 'payments', missing: [] }],
    ['an info alert needs only an owner', { alertname: 'Deployed', severity: 'info', labels: { team: 'growth' } }, undefined, { team: 'growth', missing: [] }],
  ])('%s', (_label, data, subject, expected) => {
    expect(routeAlert(alertEvent('firing', '2026-06-02T10:00:00Z', data, subject), model)).toMatchObject(expected);
  });
});

describe('alertStates', () => {
  const firing = alertEvent('firing', '2026-06-02T10:00:00Z', {}, 'checkout-api');
  const acked = alertEvent('acknowledged', '2026-06-02T10:04:00Z', { acknowledgedAt: '2026-06-02T10:04:00Z' }, 'checkout-api');
  const resolved = alertEvent('resolved', '2026-06-02T10:30:00Z', { endsAt: '2026-06-02T10:30:00Z' }, 'checkout-api');
  const refired = alertEvent('firing', '2026-06-02T11:00:00Z', { startsAt: '2026-06-02T11:00:00Z' }, 'checkout-api');

  it.each([
    ['firing', [firing], { state: 'firing', since: '2026-06-02T10:00:00Z' }],
    ['acknowledged keeps the firing start', [firing, acked], { state: 'acknowledged', since: '2026-06-02T10:00:00Z', acknowledgedAt: '2026-06-02T10:04:00Z', acknowledgedBy: 'pagerduty:ana' }],
    ['resolved', [firing, acked, resolved], { state: 'resolved', since: '2026-06-02T10:30:00Z' }],
    ['fires again after resolving', [firing, resolved, refired], { state: 'firing', since: '2026-06-02T11:00:00Z' }],
  ])('%s', (_label, events, expected) => {
    const [state] = alertStates(events);
    expect(state).toMatchObject(expected);
    expect(routeAlertState(state!, model)).toMatchObject({ ...expected, fingerprint: 'f1', team: 'payments' });
  });

  it('does not depend on the order events arrive in', () => {
    const events = [firing, acked, resolved, refired, alertEvent('firing', '2026-06-02T09:00:00Z', { fingerprint: 'f2', alertname: 'Other' })];
    const expected = alertStates(events);
    fc.assert(fc.property(fc.shuffledSubarray(events, { minLength: events.length }), (shuffled) => {
      expect(alertStates(shuffled)).toEqual(expected);
    }));
  });
});

describe('alertGaps', () => {
  it('lists ledger, rule and model alerts that lack an owner, a runbook or a first action', () => {
    const events = [
      alertEvent('firing', '2026-06-02T10:00:00Z', { alertname: 'NodeDiskFilling', severity: 'page' }),
      alertEvent('firing', '2026-06-02T10:00:00Z', { fingerprint: 'f9', alertname: 'CheckoutLatencyHigh', severity: 'ticket' }, 'checkout-api'),
    ];
    const alerts = alertStates(events).map((state) => routeAlertState(state, model));
    const rules: AlertRule[] = [
      { alert: 'CheckoutHighErrorRate', labels: { severity: 'page' }, annotations: {}, location: { file: 'monitoring/alerts.yaml', line: 5 } },
      { alert: 'BillingRunLate', labels: { severity: 'ticket', team: 'payments' }, annotations: { runbook_url: 'https://x' }, location: { file: 'monitoring/alerts.yaml', line: 14 } },
    ];
    expect(alertGaps({ alerts, rules, model, at: new Date('2026-06-02T10:00:00Z') })).toEqual([
      { alertname: 'BillingRunLate', source: 'rule', sources: ['rule'], missing: ['firstAction'], severity: 'ticket', team: 'payments', where: 'monitoring/alerts.yaml:14' },
      { alertname: 'CheckoutLatencyHigh', source: 'model', sources: ['model', 'ledger'], missing: ['firstAction'], severity: 'ticket', service: 'checkout-api', team: 'payments', where: 'Service checkout-api spec.alerts' },
      { alertname: 'NodeDiskFilling', source: 'ledger', sources: ['ledger'], missing: ['owner', 'runbook', 'firstAction'], severity: 'page' },
    ]);
  });
});
