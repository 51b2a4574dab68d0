import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { SteadyopsError } from '../../lib/errors.ts';
import { loadModelOrThrow } from '../../model/load-model.ts';
import { buildRuleFile, generateRules } from '../../slo/generate-rules.ts';
import { createSloStatusService, type SloReport } from '../../slo/slo-status-service.ts';
import type { CliContext } from '../context.ts';
import { addPrometheusOptions, printPrometheusReport, prometheusUrlEnv, type PrometheusReportOptions } from '../prometheus-report.ts';
import { renderSloReport } from '../render/slo-report.ts';

interface RulesOptions {
  config?: string;
  out?: string;
}

export function registerSloCommand(program: Command, ctx: CliContext): void {
  const slo = program.command('slo').description('Service level objectives: error budgets and burn-rate alerts');
  slo
    .command('rules')
    .description('Print the Prometheus rule file (recording + multiwindow burn-rate alerts) for every SLO in the model')
    .option('--config <path>', 'model file or folder (default: steadyops.yaml, steadyops.yml or .steadyops/)')
    .option('--out <file>', 'write the rule file here instead of standard output')
    .addHelpText(
      'after',
      [
        '',
        'Output is deterministic: the same model always gives the same file. Check it with promtool.',
        '',
        'Examples:',
        '  $ steadyops slo rules > slo-rules.yaml',
        '  $ steadyops slo rules --config .steadyops/ --out /etc/prometheus/rules/steadyops-slo.yaml',
        '  $ steadyops slo rules | promtool check rules /dev/stdin',
      ].join('\n'),
    )
    .action(async (options: RulesOptions) => {
      const { model } = await loadModelOrThrow(options.config ?? ctx.globals().config, ctx.cwd);
      const text = generateRules(model);
      if (options.out === undefined) {
        ctx.stdout(text);
        return;
      }
      await writeOut(resolve(ctx.cwd, options.out), text);
      const groups = buildRuleFile(model).groups;
      const rules = groups.reduce((sum, group) => sum + group.rules.length, 0);
      ctx.stdout(`wrote ${rules} rule(s) for ${groups.length} SLO(s) to ${options.out}\n`);
    });
  registerSloStatusCommand(slo, ctx);
}

function registerSloStatusCommand(slo: Command, ctx: CliContext): void {
  addPrometheusOptions(
    slo
      .command('status')
      .description("Read each SLO from its environment's Prometheus: SLI, error budget left, burn rates, when the budget runs out, which alert would fire"),
  )
    .addHelpText(
      'after',
      [
        '',
        "Prometheus is the Environment's spec.prometheus.url; --prometheus or",
        `${prometheusUrlEnv} replaces it for every environment. All queries go out in one round.`,
        "The exhaustion date projects the burn rate over the slower page alert's long window (6h for a",
        '30-day period). Exit 0 with an answer (also "no data"), 3 when Prometheus is unreachable.',
        '',
        'Examples:',
        '  $ steadyops slo status',
        '  $ steadyops slo status --service checkout-api --env production',
        '  $ steadyops slo status --prometheus http://127.0.0.1:9090 --format json',
      ].join('\n'),
    )
    .action(async (options: PrometheusReportOptions) => {
      await printPrometheusReport<SloReport>(ctx, options, {
        route: '/api/v1/slos',
        create: createSloStatusService,
        activity: 'reading SLOs from Prometheus',
        render: renderSloReport,
      });
    });
}

async function writeOut(file: string, text: string): Promise<void> {
  try {
    await writeFile(file, text);
  } catch (error) {
    throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `cannot write ${file}: ${(error as Error).message}` });
  }
}
