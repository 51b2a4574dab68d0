import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModelOrThrow } from '../../src/model/load-model.ts';
import { emptyModel, type ResolvedModel, type ResolvedService } from '../../src/model/resolve.ts';
import { type AlertingRule, buildRuleFile, generateRules } from '../../src/slo/generate-rules.ts';
import { reportMissingService } from '../support/services.ts';

const run = promisify(execFile);
const promtool = process.env.STEADYOPS_PROMTOOL ?? '/usr/bin/promtool';

function promtoolAvailable(): boolean {
  if (existsSync(promtool)) return true;
  reportMissingService(`promtool (${promtool})`, 'install the Debian package prometheus');
  return false;
}

const available = promtoolAvailable();

/** promtool's own exit code and output; a failing check is an answer, not an exception. */
async function promtoolRun(args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(promtool, args, { timeout: 20_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

function httpService(name: string): ResolvedService {
  return {
    name,
    owner: 'payments',
    tier: 1,
    lifecycle: 'production',
    labels: {},
    annotations: {},
    runbooks: [{ name: 'Runbook', path: `runbooks/${name}.md` }],
    slos: [
      {
        name: 'availability',
        objective: 99.9,
        period: '30d',
        sli: {
          ratio: {
            errors: `sum(rate(http_requests_total{service="${name}",code=~"5.."}[{{.window}}]))`,
            total: `sum(rate(http_requests_total{service="${name}"}[{{.window}}]))`,
          },
        },
      },
    ],
  } as ResolvedService;
}

/** The firing alert promtool should report, labels and annotations as generated. */
function expected(model: ResolvedModel, alertname: string, severity: string): object {
  const rule = buildRuleFile(model)
    .groups.flatMap((group) => group.rules)
    .find((candidate): candidate is AlertingRule => 'alert' in candidate && candidate.alert === alertname && candidate.labels.severity === severity);
  if (!rule) throw new Error(`no ${severity} rule ${alertname}`);
  return { exp_labels: rule.labels, exp_annotations: rule.annotations };
}

describe.skipIf(!available)('generated SLO rules checked by the real promtool', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steadyops-slo-it-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes promtool check rules for the demo model', async () => {
    const { model } = await loadModelOrThrow('examples/demo/.steadyops', process.cwd());
    const file = join(dir, 'demo-rules.yaml');
    writeFileSync(file, generateRules(model));
    const result = await promtoolRun(['check', 'rules', file]);
    expect(result.output).toMatch(/SUCCESS: \d+ rules found/);
    expect(result.code).toBe(0);
  });

  it('pages when errors burn the budget fast, and not when they burn it at the sustainable rate', async () => {
    // "fast": 10% errors, 100x the budget; "steady": 0.1% errors, exactly 1x.
    const model: ResolvedModel = { ...emptyModel(), services: [httpService('fast'), httpService('steady')] };
    writeFileSync(join(dir, 'rules.yaml'), generateRules(model));
    const unitTests = {
      rule_files: ['rules.yaml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            { series: 'http_requests_total{service="fast",code="500"}', values: '0+10x180' },
            { series: 'http_requests_total{service="fast",code="200"}', values: '0+90x180' },
            { series: 'http_requests_total{service="steady",code="500"}', values: '0+1x180' },
            { series: 'http_requests_total{service="steady",code="200"}', values: '0+999x180' },
          ],
          alert_rule_test: [
            // page fires after its 2m "for"; the ticket alert is still pending (15m), so not listed
            { eval_time: '10m', alertname: 'FastAvailabilityBudgetBurn', exp_alerts: [expected(model, 'FastAvailabilityBudgetBurn', 'page')] },
            {
              eval_time: '60m',
              alertname: 'FastAvailabilityBudgetBurn',
              exp_alerts: [expected(model, 'FastAvailabilityBudgetBurn', 'page'), expected(model, 'FastAvailabilityBudgetBurn', 'ticket')],
            },
            { eval_time: '10m', alertname: 'SteadyAvailabilityBudgetBurn', exp_alerts: [] },
            { eval_time: '180m', alertname: 'SteadyAvailabilityBudgetBurn', exp_alerts: [] },
          ],
          promql_expr_test: [
            {
              expr: 'slo:sli_error:ratio_rate1h{service="steady"}',
              eval_time: '120m',
              exp_samples: [{ labels: 'slo:sli_error:ratio_rate1h{owner="payments",service="steady",slo="availability",tier="1"}', value: 0.001 }],
            },
          ],
        },
      ],
    };
    writeFileSync(join(dir, 'tests.yaml'), stringify(unitTests));
    const result = await promtoolRun(['test', 'rules', join(dir, 'tests.yaml')]);
    expect(result.output).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });

  it('is caught by promtool when the page alert would not fire (the test above can fail)', async () => {
    const model: ResolvedModel = { ...emptyModel(), services: [httpService('fast')] };
    writeFileSync(join(dir, 'rules-neg.yaml'), generateRules(model));
    const unitTests = {
      rule_files: ['rules-neg.yaml'],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          input_series: [
            { series: 'http_requests_total{service="fast",code="500"}', values: '0+10x60' },
            { series: 'http_requests_total{service="fast",code="200"}', values: '0+90x60' },
          ],
          alert_rule_test: [{ eval_time: '10m', alertname: 'FastAvailabilityBudgetBurn', exp_alerts: [] }],
        },
      ],
    };
    writeFileSync(join(dir, 'tests-neg.yaml'), stringify(unitTests));
    const result = await promtoolRun(['test', 'rules', join(dir, 'tests-neg.yaml')]);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('FastAvailabilityBudgetBurn');
  });
});
