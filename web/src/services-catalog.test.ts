import { describe, expect, it } from 'vitest';
import type { AuditScorecard, CatalogModel, LedgerEvent, SloStatus } from './api-types.ts';
import {
  type CatalogRow,
  catalogFilterFromSearch,
  catalogFilterToSearch,
  catalogRows,
  defaultCatalogFilter,
  filterRows,
  latestDeploys,
  maturityByService,
  oncallSummary,
  serviceDetailLink,
  servicesLink,
  sloByService,
  sortRows,
} from './services-catalog.ts';

const model: CatalogModel = {
  teams: [
    { name: 'payments', title: 'Payments', timezone: 'Europe/Lisbon', oncall: { rotation: { members: ['a@x', 'b@x', 'c@x'], period: '1w', handoff: '10:00' } } },
    { name: 'identity', title: 'Identity', oncall: { schedule: { provider: 'pagerduty', id: 'P7IDENT', url: 'https://pd.example/schedules/P7IDENT' } } },
    { name: 'growth' },
  ],
  services: [
    { name: 'checkout-api', owner: 'payments', tier: 1, description: 'Creates orders' },
    { name: 'auth-service', owner: 'identity', tier: 1, description: 'Sign-in and sessions' },
    { name: 'web-frontend', owner: 'growth', tier: 2 },
    { name: 'billing-scheduler', owner: 'payments', tier: 3 },
    { name: 'unranked', owner: 'growth' },
  ],
  datastores: [],
};

function event(seq: number, subject: string, time: string, version: string, environment = 'production'): LedgerEvent {
  return { seq, id: `d-${seq}`, source: '/argo', type: 'dev.steadyops.deploy.finished', subject, time, actor: 'system:ci', environment, ingested_at: time, leaf_hash: 'x', data: { service: subject, version } };
}

function slo(service: string, name: string, extra: Partial<SloStatus> = {}): SloStatus {
  return { service, slo: name, environment: 'production', objective: 99.9, period: '30d', summary: `${service} ${name}`, ...extra };
}

function card(name: string, level: AuditScorecard['level'], high: number, kind: AuditScorecard['kind'] = 'service'): AuditScorecard {
  return { kind, name, level, openFindings: { low: 1, medium: 0, high, critical: 0 }, nextLevelBlockers: [], trend: [level] };
}

describe('the catalog filter in the URL', () => {
  it('reads and writes the query string, leaving defaults out', () => {
    expect(catalogFilterFromSearch('')).toEqual(defaultCatalogFilter);
    const filter = catalogFilterFromSearch('?q=%20check%20&team=payments&tier=1&sort=deploy&view=map');
    expect(filter).toEqual({ q: 'check', team: 'payments', tier: '1', sort: 'deploy', view: 'map' });
    expect(catalogFilterFromSearch(catalogFilterToSearch(filter))).toEqual(filter);
    expect(catalogFilterToSearch(defaultCatalogFilter)).toBe('');
    expect(servicesLink({ team: 'payments' })).toBe('/services?team=payments');
  });

  it('ignores values it does not know', () => {
    expect(catalogFilterFromSearch('?tier=7&sort=random&view=graph')).toEqual(defaultCatalogFilter);
  });

  it('links to a service detail route, escaping the name', () => {
    expect(serviceDetailLink('checkout-api')).toBe('/services/checkout-api');
    expect(serviceDetailLink('a/b c')).toBe('/services/a%2Fb%20c');
  });
});

describe('the catalog rows', () => {
  it('summarises on-call as the model declares it', () => {
    expect(oncallSummary(model.teams[0])).toEqual({ text: 'rotation of 3 people, every 1w, handoff 10:00 Europe/Lisbon' });
    expect(oncallSummary(model.teams[1])).toEqual({ text: 'pagerduty schedule P7IDENT', url: 'https://pd.example/schedules/P7IDENT' });
    expect(oncallSummary(model.teams[2]).text).toBe('none declared');
  });

  it('keeps the newest deploy per service, whatever the order', () => {
    const deploys = latestDeploys([
      event(3, 'checkout-api', '2026-11-26T10:00:00Z', 'v2', 'staging'),
      event(1, 'checkout-api', '2026-11-25T10:00:00Z', 'v1'),
      event(2, 'web-frontend', '2026-11-24T10:00:00Z', 'v9'),
      event(4, 'checkout-api', '2026-11-26T11:00:00Z', 'v3'),
    ]);
    expect(deploys.get('checkout-api')).toEqual({ time: '2026-11-26T11:00:00Z', version: 'v3', environment: 'production', id: 'd-4', source: '/argo' });
    expect(deploys.get('web-frontend')?.version).toBe('v9');
    expect(deploys.has('auth-service')).toBe(false);
  });

  it('shows the worst SLO of a service, and counts them', () => {
    const slos = sloByService([slo('checkout-api', 'latency'), slo('checkout-api', 'availability', { firing: 'page' }), slo('auth-service', 'availability', { noData: true }), slo('web-frontend', 'x', { budgetRemaining: 0 })]);
    expect(slos.get('checkout-api')).toEqual({ state: 'page', count: 2, summary: 'checkout-api availability' });
    expect(slos.get('auth-service')?.state).toBe('nodata');
    expect(slos.get('web-frontend')?.state).toBe('exhausted');
  });

  it('takes maturity and open findings from the services’ scorecards', () => {
    const maturity = maturityByService([card('checkout-api', 'bronze', 2), card('payments', 'silver', 0, 'team')]);
    expect(maturity.get('checkout-api')).toEqual({ level: 'bronze', openFindings: 3 });
    expect(maturity.has('payments')).toBe(false);
  });

  it('joins the model with what is known, leaving unknowns out', () => {
    const rows = catalogRows(model, { maturity: maturityByService([card('checkout-api', 'bronze', 1)]) });
    expect(rows).toHaveLength(5);
    expect(rows[0]).toEqual({
      name: 'checkout-api',
      description: 'Creates orders',
      team: 'payments',
      teamTitle: 'Payments',
      tier: 1,
      oncall: 'rotation of 3 people, every 1w, handoff 10:00 Europe/Lisbon',
      maturity: { level: 'bronze', openFindings: 2 },
    });
    expect(rows[1]?.oncallUrl).toBe('https://pd.example/schedules/P7IDENT');
    expect(rows[1]?.slo).toBeUndefined();
  });
});

describe('search, filters and sort', () => {
  const deploys = latestDeploys([event(1, 'web-frontend', '2026-11-26T10:00:00Z', 'v1'), event(2, 'auth-service', '2026-11-20T10:00:00Z', 'v2')]);
  const maturity = maturityByService([card('billing-scheduler', 'bronze', 4), card('checkout-api', 'bronze', 1)]);
  const rows = catalogRows(model, { deploys, maturity });
  const names = (list: readonly CatalogRow[]): string[] => list.map((row) => row.name);

  it('searches every word, case-insensitive, in name, team, description and on-call', () => {
    expect(names(filterRows(rows, { q: 'CHECKOUT', team: '', tier: '' }))).toEqual(['checkout-api']);
    expect(names(filterRows(rows, { q: 'payments', team: '', tier: '' }))).toEqual(['checkout-api', 'billing-scheduler']);
    expect(names(filterRows(rows, { q: 'sign sessions', team: '', tier: '' }))).toEqual(['auth-service']);
    expect(names(filterRows(rows, { q: 'pagerduty', team: '', tier: '' }))).toEqual(['auth-service']);
    expect(filterRows(rows, { q: 'nothing-like-this', team: '', tier: '' })).toEqual([]);
    expect(filterRows(rows, { q: '  ', team: '', tier: '' })).toHaveLength(5);
  });

  it('filters by team and tier, combined with the search', () => {
    expect(names(filterRows(rows, { q: '', team: 'payments', tier: '' }))).toEqual(['checkout-api', 'billing-scheduler']);
    expect(names(filterRows(rows, { q: '', team: 'payments', tier: '3' }))).toEqual(['billing-scheduler']);
    expect(names(filterRows(rows, { q: '', team: '', tier: '1' }))).toEqual(['checkout-api', 'auth-service']);
    expect(names(filterRows(rows, { q: 'checkout', team: 'identity', tier: '' }))).toEqual([]);
  });

  it('sorts by name, tier, team, last deploy and open findings, unknowns last, ties by name', () => {
    expect(names(sortRows(rows, 'name'))).toEqual(['auth-service', 'billing-scheduler', 'checkout-api', 'unranked', 'web-frontend']);
    expect(names(sortRows(rows, 'tier'))).toEqual(['auth-service', 'checkout-api', 'web-frontend', 'billing-scheduler', 'unranked']);
    expect(names(sortRows(rows, 'team'))).toEqual(['unranked', 'web-frontend', 'auth-service', 'billing-scheduler', 'checkout-api']);
    expect(names(sortRows(rows, 'deploy'))).toEqual(['web-frontend', 'auth-service', 'billing-scheduler', 'checkout-api', 'unranked']);
    expect(names(sortRows(rows, 'findings'))).toEqual(['billing-scheduler', 'checkout-api', 'auth-service', 'unranked', 'web-frontend']);
    // a copy: the input keeps its order
    expect(names(rows)[0]).toBe('checkout-api');
  });
});
