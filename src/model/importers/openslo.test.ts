import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../lib/errors.ts';
import { importSlos } from './import-slos.ts';

const fixture = (name: string) => ({ file: name, text: readFileSync(`test/fixtures/slo/openslo/${name}`, 'utf8') });

const good = 'sum(rate(http_requests_total{code!~"5.."}[{{.window}}]))';
const total = 'sum(rate(http_requests_total[{{.window}}]))';
const prometheus = (query: string, extra = '') => `{ metricSource: { type: Prometheus, spec: { query: '${query}'${extra} } } }`;

/** One OpenSLO SLO with an inline ratio indicator; `spec` lines replace the defaults given here. */
function slo(spec: { objectives?: string; ratio?: string; extra?: string; name?: string; service?: string } = {}): string {
  return `apiVersion: openslo/v1
kind: SLO
metadata:
  name: ${spec.name ?? 'checkout-api-availability'}
spec:
  service: ${spec.service ?? 'checkout-api'}
  indicator:
    metadata: { name: checkout-errors }
    spec:
      ratioMetric:
${spec.ratio ?? `        good: ${prometheus(good)}\n        total: ${prometheus(total)}`}
  objectives: ${spec.objectives ?? '[{ target: 0.999 }]'}
${spec.extra ?? ''}`;
}

const run = (...texts: string[]) => importSlos(texts.map((text, index) => ({ file: `slo-${index}.yaml`, text })));
const issues = (...texts: string[]) => run(...texts).issues.map(formatIssue);

describe('OpenSLO v1 import', () => {
  it('reads the fixture set: SLI by reference across files, inline bad/total, targetPercent, time windows', () => {
    const result = importSlos([fixture('slos.yaml'), fixture('slis.yaml')]);
    expect(result.issues).toEqual([]);
    expect(result.slos.map(({ service, slo }) => ({ service, ...slo, sli: Object.keys(slo.sli.ratio) }))).toEqual([
      {
        service: 'payments-gateway',
        name: 'fast-authorisations',
        objective: 99.5,
        period: '28d',
        description: 'Card authorisations answered within 800ms.',
        sli: ['good', 'total'],
      },
      { service: 'billing-scheduler', name: 'run-success', objective: 99, period: '7d', description: 'Billing runs that finish', sli: ['errors', 'total'] },
    ]);
    expect(result.slos[0]?.from).toEqual({ file: 'slos.yaml', line: 13, col: 9 });
    expect(result.slos[0]?.slo.sli.ratio.good).toContain('le="0.8"}[{{.window}}]');
  });

  it('notes the alert policy it replaces with the generated burn-rate alerts, and kinds it leaves out', () => {
    const notes = importSlos([fixture('slos.yaml'), fixture('slis.yaml')]).notes.join('\n');
    expect(notes).toContain(
      'slos.yaml:62:9: AlertPolicy "payments-burn" (burn rate 14.4 over 1h; burn rate 3 over 1d) is not imported; `steadyops slo rules` generates multiwindow multi-burn-rate alerts for every SLO (page: 14.4x over 1h and 6x over 6h; ticket: 3x over 1d and 1x over 3d), which replace it',
    );
    expect(notes).toContain('slos.yaml:3:7: OpenSLO Service "payments-gateway" is not imported; services come from the ownership model');
  });

  it.each([
    { name: 'target ratio', objectives: '[{ target: 0.999 }]', expected: [{ name: 'availability', objective: 99.9 }] },
    { name: 'targetPercent', objectives: '[{ targetPercent: 99.95 }]', expected: [{ name: 'availability', objective: 99.95 }] },
    {
      name: 'several objectives, named by displayName or position',
      objectives: '[{ displayName: Strict Target, target: 0.9995 }, { target: 0.99 }]',
      expected: [
        { name: 'availability-strict-target', objective: 99.95 },
        { name: 'availability-2', objective: 99 },
      ],
    },
  ])('converts objectives: $name', ({ objectives, expected }) => {
    const result = run(slo({ objectives }));
    expect(result.issues).toEqual([]);
    expect(result.slos.map(({ slo: entry }) => ({ name: entry.name, objective: entry.objective }))).toEqual(expected);
  });

  it.each([
    { name: 'good and total', ratio: `        good: ${prometheus(good)}\n        total: ${prometheus(total)}`, sli: { good, total } },
    { name: 'bad as errors, queryType promql', ratio: `        bad: ${prometheus(good, ', queryType: promql')}\n        total: ${prometheus(total)}`, sli: { errors: good, total } },
    { name: 'raw failure ratio', ratio: `        rawType: failure\n        raw: ${prometheus(good)}`, sli: { errors: good, total: '1' } },
    { name: 'raw success ratio', ratio: `        rawType: success\n        raw: ${prometheus(good)}`, sli: { good, total: '1' } },
  ])('converts ratio metrics: $name', ({ ratio, sli }) => {
    const result = run(slo({ ratio }));
    expect(result.issues).toEqual([]);
    expect(result.slos[0]?.slo.sli.ratio).toEqual(sli);
  });

  it('names SLOs as DNS labels without the service in front, and services as model names', () => {
    const result = run(slo({ name: 'Checkout_API Latency P99', service: 'Checkout API' }));
    expect(result.slos[0]).toMatchObject({ service: 'checkout-api', slo: { name: 'latency-p99' } });
    expect(run(slo({ name: 'checkout-api-latency' })).slos[0]?.slo.name).toBe('latency');
  });

  it('notes calendar windows, other budgeting methods and queries without {{.window}}', () => {
    const extra = '  timeWindow: [{ duration: 30d, isRolling: false }]\n  budgetingMethod: Timeslices\n';
    const fixed = `        good: ${prometheus('sum(rate(ok_total[5m]))')}\n        total: ${prometheus('sum(rate(all_total[5m]))')}`;
    const notes = run(slo({ extra, ratio: fixed })).notes.join('\n');
    expect(notes).toContain('a calendar-aligned window is imported as a rolling window');
    expect(notes).toContain('budgetingMethod Timeslices is imported as Occurrences');
    expect(notes).toContain('slo-0.yaml:4:9: a query has no {{.window}} placeholder');
  });

  it.each([
    {
      name: 'a threshold SLI',
      text: slo({ ratio: '        good: {}' }).replace('      ratioMetric:\n        good: {}', '      thresholdMetric: { metricSource: { type: Prometheus, spec: { query: up } } }'),
      expected: 'slo-0.yaml:10:7: spec.indicator.spec.thresholdMetric: threshold SLIs are not supported',
    },
    {
      name: 'another metric source',
      text: slo({ ratio: `        good: { metricSource: { type: Datadog, spec: { query: "sum:requests.ok{*}" } } }\n        total: ${prometheus(total)}` }),
      expected: 'slo-0.yaml:11:39: spec.indicator.spec.ratioMetric.good.metricSource.type: metric source type "Datadog" is not supported; SLOs here become Prometheus rules, so use type: Prometheus',
    },
    {
      name: 'another query language',
      text: slo({ ratio: `        good: ${prometheus(good, ', queryType: metricsql')}\n        total: ${prometheus(total)}` }),
      expected: 'slo-0.yaml:11:137: spec.indicator.spec.ratioMetric.good.metricSource.spec.queryType: queryType "metricsql" is not supported; use promql',
    },
    {
      name: 'both good and bad',
      text: slo({ ratio: `        good: ${prometheus(good)}\n        bad: ${prometheus(good)}\n        total: ${prometheus(total)}` }),
      expected: 'slo-0.yaml:11:9: spec.indicator.spec.ratioMetric: a ratioMetric has "total" and exactly one of "good" or "bad"',
    },
    {
      name: 'invalid PromQL, at the character',
      text: slo({ ratio: `        good: ${prometheus('sum(rate(ok_total[{{.window}}])')}\n        total: ${prometheus(total)}` }),
      expected: 'slo-0.yaml:11:70: spec.indicator.spec.ratioMetric.good.metricSource.spec.query: invalid PromQL: unclosed "("',
    },
    {
      name: 'no target',
      text: slo({ objectives: '[{ displayName: strict }]' }),
      expected: 'slo-0.yaml:13:16: spec.objectives[0]: an objective has exactly one of "target" (a ratio, e.g. 0.999) or "targetPercent" (e.g. 99.9)',
    },
    {
      name: 'a target given as a percentage',
      text: slo({ objectives: '[{ target: 99.9 }]' }),
      expected: 'slo-0.yaml:13:26: spec.objectives[0].target: target is a ratio between 0 and 1 (exclusive), e.g. 0.999',
    },
    {
      name: 'a month window',
      text: slo({ extra: '  timeWindow: [{ duration: 1M, isRolling: false }]\n' }),
      expected: 'slo-0.yaml:14:28: spec.timeWindow[0].duration: "1M" is not a duration; use a number and a unit (ms, s, m, h, d, w)',
    },
    {
      name: 'a missing service',
      text: slo().replace('  service: checkout-api\n', ''),
      expected: 'slo-0.yaml:6:3: spec.service: missing required field "service"',
    },
    {
      name: 'an unknown SLI reference',
      text: slo().replace(/ {2}indicator:\n(?: {4}.*\n)+/, '  indicatorRef: checkout-erors\n') + '---\napiVersion: openslo/v1\nkind: SLI\nmetadata: { name: checkout-errors }\nspec: {}\n',
      expected: 'slo-0.yaml:7:17: spec.indicatorRef: no SLI named "checkout-erors" (did you mean "checkout-errors"?) in the files given; SLIs defined: checkout-errors',
    },
    {
      name: 'an unknown kind',
      text: slo().replace('kind: SLO', 'kind: SLOs'),
      expected: 'slo-0.yaml:2:7: kind: unknown OpenSLO kind "SLOs" (did you mean "SLO"?); valid kinds: SLO, SLI, AlertPolicy',
    },
    {
      name: 'another OpenSLO version',
      text: slo().replace('openslo/v1', 'openslo/v1alpha'),
      expected: 'slo-0.yaml:1:13: apiVersion: "openslo/v1alpha" is not supported; use apiVersion: openslo/v1 (OpenSLO: SLO, SLI, AlertPolicy) or version: prometheus/v1 (a Sloth spec) (OpenSLO v1alpha and v2 documents are not read yet)',
    },
    {
      name: 'a YAML syntax error',
      text: 'apiVersion: openslo/v1\nkind: SLO\nmetadata: { name: x\n',
      expected: 'slo-0.yaml:4:1: YAML syntax:',
    },
  ])('reports $name at file:line:col and imports nothing of it', ({ text, expected }) => {
    const result = run(text);
    expect(result.slos).toEqual([]);
    expect(result.issues.map(formatIssue)).toEqual([expect.stringContaining(expected)]);
  });

  it('reports two SLOs landing on the same service and name', () => {
    expect(issues(slo(), slo({ name: 'availability' }))).toEqual([
      'slo-1.yaml:4:9: SLO "availability" of service checkout-api is already imported from slo-0.yaml:4:9; SLO names are unique within a service',
    ]);
  });
});
