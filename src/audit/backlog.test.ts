import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyModel, type ResolvedModel } from '../model/resolve.ts';
import { auditNow, finding } from './audit-fixtures.ts';
import { blastRadiusOf, buildBacklog, effortWeights, filterBacklog, likelihoodOf, milestoneOf, priorityOf, severityWeights } from './backlog.ts';
import { domains, severities, type Effort } from './control.ts';
import { controlCatalog } from './controls/control-catalog.ts';
import { datastore, ledgerEvent, service, team } from './controls/control-fixtures.ts';
import type { Finding } from './run-audit.ts';

// storefront -> web-frontend -> checkout-api; mobile-bff -> checkout-api; checkout-api -> orders-db
const model: ResolvedModel = {
  ...emptyModel(),
  teams: [team('payments'), team('growth')],
  services: [
    service('checkout-api', { owner: 'payments', tier: 1, dependsOn: [{ datastore: 'orders-db', critical: true }] }),
    service('web-frontend', { owner: 'growth', tier: 2, dependsOn: [{ service: 'checkout-api', critical: true }] }),
    service('mobile-bff', { owner: 'growth', tier: 2, dependsOn: [{ service: 'checkout-api', critical: true }] }),
    service('storefront', { owner: 'growth', tier: 3, dependsOn: [{ service: 'web-frontend', critical: false }] }),
  ],
  datastores: [datastore('orders-db', { owner: 'payments', tier: 1 })],
};

const history = [
  ledgerEvent('incident.declared', 24 * 5, { incidentId: 'INC-1', title: 'checkout errors', severity: 'sev2', services: ['checkout-api'] }),
  ledgerEvent('incident.declared', 24 * 40, { incidentId: 'INC-0', title: 'too old to count', severity: 'sev1', services: ['checkout-api'] }),
  ...Array.from({ length: 7 }, (_, index) => ledgerEvent('deploy.finished', 24 * (index + 1), { service: 'checkout-api', environment: 'production', version: `v${index}` })),
  ledgerEvent('deploy.finished', 10, { service: 'checkout-api', environment: 'staging', version: 'v9' }),
];

describe('priority = severity weight x blast radius x likelihood / effort', () => {
  it('scores the worked example of docs/audit.md', () => {
    const [item] = buildBacklog([finding({ controlId: 'REL-001', severity: 'high', effort: 'S', service: 'checkout-api', team: 'payments' })], { model, events: history, now: auditNow });
    // tier 1 (3) x (1 + log2(1 + 3 dependents)) = 9; 1 incident and 7 production deploys: 1 + 0.5 + log2(8)/10 = 1.8
    expect(item!.factors).toEqual({ severityWeight: 8, blastRadius: 9, likelihood: 1.8, effortWeight: 1 });
    expect(item!.priority).toBe(129.6);
    expect(item!.why).toBe(
      'high (weight 8) x tier-1 service checkout-api with 3 dependents (blast radius 9) x 1 incident and 7 production deploys in 30 days (likelihood 1.8)' +
        ' / effort S (1) = priority 129.6; stabilize: a high-risk gap in how production runs.',
    );
  });

  it.each([
    ['a tier-3 leaf service', { service: 'storefront' }, 1, 0],
    ['a tier-2 service with one dependent', { service: 'web-frontend' }, 2, 1],
    ['a service the model does not know', { service: 'legacy' }, 1.5, 0],
    ['a datastore, through every service that reaches it', { resource: 'Datastore orders-db', team: 'payments' }, 3, 4],
    ['a team-level finding: its riskiest service', { resource: 'Team growth', team: 'growth' }, 2, 1],
    ['nothing known', { resource: '.github/workflows/deploy.yml' }, 1.5, 0],
  ])('blast radius of %s', (_name, spec, tierWeight, dependents) => {
    const [item] = buildBacklog([finding(spec)], { model, now: auditNow });
    expect(item!.factors.blastRadius).toBeCloseTo(blastRadiusOf(tierWeight, dependents), 2);
  });

  it('takes likelihood from the last 30 days of production history only, capped', () => {
    expect(likelihoodOf(0, 0)).toBe(1);
    expect(likelihoodOf(1, 7)).toBeCloseTo(1.8);
    expect(likelihoodOf(10, 1_000)).toBe(3);
    const [withoutLedger] = buildBacklog([finding({ service: 'checkout-api' })], { model, now: auditNow });
    expect(withoutLedger!.factors.likelihood).toBe(1);
    expect(withoutLedger!.why).toContain('no ledger history (likelihood 1)');
  });

  it('gives a datastore finding the likelihood of the services that use it', () => {
    const [item] = buildBacklog([finding({ controlId: 'BAK-003', domain: 'backup', resource: 'Datastore orders-db', team: 'payments' })], { model, events: history, now: auditNow });
    expect(item!.factors.likelihood).toBe(1.8);
  });

  it('leaves risk-accepted findings out', () => {
    expect(buildBacklog([finding({ status: 'risk-accepted' })], { now: auditNow })).toEqual([]);
  });
});

describe('milestones', () => {
  it.each([
    ['ACC-020', 'access', 'critical', 'stabilize'],
    ['OBS-005', 'observability', 'critical', 'stabilize'],
    ['RUN-011', 'runtime', 'high', 'stabilize'],
    ['INF-001', 'infrastructure', 'high', 'stabilize'],
    ['OWN-001', 'ownership', 'high', 'stabilize'],
    ['DOC-004', 'documentation', 'high', 'measure'],
    ['BAK-006', 'backup', 'medium', 'measure'],
    ['OBS-001', 'observability', 'high', 'measure'],
    ['OBS-006', 'observability', 'medium', 'measure'],
    ['RUN-004', 'runtime', 'medium', 'measure'],
    ['DOC-001', 'documentation', 'medium', 'document'],
    ['OWN-004', 'ownership', 'medium', 'document'],
    ['RUN-002', 'runtime', 'low', 'document'],
  ] as const)('%s (%s, %s) -> %s', (controlId, domain, severity, milestone) => {
    expect(milestoneOf({ controlId, domain, severity }).milestone).toBe(milestone);
  });

  it('places every control of the catalog', () => {
    for (const control of controlCatalog) expect(milestoneOf({ controlId: control.id, domain: control.domain, severity: control.severity }).milestone).toBeDefined();
  });

  it('orders milestone by milestone, then by priority', () => {
    const items = buildBacklog(
      [
        finding({ controlId: 'OBS-001', domain: 'observability', severity: 'high', service: 'checkout-api' }),
        finding({ controlId: 'RUN-002', domain: 'runtime', severity: 'low', service: 'checkout-api' }),
        finding({ controlId: 'REL-001', severity: 'high', service: 'storefront' }),
        finding({ controlId: 'RUN-011', domain: 'runtime', severity: 'high', service: 'checkout-api' }),
      ],
      { model, now: auditNow },
    );
    expect(items.map((item) => [item.rank, item.milestone, item.finding.controlId])).toEqual([
      [1, 'stabilize', 'RUN-011'],
      [2, 'stabilize', 'REL-001'],
      [3, 'measure', 'OBS-001'],
      [4, 'document', 'RUN-002'],
    ]);
  });
});

describe('filters', () => {
  it('keeps a team (by the finding or its service owner) and a limit, ranks from 1', () => {
    const items = buildBacklog(
      [finding({ service: 'checkout-api' }), finding({ service: 'web-frontend' }), finding({ service: 'storefront' }), finding({ resource: 'Datastore orders-db' })],
      { model, now: auditNow },
    );
    // orders-db has 4 dependents, checkout-api 3
    expect(filterBacklog(items, { team: 'payments' }, model).map((item) => [item.rank, item.finding.resource])).toEqual([
      [1, 'Datastore orders-db'],
      [2, 'Service checkout-api'],
    ]);
    expect(filterBacklog(items, { team: 'growth', limit: 1 }, model).map((item) => [item.rank, item.finding.resource])).toEqual([[1, 'Service web-frontend']]);
  });
});

// ---------------------------------------------------------------- properties

const serviceNames = ['checkout-api', 'web-frontend', 'mobile-bff', 'storefront', 'legacy'];
const arbitraryFinding = fc
  .record({
    controlId: fc.constantFrom(...controlCatalog.map((control) => control.id)),
    severity: fc.constantFrom(...severities),
    domain: fc.constantFrom(...domains),
    effort: fc.constantFrom<Effort>('S', 'M', 'L'),
    service: fc.option(fc.constantFrom(...serviceNames), { nil: undefined }),
    team: fc.option(fc.constantFrom('payments', 'growth'), { nil: undefined }),
    index: fc.nat(1_000),
  })
  .map(({ index, ...spec }) => finding({ ...spec, resource: `Thing ${index}` }));
const arbitraryFindings = fc.uniqueArray(arbitraryFinding, { selector: (entry) => entry.fingerprint, maxLength: 30 });
const contexts = fc.constantFrom({ now: auditNow }, { model, now: auditNow }, { model, events: history, now: auditNow });

const priorityIn = (item: Finding, context: Parameters<typeof buildBacklog>[1]) => buildBacklog([item], context)[0]!.priority;

describe('properties', () => {
  it('priority never falls when the severity rises', () => {
    fc.assert(
      fc.property(arbitraryFinding, contexts, (item, context) => {
        const scores = severities.map((severity) => priorityIn({ ...item, severity }, context));
        return scores.every((score, index) => index === 0 || score >= scores[index - 1]!);
      }),
    );
  });

  it('priority never falls when the blast radius rises (the service is more critical or has more dependents)', () => {
    fc.assert(
      fc.property(
        fc.record({ severityWeight: fc.constantFrom(...Object.values(severityWeights)), likelihood: fc.double({ min: 1, max: 3, noNaN: true }), effortWeight: fc.constantFrom(...Object.values(effortWeights)) }),
        fc.constantFrom(1, 1.5, 2, 3),
        fc.nat(50),
        fc.nat(50),
        (factors, tierWeight, fewer, more) => {
          const low = blastRadiusOf(tierWeight, Math.min(fewer, more));
          const high = blastRadiusOf(tierWeight, Math.max(fewer, more));
          return priorityOf({ ...factors, blastRadius: high }) >= priorityOf({ ...factors, blastRadius: low });
        },
      ),
    );
    const tiers = ([3, 2, 1] as const).map((tier) => {
      const tiered = { ...model, services: model.services.map((entry) => (entry.name === 'storefront' ? { ...entry, tier } : entry)) };
      return priorityIn(finding({ service: 'storefront' }), { model: tiered, now: auditNow });
    });
    expect(tiers).toEqual([...tiers].sort((a, b) => a - b));
  });

  it('more effort never raises the priority', () => {
    fc.assert(
      fc.property(arbitraryFinding, contexts, (item, context) => {
        const scores = (['S', 'M', 'L'] as const).map((effort) => priorityIn({ ...item, effort }, context));
        return scores[0]! >= scores[1]! && scores[1]! >= scores[2]!;
      }),
    );
  });

  it('ranks are 1..n without gaps, one per open finding', () => {
    fc.assert(
      fc.property(arbitraryFindings, contexts, (items, context) => {
        const backlog = buildBacklog(items, context);
        return backlog.length === items.length && backlog.every((item, index) => item.rank === index + 1);
      }),
    );
  });

  it('filtering by team keeps the order', () => {
    fc.assert(
      fc.property(arbitraryFindings, fc.constantFrom('payments', 'growth'), (items, name) => {
        const backlog = buildBacklog(items, { model, now: auditNow });
        const filtered = filterBacklog(backlog, { team: name }, model);
        const order = backlog.map((item) => item.finding.fingerprint).filter((fingerprint) => filtered.some((item) => item.finding.fingerprint === fingerprint));
        return filtered.map((item) => item.finding.fingerprint).join() === order.join() && filtered.every((item, index) => item.rank === index + 1);
      }),
    );
  });
});
