import type { Command } from 'commander';
import { repositoryOfModel } from '../../audit/audit-service.ts';
import { readAlertRules } from '../../audit/scanners/read-alert-rules.ts';
import { createAlertService, defaultAlertWindow, type AlertReport, type GapReport } from '../../incidents/alerts/alert-service.ts';
import { parseSince } from '../../lib/duration.ts';
import { loadModelOrThrow } from '../../model/load-model.ts';
import { createApiClient } from '../api-client.ts';
import type { CliContext } from '../context.ts';
import { renderTable } from '../render/table.ts';
import { withRuntime } from '../runtime.ts';
import { chosenFormat } from './audit.ts';

interface AlertsOptions {
  firing?: boolean;
  team?: string;
  service?: string;
  since: string;
  gaps?: boolean;
  config?: string;
  format?: string;
}

function formatOf(options: AlertsOptions, ctx: CliContext): 'text' | 'json' {
  return chosenFormat(options.format ?? ctx.globals().format, ['text', 'json'] as const, 'text');
}

function shortTime(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')}Z`;
}

export function renderAlerts(report: AlertReport): string {
  if (report.alerts.length === 0) return `no alerts since ${report.since}\n`;
  const rows = report.alerts.map((alert) => [
    alert.alertname,
    alert.service ?? '-',
    alert.severity,
    `${alert.state} since ${shortTime(alert.since)}`,
    alert.team ?? '-',
    alert.onCall.text,
    alert.firstAction ?? (alert.runbook ? `runbook: ${alert.runbook}` : '-'),
  ]);
  return renderTable(['ALERT', 'SERVICE', 'SEVERITY', 'STATE', 'TEAM', 'ON-CALL', 'FIRST ACTION / RUNBOOK'], rows);
}

export function renderGaps(report: GapReport): string {
  if (report.gaps.length === 0) return 'every alert has an owner, a runbook and a first action\n';
  const rows = report.gaps.map((gap) => [gap.alertname, (gap.sources ?? [gap.source]).join('+'), gap.where ?? '-', gap.service ?? '-', gap.team ?? '-', gap.missing.join(', ')]);
  return `${renderTable(['ALERT', 'FROM', 'WHERE', 'SERVICE', 'TEAM', 'MISSING'], rows)}${report.gaps.length} alert gap(s)\n`;
}

async function localReport(ctx: CliContext, options: AlertsOptions): Promise<AlertReport | GapReport> {
  const globals = ctx.globals();
  const configPath = options.config ?? globals.config;
  const { model } = await loadModelOrThrow(configPath, ctx.cwd);
  const query = {
    since: parseSince(options.since, ctx.clock.now()),
    ...(options.firing ? { firing: true } : {}),
    ...(options.team ? { team: options.team } : {}),
    ...(options.service ? { service: options.service } : {}),
  };
  const root = await repositoryOfModel(configPath, ctx.cwd);
  return withRuntime<AlertReport | GapReport>({ db: globals.db, cwd: ctx.cwd, env: ctx.env, clock: ctx.clock }, ({ ledger }) => {
    const service = createAlertService({ ledger, clock: ctx.clock, model: { current: () => model }, alertRules: async () => readAlertRules(root) });
    return options.gaps ? service.gaps(query) : service.list(query);
  });
}

async function remoteReport(ctx: CliContext, options: AlertsOptions): Promise<AlertReport | GapReport> {
  const globals = ctx.globals();
  const params = new URLSearchParams({ since: options.since });
  if (options.firing) params.set('firing', 'true');
  if (options.team) params.set('team', options.team);
  if (options.service) params.set('service', options.service);
  return createApiClient(globals.server!, globals.token).request('GET', `/api/v1/alerts${options.gaps ? '/gaps' : ''}?${params}`);
}

export function registerAlertsCommand(program: Command, ctx: CliContext): void {
  program
    .command('alerts')
    .description('Recent alerts routed to their owners: service, team, who was on call, runbook and first action')
    .option('--firing', 'only alerts still firing (or acknowledged), looking back at least 30 days whatever --since says')
    .option('--team <name>', 'only alerts of services this team owns')
    .option('--service <name>', 'only alerts of this service')
    .option('--since <when>', 'a duration back from now (24h, 7d) or an RFC 3339 time', defaultAlertWindow)
    .option('--gaps', 'list alerts (ledger, rule files, model routes) without owner, runbook or first action; exit 1 when there are any')
    .option('--config <path>', 'model file or folder (default: steadyops.yaml, steadyops.yml or .steadyops/)')
    .option('--format <format>', 'text or json')
    .addHelpText(
      'after',
      [
        '',
        "The on-call person is the team's rotation at the time the alert started (hand-offs at the",
        "team's local clock time); an external schedule (PagerDuty, Opsgenie) is named, not resolved.",
        'Exit 0 with an answer; with --gaps, 1 when any alert lacks an owner, a runbook or a first action.',
        '',
        'Examples:',
        '  $ steadyops alerts --firing',
        '  $ steadyops alerts --team payments --since 24h',
        '  $ steadyops alerts --service checkout-api --format json',
        '  $ steadyops alerts --gaps',
        '  $ steadyops --server http://127.0.0.1:7070 --token "$TOKEN" alerts --firing',
      ].join('\n'),
    )
    .action(async (options: AlertsOptions) => {
      const format = formatOf(options, ctx);
      const report = ctx.globals().server ? await remoteReport(ctx, options) : await localReport(ctx, options);
      if ('gaps' in report) {
        ctx.stdout(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderGaps(report));
        if (report.gaps.length > 0) ctx.setExitCode(1);
        return;
      }
      ctx.stdout(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderAlerts(report));
    });
}
