import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ResolvedModel, ResolvedService } from '../model/resolve.ts';
import { loadModelOrThrow } from '../model/load-model.ts';
import { emptyModel, findReleasePolicy, findService } from '../model/resolve.ts';
import type { ReleaseCheck, ReleasePolicySpec } from '../model/schema.ts';
import { decide, evaluateGate } from './evaluate-gate.ts';
import type { CheckResult, GateRequest, GateSignals } from './types.ts';

const now = new Date('2026-11-26T10:00:00Z'); // a Thursday

const checkout: ResolvedService = {
  name: 'checkout',
  labels: {},
  annotations: {},
  owner: 'payments',
  tier: 1,
  lifecycle: 'production',
  dependsOn: [{ service: 'payment-gateway' }, { datastore: 'orders-db' }, { external: 'stripe' }],
  slos: [
    { name: 'availability', objective: 99.9, period: '30d', sli: { ratio: { errors: 'e', total: 't' } } },
    { name: 'latency', objective: 99, period: '30d', sli: { ratio: { good: 'g', total: 't' } } },
  ],
  rollback: {
    criteria: [{ name: 'error-ratio', query: 'sum(rate(errors[1m]))', threshold: 0.02, failWhen: 'above', consecutiveFailures: 3 }],
    bake: '10m',
    interval: '30s',
  },
};

const bare: ResolvedService = { name: 'bare', labels: {}, annotations: {}, owner: 'payments', tier: 3, lifecycle: 'production' };

const model: ResolvedModel = {
  ...emptyModel(),
  services: [checkout, bare],
  teams: [
    {
      name: 'payments',
      labels: {},
      annotations: {},
      timezone: 'UTC',
      members: [
        { name: 'Ada', email: 'ada@example.com', github: 'ada-gh' },
        { name: 'Bo', email: 'bo@example.com' },
      ],
    },
    {
      name: 'platform',
      labels: {},
      annotations: {},
      timezone: 'UTC',
      members: [{ name: 'Cy', email: 'cy@example.com', github: 'cy-gh' }],
    },
  ],
};

const request: GateRequest = { service: 'checkout', environment: 'production', version: 'v42', author: 'ada@example.com' };

const healthy: GateSignals = {
  errorBudgets: [
    { slo: 'availability', remaining: 0.6 },
    { slo: 'latency', remaining: 0.3 },
  ],
  firingAlerts: [],
  openIncidents: [],
  approvals: [
    { approver: 'bo@example.com', at: '2026-11-26T09:00:00Z' },
    { approver: 'cy@example.com', at: '2026-11-26T09:10:00Z' },
  ],
  restores: [{ datastore: 'orders-db', verifiedAt: '2026-11-20T00:00:00Z' }],
  shipsMigrations: true,
  recentDeploys: [{ at: '2026-11-26T08:00:00Z' }],
};

function evaluateOne(check: ReleaseCheck, signals: GateSignals = healthy, service: ResolvedService = checkout, req = request) {
  const policy: ReleasePolicySpec = { mode: 'enforce', onError: 'deny', checks: [check] };
  const decision = evaluateGate(req, policy, service, model, signals, now);
  return decision.results[0] as CheckResult;
}

const down = { unreachable: 'connection refused' };

type Case = [name: string, check: ReleaseCheck, signals: GateSignals, outcome: CheckResult['outcome'], reason: RegExp];

const errorBudget: ReleaseCheck = { type: 'errorBudget', minRemaining: 0.25 };
const alerts: ReleaseCheck = { type: 'firingAlerts', severities: ['page'], includeDependencies: true };
const alertsOwnOnly: ReleaseCheck = { type: 'firingAlerts', severities: ['page'], includeDependencies: false };
const incidents: ReleaseCheck = { type: 'openIncidents', severities: ['sev1', 'sev2'] };
const approvals: ReleaseCheck = { type: 'approvals', minApprovals: 2, allowAuthor: false };
const approvalsFromPlatform: ReleaseCheck = { type: 'approvals', minApprovals: 1, fromTeams: ['platform'], allowAuthor: false };
const restore: ReleaseCheck = { type: 'restoreFreshness', maxAge: '7d' };
const frequency: ReleaseCheck = { type: 'changeFrequency', max: 2, window: '24h' };
const freeze: ReleaseCheck = {
  type: 'freezeWindow',
  windows: [{ name: 'thursday morning', days: ['thu'], start: '09:00', end: '12:00', timezone: 'UTC' }],
};
const alert = (service: string, severity = 'page') => ({ alertname: 'HighErrorRate', severity, service, startsAt: '2026-11-26T09:50:00Z' });

describe('evaluateGate checks', () => {
  it.each<Case>([
    ['errorBudget pass', errorBudget, healthy, 'pass', /at least 25% of its error budget left/],
    ['errorBudget fail', errorBudget, { ...healthy, errorBudgets: [{ slo: 'availability', remaining: 0.6 }, { slo: 'latency', remaining: 0.1 }] }, 'fail', /latency has 10% left, below the required 25%/],
    ['errorBudget overspent', errorBudget, { ...healthy, errorBudgets: [{ slo: 'availability', remaining: -0.5 }, { slo: 'latency', remaining: 1 }] }, 'fail', /availability has -50% left/],
    ['errorBudget no data', errorBudget, { ...healthy, errorBudgets: [{ slo: 'availability', remaining: 0.6 }, { slo: 'latency', remaining: undefined }] }, 'error', /no error budget data for SLO latency/],
    ['errorBudget SLO absent from signals', errorBudget, { ...healthy, errorBudgets: [{ slo: 'availability', remaining: 0.6 }] }, 'error', /no error budget data for SLO latency/],
    ['errorBudget unreachable', errorBudget, { ...healthy, errorBudgets: down }, 'error', /error budgets could not be read \(connection refused\)/],
    ['errorBudget not gathered', errorBudget, { ...healthy, errorBudgets: undefined }, 'error', /error budgets were not gathered/],
    ['firingAlerts pass', alerts, healthy, 'pass', /No page alert is firing on checkout, payment-gateway/],
    ['firingAlerts fail on the service', alerts, { ...healthy, firingAlerts: [alert('checkout')] }, 'fail', /HighErrorRate \(page\) on checkout/],
    ['firingAlerts fail on a dependency', alerts, { ...healthy, firingAlerts: [alert('payment-gateway')] }, 'fail', /on payment-gateway/],
    ['firingAlerts ignores dependencies when told', alertsOwnOnly, { ...healthy, firingAlerts: [alert('payment-gateway')] }, 'pass', /No page alert/],
    ['firingAlerts ignores other severities', alerts, { ...healthy, firingAlerts: [alert('checkout', 'ticket')] }, 'pass', /No page alert/],
    ['firingAlerts ignores unrelated services', alerts, { ...healthy, firingAlerts: [alert('search')] }, 'pass', /No page alert/],
    ['firingAlerts unreachable', alerts, { ...healthy, firingAlerts: down }, 'error', /firing alerts could not be read/],
    ['openIncidents pass', incidents, healthy, 'pass', /checkout has no open sev1, sev2 incident/],
    ['openIncidents fail', incidents, { ...healthy, openIncidents: [{ id: 'INC-7', severity: 'sev2', services: ['search', 'checkout'] }] }, 'fail', /open incidents: INC-7 \(sev2\)/],
    ['openIncidents ignores lower severity', incidents, { ...healthy, openIncidents: [{ id: 'INC-8', severity: 'sev3', services: ['checkout'] }] }, 'pass', /no open/],
    ['openIncidents ignores other services', incidents, { ...healthy, openIncidents: [{ id: 'INC-9', severity: 'sev1', services: ['search'] }] }, 'pass', /no open/],
    ['openIncidents not gathered', incidents, { ...healthy, openIncidents: undefined }, 'error', /open incidents were not gathered/],
    ['freezeWindow fail inside', freeze, healthy, 'fail', /release freeze is in effect \(thursday morning\)/],
    ['approvals pass', approvals, healthy, 'pass', /2 approvals, at least the 2 required/],
    ['approvals author does not count', approvals, { ...healthy, approvals: [{ approver: 'ada@example.com', at: 'x' }, { approver: 'bo@example.com', at: 'x' }] }, 'fail', /1 of the 2 approvals it needs \(the author does not count\)/],
    ['approvals author by GitHub login does not count', approvals, { ...healthy, approvals: [{ approver: 'ada-gh', at: 'x' }, { approver: 'bo@example.com', at: 'x' }] }, 'fail', /1 of the 2/],
    ['approvals the same person twice counts once', approvals, { ...healthy, approvals: [{ approver: 'cy-gh', at: 'x' }, { approver: 'CY@example.com', at: 'x' }] }, 'fail', /1 of the 2/],
    ['approvals from team: member counts', approvalsFromPlatform, healthy, 'pass', /1 approval from platform/],
    ['approvals from team: outsiders do not count', approvalsFromPlatform, { ...healthy, approvals: [{ approver: 'bo@example.com', team: 'platform', at: 'x' }, { approver: 'eve@example.com', at: 'x' }] }, 'fail', /0 of the 1 approval it needs from platform/],
    ['approvals unreachable', approvals, { ...healthy, approvals: down }, 'error', /approvals could not be read/],
    ['restoreFreshness pass', restore, healthy, 'pass', /Every datastore of checkout had a verified restore within 7d/],
    ['restoreFreshness stale', restore, { ...healthy, restores: [{ datastore: 'orders-db', verifiedAt: '2026-11-10T10:00:00Z' }] }, 'fail', /orders-db was last restored 16d ago/],
    ['restoreFreshness uses the latest restore', restore, { ...healthy, restores: [{ datastore: 'orders-db', verifiedAt: '2026-11-01T00:00:00Z' }, { datastore: 'orders-db', verifiedAt: '2026-11-25T00:00:00Z' }] }, 'pass', /within 7d/],
    ['restoreFreshness never restored', restore, { ...healthy, restores: [{ datastore: 'other-db', verifiedAt: '2026-11-25T00:00:00Z' }] }, 'fail', /orders-db has never had a verified restore/],
    ['restoreFreshness no migrations', restore, { ...healthy, shipsMigrations: false, restores: down }, 'pass', /ships no database migrations/],
    ['restoreFreshness migrations unknown', restore, { ...healthy, shipsMigrations: undefined }, 'error', /migration facts of the release were not gathered/],
    ['restoreFreshness restores unreachable', restore, { ...healthy, restores: down }, 'error', /restore verifications could not be read/],
    ['restoreFreshness bad timestamp', restore, { ...healthy, restores: [{ datastore: 'orders-db', verifiedAt: 'yesterday' }] }, 'error', /"yesterday" is not an RFC 3339 time/],
    ['rollbackPlan pass', { type: 'rollbackPlan' }, healthy, 'pass', /declares 1 rollback criterion\./],
    ['changeFrequency pass', frequency, healthy, 'pass', /deployed 1 time in the last 24h, within the limit of 2/],
    ['changeFrequency fail', frequency, { ...healthy, recentDeploys: [{ at: '2026-11-26T08:00:00Z' }, { at: '2026-11-25T12:00:00Z' }] }, 'fail', /already deployed 2 times in the last 24h; this release would exceed the limit of 2/],
    ['changeFrequency ignores deploys outside the window', frequency, { ...healthy, recentDeploys: [{ at: '2026-11-26T08:00:00Z' }, { at: '2026-11-25T10:00:00Z' }, { at: '2026-11-26T11:00:00Z' }] }, 'pass', /deployed 1 time in/],
    ['changeFrequency not gathered', frequency, { ...healthy, recentDeploys: undefined }, 'error', /recent deploys were not gathered/],
  ])('%s', (_name, check, signals, outcome, reason) => {
    const result = evaluateOne(check, signals);
    expect(result).toMatchObject({ type: check.type, mode: 'enforce', outcome });
    expect(result.reason).toMatch(reason);
    expect(result.reason).toMatch(/^\S[^\n]*\.$/);
  });

  it.each<[string, ReleaseCheck, CheckResult['outcome'], RegExp]>([
    ['errorBudget without SLOs', errorBudget, 'error', /bare declares no SLOs/],
    ['rollbackPlan without criteria', { type: 'rollbackPlan' }, 'fail', /bare declares no rollback criteria/],
    ['restoreFreshness without datastores', restore, 'pass', /bare depends on no datastore/],
    ['firingAlerts without dependencies', alerts, 'pass', /on bare\./],
  ])('%s (service with nothing declared)', (_name, check, outcome, reason) => {
    const result = evaluateOne(check, healthy, bare);
    expect(result.outcome).toBe(outcome);
    expect(result.reason).toMatch(reason);
  });

  it('freezeWindow passes outside every window', () => {
    const result = evaluateGate(request, { mode: 'enforce', onError: 'deny', checks: [freeze] }, checkout, model, healthy, new Date('2026-11-26T12:00:00Z'));
    expect(result.results[0]).toMatchObject({ outcome: 'pass', reason: 'No release freeze is in effect at 2026-11-26T12:00:00.000Z.' });
  });

  it('approvals count the author when allowAuthor is set', () => {
    const signals = { ...healthy, approvals: [{ approver: 'ada@example.com', at: 'x' }, { approver: 'bo@example.com', at: 'x' }] };
    expect(evaluateOne({ ...approvals, allowAuthor: true } as ReleaseCheck, signals).outcome).toBe('pass');
  });

  it('records what each check looked at', () => {
    expect(evaluateOne(frequency).inputs).toEqual({ max: 2, window: '24h', recentDeploys: 1 });
    expect(evaluateOne(errorBudget).inputs).toEqual({ minRemaining: 0.25, remaining: { availability: 0.6, latency: 0.3 } });
  });
});

describe('evaluateGate decision', () => {
  const failing: ReleaseCheck = { type: 'firingAlerts', severities: ['page'], includeDependencies: true };
  const failingSignals: GateSignals = { ...healthy, firingAlerts: [alert('checkout')], recentDeploys: down };

  it.each<[string, ReleasePolicySpec, 'allow' | 'deny', number, number, boolean]>([
    ['all pass', { mode: 'enforce', onError: 'deny', checks: [{ type: 'rollbackPlan' }, errorBudget] }, 'allow', 0, 0, false],
    ['an enforced failure denies', { mode: 'enforce', onError: 'deny', checks: [{ type: 'rollbackPlan' }, failing] }, 'deny', 1, 0, false],
    ['a shadow check failure is reported, not denying', { mode: 'enforce', onError: 'deny', checks: [{ type: 'rollbackPlan' }, { ...failing, mode: 'shadow' }] }, 'allow', 0, 1, false],
    ['a shadow policy never denies', { mode: 'shadow', onError: 'deny', checks: [failing, frequency] }, 'allow', 0, 2, false],
    ['an error with onError deny denies', { mode: 'enforce', onError: 'deny', checks: [frequency] }, 'deny', 1, 0, true],
    ['an error with onError allow allows', { mode: 'enforce', onError: 'allow', checks: [frequency] }, 'allow', 0, 0, true],
    ['a shadow error does not apply onError', { mode: 'enforce', onError: 'deny', checks: [{ ...frequency, mode: 'shadow' }] }, 'allow', 0, 1, false],
  ])('%s', (_name, policy, decision, enforced, shadow, onErrorApplied) => {
    const result = evaluateGate(request, policy, checkout, model, failingSignals, now);
    expect(result.decision).toBe(decision);
    expect(result.enforcedFailures).toHaveLength(enforced);
    expect(result.shadowFailures).toHaveLength(shadow);
    expect(result.onErrorApplied).toBe(onErrorApplied);
    expect(result.results.map((entry) => entry.type)).toEqual(policy.checks.map((check) => check.type));
  });
});

describe('evaluateGate properties', () => {
  const resultArb = fc.record({
    type: fc.constantFrom('errorBudget', 'firingAlerts', 'rollbackPlan', 'changeFrequency' as const),
    mode: fc.constantFrom('enforce', 'shadow' as const),
    outcome: fc.constantFrom('pass', 'fail', 'error' as const),
    reason: fc.constant('A reason.'),
    inputs: fc.constant({}),
  }) as fc.Arbitrary<CheckResult>;
  const onErrorArb = fc.constantFrom('deny', 'allow' as const);

  const checkArb = fc.oneof(
    fc.record({ type: fc.constant('errorBudget' as const), minRemaining: fc.double({ min: 0, max: 1, noNaN: true }) }),
    fc.record({ type: fc.constant('firingAlerts' as const), severities: fc.constant(['page' as const]), includeDependencies: fc.boolean() }),
    fc.record({ type: fc.constant('openIncidents' as const), severities: fc.constant(['sev1' as const]) }),
    fc.record({ type: fc.constant('approvals' as const), minApprovals: fc.integer({ min: 1, max: 3 }), allowAuthor: fc.boolean() }),
    fc.record({ type: fc.constant('restoreFreshness' as const), maxAge: fc.constantFrom('1d', '7d', '30d') }),
    fc.record({ type: fc.constant('rollbackPlan' as const) }),
    fc.record({ type: fc.constant('changeFrequency' as const), max: fc.integer({ min: 1, max: 3 }), window: fc.constantFrom('1h', '24h') }),
    fc.record({
      type: fc.constant('freezeWindow' as const),
      windows: fc.constant([{ days: ['thu' as const], start: '09:00', end: '12:00', timezone: 'UTC' }]),
    }),
  ) as fc.Arbitrary<ReleaseCheck>;
  const modeArb = fc.option(fc.constantFrom('enforce', 'shadow' as const), { nil: undefined });
  const modedCheckArb = fc.tuple(checkArb, modeArb).map(([check, mode]) => (mode ? { ...check, mode } : check) as ReleaseCheck);
  const signalsArb: fc.Arbitrary<GateSignals> = fc.record({
    errorBudgets: fc.constantFrom(healthy.errorBudgets, down, [{ slo: 'availability', remaining: 0.01 }, { slo: 'latency', remaining: 0.9 }]),
    firingAlerts: fc.constantFrom([], [alert('checkout')], down),
    openIncidents: fc.constantFrom([], [{ id: 'INC-1', severity: 'sev1', services: ['checkout'] }]),
    approvals: fc.constantFrom(healthy.approvals, [], down),
    restores: fc.constantFrom(healthy.restores, [], down),
    shipsMigrations: fc.boolean(),
    recentDeploys: fc.constantFrom([], healthy.recentDeploys, [{ at: '2026-11-26T09:30:00Z' }, { at: '2026-11-26T09:40:00Z' }]),
  });
  const timeArb = fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-01-01T00:00:00Z'), noInvalidDate: true });
  const policyArb = fc.record({
    mode: fc.constantFrom('enforce', 'shadow' as const),
    onError: onErrorArb,
    checks: fc.array(modedCheckArb, { minLength: 1, maxLength: 6 }),
  });

  it('a shadow policy never denies', () => {
    fc.assert(
      fc.property(policyArb, signalsArb, timeArb, (policy, signals, at) => {
        const decision = evaluateGate(request, { ...policy, mode: 'shadow' }, checkout, model, signals, at);
        expect(decision.decision).toBe('allow');
        expect(decision.enforcedFailures).toEqual([]);
      }),
    );
  });

  it('adding a passing check never flips allow to deny', () => {
    fc.assert(
      fc.property(policyArb, modedCheckArb, fc.nat(), signalsArb, timeArb, (policy, extra, position, signals, at) => {
        const before = evaluateGate(request, policy, checkout, model, signals, at);
        const alone = evaluateGate(request, { ...policy, checks: [extra] }, checkout, model, signals, at);
        fc.pre(before.decision === 'allow' && alone.results[0]?.outcome === 'pass');
        const checks = [...policy.checks];
        checks.splice(position % (checks.length + 1), 0, extra);
        expect(evaluateGate(request, { ...policy, checks }, checkout, model, signals, at).decision).toBe('allow');
      }),
    );
  });

  it('denies iff some enforced result fails, or errors when onError is deny', () => {
    fc.assert(
      fc.property(fc.array(resultArb, { maxLength: 8 }), onErrorArb, (results, onError) => {
        const denying = results.some(
          (result) => result.mode === 'enforce' && (result.outcome === 'fail' || (result.outcome === 'error' && onError === 'deny')),
        );
        expect(decide(results, onError).decision).toBe(denying ? 'deny' : 'allow');
      }),
    );
  });

  it('the evaluated decision agrees with its own results', () => {
    fc.assert(
      fc.property(policyArb, signalsArb, timeArb, (policy, signals, at) => {
        const decision = evaluateGate(request, policy, checkout, model, signals, at);
        expect(decision.results).toHaveLength(policy.checks.length);
        const denying = decision.results.some(
          (result) => result.mode === 'enforce' && (result.outcome === 'fail' || (result.outcome === 'error' && policy.onError === 'deny')),
        );
        expect(decision.decision).toBe(denying ? 'deny' : 'allow');
      }),
    );
  });
});

describe('evaluateGate over a loaded model', async () => {
  const { model: loaded } = await loadModelOrThrow('test/fixtures/model/valid', process.cwd());
  const policy = findReleasePolicy(loaded, 'standard');
  const service = findService(loaded, 'checkout');
  const signals: GateSignals = {
    errorBudgets: [
      { slo: 'availability', remaining: 0.5 },
      { slo: 'latency', remaining: 0.5 },
    ],
    firingAlerts: [],
    openIncidents: [],
    approvals: [{ approver: 'grace@acme.example', at: '2026-11-23T09:00:00Z' }],
    restores: [{ datastore: 'orders-db', verifiedAt: '2026-11-01T00:00:00Z' }],
    shipsMigrations: true,
    recentDeploys: [],
  };
  const release: GateRequest = { service: 'checkout', environment: 'production', version: 'v7', author: 'ada' };

  it('allows a healthy, approved release on a Monday', () => {
    if (!policy || !service) throw new Error('fixture model lost its policy or service');
    const decision = evaluateGate(release, policy, service, loaded, signals, new Date('2026-11-23T10:00:00Z'));
    expect(decision.results.map((result) => `${result.type}:${result.outcome}`)).toEqual([
      'errorBudget:pass',
      'firingAlerts:pass',
      'openIncidents:pass',
      'freezeWindow:pass',
      'approvals:pass',
      'restoreFreshness:pass',
      'rollbackPlan:pass',
      'changeFrequency:pass',
    ]);
    expect(decision.decision).toBe('allow');
  });

  it('denies during the black-friday freeze and when only the author approved', () => {
    if (!policy || !service) throw new Error('fixture model lost its policy or service');
    const authorOnly = { ...signals, approvals: [{ approver: 'ada@acme.example', at: '2026-11-28T09:00:00Z' }] };
    const decision = evaluateGate(release, policy, service, loaded, authorOnly, new Date('2026-11-28T10:00:00Z'));
    expect(decision.decision).toBe('deny');
    expect(decision.enforcedFailures.map((result) => result.reason)).toEqual([
      'A release freeze is in effect (weekend, black-friday); wait until it ends.',
      'The release has 0 of the 1 approval it needs from payments (the author does not count).',
    ]);
  });
});
