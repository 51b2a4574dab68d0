import type { Command } from 'commander';
import { startSpinner } from './render/terminal-spinner.ts';
import { prometheusFor, type PrometheusFor } from '../connectors/prometheus/prometheus-for.ts';
import type { TargetQuery } from '../connectors/prometheus/service-targets.ts';
import type { Clock } from '../lib/clock.ts';
import { SteadyopsError } from '../lib/errors.ts';
import { loadModelOrThrow } from '../model/load-model.ts';
import { emptyModel, type ResolvedModel } from '../model/resolve.ts';
import { createApiClient } from './api-client.ts';
import type { CliContext } from './context.ts';

export const prometheusUrlEnv = 'STEADYOPS_PROMETHEUS_URL';

export interface PrometheusReportOptions {
  service?: string;
  env?: string;
  prometheus?: string;
  config?: string;
  format?: string;
}

/** A service answering one report from a model (SLO status, saturation). */
export interface ReportSource<Report> {
  report(model: ResolvedModel, query: TargetQuery): Promise<Report>;
}

export interface PrometheusReportRequest<Report> {
  /** the API route answering the same report, for --server */
  readonly route: string;
  readonly create: (deps: { prometheus: PrometheusFor; clock: Clock }) => ReportSource<Report>;
  /** shown in the spinner while Prometheus answers */
  readonly activity: string;
  /** the text format; json prints the report as the API answers it */
  readonly render: (report: Report) => string;
}

/** The options every Prometheus-backed command takes. */
export function addPrometheusOptions(command: Command): Command {
  return command
    .option('--service <name>', 'only this service (default: every service)')
    .option('--env <environment>', "read this environment's Prometheus (default: each service's last environment)")
    .option('--prometheus <url>', `query this Prometheus for every environment (env ${prometheusUrlEnv})`)
    .option('--config <path>', 'model file or folder (default: steadyops.yaml, steadyops.yml or .steadyops/)')
    .option('--format <format>', 'text or json');
}

/** text or json: the formats these commands print. */
export function reportFormat(options: PrometheusReportOptions, ctx: CliContext): 'text' | 'json' {
  const format = options.format ?? ctx.globals().format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new SteadyopsError('SO_E_USAGE', { detail: `--format ${format} is not supported here; use text or json` });
  return format;
}

/** The override URL for every environment: --prometheus, else STEADYOPS_PROMETHEUS_URL. */
export function prometheusOverride(option: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return option ?? (env[prometheusUrlEnv] || undefined);
}

/** Environment -> Prometheus, read from the model as it is at each call (the server reloads it). */
export function livePrometheusFor(model: () => ResolvedModel | undefined, override: string | undefined): PrometheusFor {
  return (environment) => prometheusFor(model() ?? emptyModel(), override ? { override } : {})(environment);
}

/** Asks a remote server with --server, else the model's Prometheus directly; a spinner runs meanwhile on a TTY. */
export async function prometheusReport<Report>(ctx: CliContext, options: PrometheusReportOptions, request: PrometheusReportRequest<Report>): Promise<Report> {
  const globals = ctx.globals();
  const query: TargetQuery = { ...(options.service ? { service: options.service } : {}), ...(options.env ? { environment: options.env } : {}) };
  const spinner = process.stdout.isTTY && reportFormat(options, ctx) === 'text' ? startSpinner(request.activity) : undefined;
  try {
    if (globals.server) {
      const params = new URLSearchParams({ ...(options.service ? { service: options.service } : {}), ...(options.env ? { env: options.env } : {}) });
      return await createApiClient(globals.server, globals.token).request<Report>('GET', `${request.route}?${params}`);
    }
    const { model } = await loadModelOrThrow(options.config ?? globals.config, ctx.cwd);
    const override = prometheusOverride(options.prometheus, ctx.env);
    const source = request.create({ prometheus: prometheusFor(model, override ? { override } : {}), clock: ctx.clock });
    return await source.report(model, query);
  } finally {
    spinner?.stop();
  }
}

/** Gets the report (see `prometheusReport`) and prints it as text or JSON; returns it for the exit code. */
export async function printPrometheusReport<Report>(ctx: CliContext, options: PrometheusReportOptions, request: PrometheusReportRequest<Report>): Promise<Report> {
  const report = await prometheusReport(ctx, options, request);
  ctx.stdout(reportFormat(options, ctx) === 'json' ? `${JSON.stringify(report, null, 2)}\n` : request.render(report));
  return report;
}
