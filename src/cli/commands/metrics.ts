import type { Command } from 'commander';
import { SteadyopsError } from '../../lib/errors.ts';
import { defaultMetricsEnvironment, defaultMetricsPeriod } from '../../metrics/metrics-request.ts';
import { createMetricsService } from '../../metrics/metrics-service.ts';
import type { Metric, MetricsReport } from '../../metrics/types.ts';
import { loadModelOrThrow } from '../../model/load-model.ts';
import { createApiClient } from '../api-client.ts';
import type { CliContext } from '../context.ts';
import { renderTable } from '../render/table.ts';
import { withRuntime } from '../runtime.ts';

interface MetricsOptions {
  service?: string;
  team?: string;
  period: string;
  env: string;
  format?: string;
}

/** evidence seqs shown per metric in text and markdown; JSON lists them all */
const evidenceShown = 8;

export function registerMetricsCommand(program: Command, ctx: CliContext): void {
  program
    .command('metrics')
    .description("DORA's five software delivery metrics, MTTA/MTTR, SLO budget burned by incidents and follow-up completion, with trends")
    .option('--service <name>', 'only this service')
    .option('--team <name>', 'only the services this team owns (from the model)')
    .option('--period <duration>', 'the period measured, in whole days or weeks (30d, 90d); the trend compares it with the period before', defaultMetricsPeriod)
    .option('--env <environment>', 'the environment whose deploys count', defaultMetricsEnvironment)
    .option('--format <format>', 'text, json or markdown')
    .addHelpText(
      'after',
      [
        '',
        'Computed from lineage recorded in the ledger, never from events being close in time: a deploy lists',
        'its commits or pull requests, a rollback names the deploy it rolled back (deployId, or the version it',
        'rolled back from), an incident names the deploy that caused it (causedBy), a fix deploy names what it',
        'fixes. Deploys without lineage are counted and reported, not guessed. JSON lists every evidence seq.',
        '',
        'Examples:',
        '  $ steadyops metrics',
        '  $ steadyops metrics --service checkout-api --period 90d',
        '  $ steadyops metrics --team payments --format markdown',
        '  $ steadyops metrics --format json | jq ".metrics[] | {key, value, band}"',
      ].join('\n'),
    )
    .action(async (options: MetricsOptions) => {
      const globals = ctx.globals();
      const format = options.format ?? globals.format ?? 'text';
      if (!['text', 'json', 'markdown'].includes(format)) {
        throw new SteadyopsError('SO_E_USAGE', { detail: `--format ${format} is not supported here; use text, json or markdown` });
      }
      const request = {
        ...(options.service ? { service: options.service } : {}),
        ...(options.team ? { team: options.team } : {}),
        period: options.period,
        environment: options.env,
      };
      let report: MetricsReport;
      if (globals.server) {
        const params = new URLSearchParams({ period: options.period, env: options.env });
        if (options.service) params.set('service', options.service);
        if (options.team) params.set('team', options.team);
        report = await createApiClient(globals.server, globals.token).request<MetricsReport>('GET', `/api/v1/metrics?${params}`);
      } else {
        const model = options.team || globals.config ? (await loadModelOrThrow(globals.config, ctx.cwd)).model : undefined;
        report = await withRuntime({ db: globals.db, cwd: ctx.cwd, env: ctx.env, clock: ctx.clock }, ({ ledger }) =>
          createMetricsService({ ledger, clock: ctx.clock }).report(request, model),
        );
      }
      ctx.stdout(renderMetrics(report, format));
    });
}

export function renderMetrics(report: MetricsReport, format: string): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  const heading = `${report.scope.label} in ${report.scope.environment}, ${report.period.label} to ${report.period.end} (trend vs the ${report.period.label} before)`;
  const rows = report.metrics.map((metric) => [metric.name, valueText(metric), metric.band?.level ?? '-', trendText(metric)]);
  const headers = ['METRIC', 'VALUE', 'DORA BAND', 'TREND'];
  const notes = report.metrics.map((metric) => `${metric.name}: ${metric.sentence}${evidenceText(metric)}`);
  const severities = Object.entries(report.incidents.bySeverity).map(([severity, count]) => `${severity} ${count}`).join(', ');
  const footer = [
    `${report.deploys.count} deploy(s), ${report.deploys.failed} failed, ${report.deploys.withoutLineage} without lineage; ${report.incidents.count} incident(s)${severities ? ` (${severities})` : ''}.`,
    bandSources(report),
  ].filter(Boolean);
  if (format === 'markdown') {
    const table = [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
    return `### Delivery metrics: ${heading}\n\n${table.join('\n')}\n\n${notes.map((note) => `- ${note}`).join('\n')}\n\n${footer.join('\n\n')}\n`;
  }
  return `${heading}\n${renderTable(headers, rows)}\n${notes.join('\n')}\n\n${footer.join('\n')}\n`;
}

function valueText(metric: Metric): string {
  if (metric.value === null) return 'not measured';
  const unit = metric.unit === 'percent' ? '%' : ` ${metric.unit === 'deploys/day' ? '/day' : metric.unit === 'hours' ? 'h' : 'min'}`;
  return `${Math.round(metric.value * 100) / 100}${unit}`;
}

function trendText(metric: Metric): string {
  const { trend } = metric;
  if (trend.direction === 'unknown') return trend.previous === null ? 'no earlier data' : '-';
  if (trend.direction === 'flat') return 'flat';
  const arrow = trend.direction === 'up' ? '↑' : '↓';
  return `${arrow} ${Math.abs(Math.round(trend.change! * 100) / 100)} (${trend.better ? 'better' : 'worse'})`;
}

function evidenceText(metric: Metric): string {
  if (metric.evidence.length === 0) return '';
  const shown = metric.evidence.slice(0, evidenceShown).join(', ');
  const more = metric.evidence.length > evidenceShown ? ` and ${metric.evidence.length - evidenceShown} more` : '';
  return ` [seq ${shown}${more}]`;
}

function bandSources(report: MetricsReport): string {
  const sources = [...new Set(report.metrics.flatMap((metric) => (metric.band ? [metric.band.source] : [])))];
  return sources.length > 0 ? `Bands: ${sources.join('; ')}.` : '';
}
