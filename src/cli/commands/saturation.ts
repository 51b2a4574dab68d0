import type { Command } from 'commander';
import { createSaturationService, type SaturationReport } from '../../release/saturation-service.ts';
import type { CliContext } from '../context.ts';
import { addPrometheusOptions, printPrometheusReport, prometheusUrlEnv, type PrometheusReportOptions } from '../prometheus-report.ts';
import { renderSaturationReport } from '../render/saturation-report.ts';

export function registerSaturationCommand(program: Command, ctx: CliContext): void {
  addPrometheusOptions(
    program
      .command('saturation')
      .description('Which dependency is saturated? Reads every saturation query declared in the model (dependsOn[].saturation), worst first'),
  )
    .addHelpText(
      'after',
      [
        '',
        "Prometheus is the Environment's spec.prometheus.url; --prometheus or",
        `${prometheusUrlEnv} replaces it for every environment. A dependency is saturated when its`,
        'value is at or above its threshold; a query returning several series counts its highest.',
        'Exit 0 when none is saturated, 1 when any is, 3 when Prometheus is unreachable.',
        '',
        'Examples:',
        '  $ steadyops saturation',
        '  $ steadyops saturation --service checkout-api --env production',
        '  $ steadyops saturation --format json | jq \'.dependencies[] | select(.saturated)\'',
      ].join('\n'),
    )
    .action(async (options: PrometheusReportOptions) => {
      const report = await printPrometheusReport<SaturationReport>(ctx, options, {
        route: '/api/v1/saturation',
        create: createSaturationService,
        activity: 'reading saturation from Prometheus',
        render: renderSaturationReport,
      });
      if (report.saturated > 0) ctx.setExitCode(1);
    });
}
