import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { emptyModel, type ResolvedModel, type ResolvedService } from '../model/resolve.ts';
import { type AlertingRule, alertName, buildRuleFile, generateRules, type RecordingRule } from './generate-rules.ts';

function service(overrides: Partial<ResolvedService> & { name: string }): ResolvedService {
  return {
    owner: 'payments',
    tier: 1,
    lifecycle: 'production',
    labels: {},
    annotations: {},
    slos: [
      {
        name: 'availability',
        objective: 99.9,
        period: '30d',
        sli: { ratio: { errors: 'sum(rate(errors_total[{{.window}}]))', total: 'sum(rate(requests_total[{{ .window }}]))' } },
      },
    ],
    ...overrides,
  } as ResolvedService;
}

function modelOf(...services: ResolvedService[]): ResolvedModel {
  return { ...emptyModel(), services };
}

function rules(model: ResolvedModel): Array<RecordingRule | AlertingRule> {
  return buildRuleFile(model).groups.flatMap((group) => group.rules);
}

const isAlert = (rule: RecordingRule | AlertingRule): rule is AlertingRule => 'alert' in rule;

describe('generateRules', () => {
  it('records the error ratio for every burn window and the period, with the window substituted', () => {
    const recorded = rules(modelOf(service({ name: 'checkout-api' }))).filter((rule) => !isAlert(rule)) as RecordingRule[];
    expect(recorded.map((rule) => rule.record)).toEqual([
      'slo:sli_error:ratio_rate5m',
      'slo:sli_error:ratio_rate30m',
      'slo:sli_error:ratio_rate1h',
      'slo:sli_error:ratio_rate2h',
      'slo:sli_error:ratio_rate6h',
      'slo:sli_error:ratio_rate1d',
      'slo:sli_error:ratio_rate3d',
      'slo:sli_error:ratio_rate30d',
      'slo:objective:ratio',
      'slo:error_budget:ratio',
    ]);
    expect(recorded[0]?.expr).toBe('(sum(rate(errors_total[5m]))) / (sum(rate(requests_total[5m])))');
    expect(recorded[9]?.expr).toBe('vector(0.001)');
    expect(recorded[0]?.labels).toEqual({ service: 'checkout-api', slo: 'availability', owner: 'payments', tier: '1' });
  });

  it('turns a good/total SLI into an error ratio', () => {
    const latency = service({
      name: 'checkout-api',
      slos: [{ name: 'latency', objective: 99, period: '30d', sli: { ratio: { good: 'sum(rate(fast[{{.window}}]))', total: 'sum(rate(all[{{.window}}]))' } } }],
    });
    const first = rules(modelOf(latency))[0] as RecordingRule;
    expect(first.expr).toBe('1 - ((sum(rate(fast[5m]))) / (sum(rate(all[5m]))))');
  });

  it('alerts per severity on both windows above factor x budget, with labels and annotations', () => {
    const withRoutes = service({
      name: 'checkout-api',
      alerts: [
        { alertname: 'Other', severity: 'ticket', runbook: 'runbooks/ticket.md' },
        { alertname: 'CheckoutApiAvailabilityBudgetBurn', severity: 'page', runbook: 'runbooks/page.md' },
      ],
    });
    const alerts = rules(modelOf(withRoutes)).filter(isAlert);
    expect(alerts.map((alert) => [alert.alert, alert.labels.severity, alert.for, alert.annotations.runbook_url])).toEqual([
      ['CheckoutApiAvailabilityBudgetBurn', 'page', '2m', 'runbooks/page.md'],
      ['CheckoutApiAvailabilityBudgetBurn', 'ticket', '15m', 'runbooks/ticket.md'],
    ]);
    const selector = '{service="checkout-api",slo="availability"}';
    expect(alerts[0]?.expr).toBe(
      `(slo:sli_error:ratio_rate1h${selector} > 0.0144 and slo:sli_error:ratio_rate5m${selector} > 0.0144) or ` +
        `(slo:sli_error:ratio_rate6h${selector} > 0.006 and slo:sli_error:ratio_rate30m${selector} > 0.006)`,
    );
    expect(alerts[1]?.expr).toContain(`slo:sli_error:ratio_rate3d${selector} > 0.001 and slo:sli_error:ratio_rate6h${selector} > 0.001`);
    expect(alerts[0]?.labels).toEqual({ service: 'checkout-api', slo: 'availability', owner: 'payments', tier: '1', severity: 'page' });
    expect(alerts[0]?.annotations.summary).toContain('99.9% over 30d');
  });

  it.each([
    { routes: undefined, runbooks: [{ name: 'x', url: 'https://runbooks.example.com/x' }], expected: 'https://runbooks.example.com/x' },
    { routes: undefined, runbooks: [{ name: 'x', path: 'runbooks/x.md' }], expected: 'runbooks/x.md' },
    { routes: undefined, runbooks: undefined, expected: undefined },
  ])('falls back to the first runbook ($expected)', ({ routes, runbooks, expected }) => {
    const alerts = rules(modelOf(service({ name: 'a', alerts: routes, runbooks }))).filter(isAlert);
    expect(alerts[0]?.annotations.runbook_url).toBe(expected);
  });

  it('scales windows with the period', () => {
    const weekly = service({
      name: 'a',
      slos: [{ name: 's', objective: 99, period: '7d', sli: { ratio: { errors: 'e[{{.window}}]', total: 't[{{.window}}]' } } }],
    });
    const names = rules(modelOf(weekly)).filter((rule) => !isAlert(rule)).map((rule) => (rule as RecordingRule).record);
    expect(names).toContain('slo:sli_error:ratio_rate1m10s');
    expect(names).toContain('slo:sli_error:ratio_rate7d');
  });

  it('is deterministic whatever the order of services in the model', () => {
    const a = service({ name: 'alpha' });
    const b = service({ name: 'beta' });
    expect(generateRules(modelOf(b, a))).toBe(generateRules(modelOf(a, b)));
    expect(buildRuleFile(modelOf(b, a)).groups.map((group) => group.name)).toEqual(['slo:alpha:availability', 'slo:beta:availability']);
    expect(parse(generateRules(modelOf(a)))).toEqual(buildRuleFile(modelOf(a)));
  });

  it('writes YAML that parses back to the rule file for any PromQL text (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string(), (errors, total) => {
        const odd = service({
          name: 'a',
          slos: [{ name: 's', objective: 99.5, period: '30d', sli: { ratio: { errors: `${errors}[{{.window}}]`, total: `${total}'"#: ` } } }],
        });
        expect(parse(generateRules(modelOf(odd)))).toEqual(buildRuleFile(modelOf(odd)));
      }),
      { numRuns: 100 },
    );
  });

  it('yields an empty rule file for a model without SLOs', () => {
    expect(parse(generateRules(modelOf(service({ name: 'a', slos: undefined }))))).toEqual({ groups: [] });
  });

  it('generates one rule group for each of 1,000 SLOs', () => {
    const services = Array.from({ length: 250 }, (_, index) =>
      service({
        name: `service-${index}`,
        slos: ['a', 'b', 'c', 'd'].map((name) => ({
          name,
          objective: 99.9,
          period: '30d',
          sli: { ratio: { errors: 'sum(rate(e[{{.window}}]))', total: 'sum(rate(t[{{.window}}]))' } },
        })),
      }),
    );
    const text = generateRules(modelOf(...services));
    expect((parse(text) as { groups: unknown[] }).groups).toHaveLength(1_000);
  });
});

describe('alertName', () => {
  it.each([
    ['checkout-api', 'availability', 'CheckoutApiAvailabilityBudgetBurn'],
    ['3ds', 'ok', 'Slo3dsOkBudgetBurn'],
  ])('%s/%s -> %s', (serviceName, slo, expected) => {
    expect(alertName(serviceName, slo)).toBe(expected);
    expect(expected).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/);
  });
});
