import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../lib/errors.ts';
import { loadModelFromSources } from '../load-model.ts';
import type { ImportedSlo, SloInput } from './imported-slo.ts';
import { planSloMerge, renderSlo } from './merge-slos.ts';

const team = `apiVersion: steadyops.dev/v1
kind: Team
metadata: { name: payments }
spec: { timezone: UTC, members: [{ name: Ada, email: ada@example.com }] }
`;

const services = `# Services of the payments team.
apiVersion: steadyops.dev/v1
kind: Service
metadata:
  name: checkout-api
spec:
  owner: payments
  tier: 1
  repo: { url: https://github.com/acme/checkout, branch: main }   # flow style stays
  slos:
    # the one customers feel
    - name: availability
      objective: 99.9
      sli:
        ratio:
          errors: 'sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))'
          total: 'sum(rate(http_requests_total[{{.window}}]))'
  runbooks: [{ name: Checkout, path: runbooks/checkout.md }]
---
apiVersion: steadyops.dev/v1
kind: Service
metadata:
  name: ledger-service
spec:
  owner: payments
  tier: 1
  slos: []
---
apiVersion: steadyops.dev/v1
kind: Service
metadata: { name: billing }
spec:
  owner: payments
  tier: 2
`;

const sli = { ratio: { errors: 'sum(rate(jobs_failed_total[{{.window}}]))', total: 'sum(rate(jobs_total[{{.window}}]))' } };
const imported = (service: string, slo: Partial<SloInput>): ImportedSlo => ({
  service,
  slo: { name: 'jobs', objective: 99, ...slo, sli: slo.sli ?? sli },
  from: { file: 'sloth.yaml', line: 4, col: 5 },
  format: 'sloth',
});

function merge(...slos: ImportedSlo[]) {
  const plan = planSloMerge([{ file: 'services.yaml', text: services }], slos);
  const text = plan.texts.get('services.yaml') ?? services;
  const check = loadModelFromSources([
    { file: 'team.yaml', text: team },
    { file: 'services.yaml', text },
  ]);
  return { plan, text, issues: check.issues.map(formatIssue), model: check.model };
}

describe('planSloMerge', () => {
  it('appends to a block list, keeping comments and flow style elsewhere', () => {
    const { plan, text, issues, model } = merge(imported('checkout-api', { name: 'latency', objective: 99.5, period: '7d' }));
    expect(issues).toEqual([]);
    expect(plan.changes.map((change) => [change.kind, change.imported.slo.name, change.line])).toEqual([['add', 'latency', 12]]);
    expect(model.services.find((service) => service.name === 'checkout-api')?.slos?.map((slo) => slo.name)).toEqual(['availability', 'latency']);
    expect(text).toContain(
      `          total: 'sum(rate(http_requests_total[{{.window}}]))'
    - name: latency
      objective: 99.5
      period: 7d
      sli:
        ratio:
          errors: 'sum(rate(jobs_failed_total[{{.window}}]))'
          total: 'sum(rate(jobs_total[{{.window}}]))'
  runbooks: [{ name: Checkout, path: runbooks/checkout.md }]
`,
    );
    expect(text.replace(/ {4}- name: latency\n(?: {6}.*\n)+/, '')).toBe(services);
  });

  it('replaces an entry of the same name in place and leaves an identical one alone', () => {
    const changed = merge(imported('checkout-api', { name: 'availability', objective: 99.95 }));
    expect(changed.plan.changes[0]).toMatchObject({ kind: 'update', line: 12 });
    expect(changed.plan.changes[0]?.previous).toContain('objective: 99.9\n');
    expect(changed.issues).toEqual([]);
    expect(changed.text).toContain('    # the one customers feel\n    - name: availability\n      objective: 99.95\n');
    expect(changed.text.split('\n')).toHaveLength(services.split('\n').length);

    const same = merge(imported('checkout-api', {
      name: 'availability',
      objective: 99.9,
      period: '30d',
      sli: { ratio: { errors: 'sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))', total: 'sum(rate(http_requests_total[{{.window}}]))' } },
    }));
    expect(same.plan.changes.map((change) => change.kind)).toEqual(['unchanged']);
    expect(same.plan.texts.size).toBe(0);
  });

  it('writes a block list over an empty flow list, and adds slos to a spec without one', () => {
    const { text, issues, model } = merge(imported('ledger-service', { name: 'posting' }), imported('billing', {}));
    expect(issues).toEqual([]);
    expect(text).toContain("  slos:\n    - name: posting\n      objective: 99\n");
    expect(text.endsWith("  tier: 2\n  slos:\n    - name: jobs\n      objective: 99\n      sli:\n        ratio:\n          errors: 'sum(rate(jobs_failed_total[{{.window}}]))'\n          total: 'sum(rate(jobs_total[{{.window}}]))'\n")).toBe(true);
    expect(model.services.map((service) => [service.name, service.slos?.length ?? 0])).toEqual([
      ['checkout-api', 1],
      ['ledger-service', 1],
      ['billing', 1],
    ]);
  });

  it('skips SLOs of services the model does not define, with a hint', () => {
    const { plan } = merge(imported('checkout', {}), imported('billing', {}));
    expect(plan.skipped.map((skipped) => formatIssue(skipped.issue))).toEqual([
      'sloth.yaml:4:5: service "checkout" is not in the model (did you mean "checkout-api"?); SLO "jobs" is skipped (services: billing, checkout-api, ledger-service)',
    ]);
    expect(plan.changes.map((change) => change.imported.service)).toEqual(['billing']);
  });

  it('renders queries single-quoted, or as a literal block when they span lines', () => {
    expect(renderSlo({ name: 'x', objective: 99, sli: { ratio: { errors: 'a\n/ b\n', total: '1' } } })).toBe(
      "name: x\nobjective: 99\nsli:\n  ratio:\n    errors: |\n      a\n      / b\n    total: '1'",
    );
  });
});
