import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parseBaseline, type Baseline } from '../../audit/baseline.ts';
import { severities, type Control, type Severity } from '../../audit/control.ts';
import { controlCatalog } from '../../audit/controls/control-catalog.ts';
import { markdownCell } from '../../audit/reports/markdown-report.ts';
import { auditFormats, renderAuditReport } from '../../audit/reports/render-audit-report.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import { cliActor, pathInRepository, runWithProgress, withAuditService } from '../audit-run.ts';
import type { CliContext } from '../context.ts';
import { packageVersion } from '../package-version.ts';
import { renderTable } from '../render/table.ts';

interface AuditOptions {
  format?: string;
  out?: string;
  failOn?: string;
  baseline?: string;
  ledger: boolean;
}

interface AcceptOptions {
  reason: string;
  expires: string;
  by?: string;
  format?: string;
}

export function registerAuditCommand(program: Command, ctx: CliContext): void {
  const audit = program
    .command('audit')
    .description('Review a repository for production risk: controls, findings, a prioritized backlog, scorecards')
    .argument('[path]', 'the repository folder (default: the current folder)')
    .option('--format <format>', `report format: ${auditFormats.join(', ')} (default text)`)
    .option('--out <file>', 'write the report to this file instead of stdout')
    .option('--fail-on <severity>', `exit 1 when an open finding is at or above this severity: ${severities.join(', ')}`)
    .option('--baseline <file>', 'a previous run written with --format json: shows what was fixed, what is new and what regressed')
    .option('--no-ledger', 'do not read the ledger (--db / STEADYOPS_DB) and do not record the run')
    .addHelpText(
      'after',
      [
        '',
        'With a local ledger the audit reads the last 90 days of history and the risk acceptances, and records',
        'the run as a dev.steadyops.audit.completed event (scorecard trends come from those). Exit 0; 1 when an',
        'open finding (not risk-accepted) is at or above --fail-on; 2 bad input. See docs/audit.md.',
        '',
        'Examples:',
        '  $ steadyops audit',
        '  $ steadyops audit examples/demo --format html --out audit.html',
        '  $ steadyops audit --format json --out audit.json --fail-on high',
        '  $ steadyops audit --baseline previous-audit.json',
        '  $ steadyops audit --format sarif --out audit.sarif --no-ledger',
        '  $ steadyops audit controls --format markdown',
      ].join('\n'),
    )
    .action(async (path: string | undefined, options: AuditOptions) => {
      const format = chosenFormat(options.format ?? ctx.globals().format, auditFormats, 'text');
      const failOn = options.failOn === undefined ? undefined : severityOption(options.failOn);
      const baseline = options.baseline ? await readBaseline(resolve(ctx.cwd, options.baseline), options.baseline) : undefined;
      const { report } = await withAuditService(ctx, { ledger: options.ledger, ...(path ? { path } : {}) }, ({ service }) =>
        runWithProgress(service, { actor: cliActor(ctx), ...(baseline ? { baseline } : {}) }),
      );
      const rendered = renderAuditReport(report, format, {
        color: format === 'text' && !options.out && ctx.globals().color && Boolean(process.stdout.isTTY),
        toolVersion: packageVersion(),
        pathPrefix: pathInRepository(report.run.root),
      });
      if (options.out) {
        await writeFile(resolve(ctx.cwd, options.out), rendered);
        ctx.stderr(`audit report (${format}) written to ${options.out}: ${report.summary.open} open findings\n`);
      } else {
        ctx.stdout(rendered);
      }
      if (failOn && report.run.findings.some((finding) => finding.status === 'open' && atOrAbove(finding.severity, failOn))) ctx.setExitCode(1);
    });

  registerControls(audit, ctx);
  registerAccept(audit, ctx);
}

function registerControls(audit: Command, ctx: CliContext): void {
  audit
    .command('controls')
    .description('List the controls the audit checks')
    .option('--format <format>', 'text, json or markdown')
    .addHelpText(
      'after',
      ['', 'Examples:', '  $ steadyops audit controls', '  $ steadyops audit controls --format json | jq -r \'.[] | select(.severity == "critical") | .id\'', '  $ steadyops audit controls --format markdown > controls.md'].join('\n'),
    )
    .action((options: { format?: string }) => {
      const format = chosenFormat(options.format ?? audit.opts<AuditOptions>().format ?? ctx.globals().format, ['text', 'json', 'markdown'] as const, 'text');
      ctx.stdout(renderCatalog(controlCatalog, format));
    });
}

function registerAccept(audit: Command, ctx: CliContext): void {
  audit
    .command('accept')
    .description('Accept the risk of a finding until an expiry, with a reason (a ledger event)')
    .argument('<fingerprint>', 'the finding, as the latest recorded run of the repository lists it')
    .argument('[path]', 'the repository folder (default: the current folder)')
    .requiredOption('--reason <text>', 'why the risk is acceptable for now (at least 10 characters)')
    .requiredOption('--expires <duration>', 'how long the acceptance holds, e.g. 30d (at most 180d)')
    .option('--by <who>', 'the approver accepting it (default STEADYOPS_USER)')
    .option('--format <format>', 'text or json')
    .addHelpText(
      'after',
      [
        '',
        'The next runs report the finding as risk-accepted (it no longer fails --fail-on and leaves the',
        'backlog) until the acceptance expires; then it is open again.',
        '',
        'Examples:',
        '  $ steadyops audit accept 3f2c9a1b7d4e5f60 --reason "replica count fixed by the Q3 migration" --expires 30d --by ana.lima@northwindpay.example',
      ].join('\n'),
    )
    .action(async (fingerprint: string, path: string | undefined, options: AcceptOptions) => {
      const format = chosenFormat(options.format ?? ctx.globals().format, ['text', 'json'] as const, 'text');
      const by = options.by ?? ctx.env.STEADYOPS_USER;
      if (!by) throw new SteadyopsError('SO_E_USAGE', { detail: 'say who accepts the risk: --by EMAIL (or STEADYOPS_USER)' });
      const recorded = await withAuditService(ctx, { ledger: true, ...(path ? { path } : {}) }, async ({ service, ledger }) => {
        if (!ledger) throw new SteadyopsError('SO_E_USAGE', { detail: 'a risk acceptance is a ledger event: point --db or STEADYOPS_DB at the ledger the audits are recorded in' });
        return service.accept({ fingerprint, reason: options.reason, expires: options.expires, acceptedBy: by }, cliActor(ctx));
      });
      ctx.stdout(
        format === 'json'
          ? `${JSON.stringify(recorded, null, 2)}\n`
          : `Accepted the risk of ${fingerprint} until ${recorded.acceptance.expiresAt} (by ${by}, ledger seq ${recorded.seq}).\n`,
      );
    });
}

export function chosenFormat<F extends string>(format: string | undefined, allowed: readonly F[], fallback: F): F {
  if (format === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(format)) throw new SteadyopsError('SO_E_USAGE', { detail: `--format ${format} is not supported here; use ${allowed.join(', ')}` });
  return format as F;
}

function severityOption(value: string): Severity {
  if (!(severities as readonly string[]).includes(value)) throw new SteadyopsError('SO_E_USAGE', { detail: `--fail-on ${value} is not a severity; use ${severities.join(', ')}` });
  return value as Severity;
}

function atOrAbove(severity: Severity, threshold: Severity): boolean {
  return severities.indexOf(severity) >= severities.indexOf(threshold);
}

async function readBaseline(file: string, shown: string): Promise<Baseline> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `--baseline ${shown} cannot be read (${error.code ?? error.message})` });
  });
  return parseBaseline(text, shown);
}

function renderCatalog(catalog: readonly Control[], format: 'text' | 'json' | 'markdown'): string {
  if (format === 'json') return `${JSON.stringify(catalog, null, 2)}\n`;
  if (format === 'markdown') {
    const rows = catalog.map((control) => `| ${control.id} | ${control.domain} | ${control.severity} | ${control.effort} | ${markdownCell(control.title)} | ${control.soc2.join(', ')} |`);
    return ['| id | domain | severity | effort | title | SOC 2 |', '|---|---|---|---|---|---|', ...rows, ''].join('\n');
  }
  const table = renderTable(
    ['ID', 'DOMAIN', 'SEVERITY', 'EFFORT', 'TITLE'],
    catalog.map((control) => [control.id, control.domain, control.severity, control.effort, control.title]),
  );
  return `${table}\n${catalog.length} controls; docs/controls.md describes each one.\n`;
}

