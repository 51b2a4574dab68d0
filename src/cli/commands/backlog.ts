import type { Command } from 'commander';
import { milestones, type BacklogItem, type Milestone } from '../../audit/audit-report.ts';
import { filterBacklog, type BacklogFilter } from '../../audit/backlog.ts';
import { capitalize, locationText, oneLine } from '../../audit/reports/report-parts.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import { cliActor, runWithProgress, withAuditService } from '../audit-run.ts';
import type { CliContext } from '../context.ts';
import { chosenFormat } from './audit.ts';

interface BacklogOptions {
  team?: string;
  limit?: string;
  format?: string;
  ledger: boolean;
}

const intents: Readonly<Record<Milestone, string>> = {
  stabilize: 'fix the highest-risk gaps first',
  measure: 'make reliability measurable and evidenced',
  document: 'write it down and tidy up',
};

export function registerBacklogCommand(program: Command, ctx: CliContext): void {
  program
    .command('backlog')
    .description('The reliability backlog: open audit findings by priority, grouped into milestones, with why')
    .argument('[path]', 'the repository folder (default: the current folder)')
    .option('--team <team>', "only this team's findings (by the finding's team or its service's owner)")
    .option('--limit <n>', 'only the first N items')
    .option('--format <format>', 'text or json')
    .option('--no-ledger', 'do not read the ledger (incidents and deploys raise likelihood; acceptances leave the backlog)')
    .addHelpText(
      'after',
      [
        '',
        'priority = severity weight x blast radius x likelihood / effort; milestones: stabilize, measure, document.',
        'The backlog runs an audit (it is not recorded). See docs/audit.md for the formula and a worked example.',
        '',
        'Examples:',
        '  $ steadyops backlog',
        '  $ steadyops backlog examples/demo --team payments --limit 10',
        '  $ steadyops backlog --format json',
      ].join('\n'),
    )
    .action(async (path: string | undefined, options: BacklogOptions) => {
      const format = chosenFormat(options.format ?? ctx.globals().format, ['text', 'json'] as const, 'text');
      const filter: BacklogFilter = { ...(options.team ? { team: options.team } : {}), ...(options.limit ? { limit: limitOption(options.limit) } : {}) };
      const { report, model } = await withAuditService(ctx, { ledger: options.ledger, ...(path ? { path } : {}) }, ({ service }) =>
        runWithProgress(service, { actor: cliActor(ctx), record: false }),
      );
      const items = filterBacklog(report.backlog, filter, model);
      const header = { at: report.run.at, root: report.run.root, open: report.backlog.length, ...filter };
      ctx.stdout(format === 'json' ? `${JSON.stringify({ ...header, items }, null, 2)}\n` : renderBacklog(items, header));
    });
}

function limitOption(value: string): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1) throw new SteadyopsError('SO_E_USAGE', { detail: `--limit ${value} must be a whole number of 1 or more` });
  return limit;
}

export function renderBacklog(items: readonly BacklogItem[], header: { at: string; root: string; open: number } & BacklogFilter): string {
  const scope = [header.team ? `team ${header.team}` : undefined, header.limit ? `first ${header.limit}` : undefined].filter(Boolean).join(', ');
  const lines = [`Reliability backlog of ${oneLine(header.root)} (${header.at}): ${header.open} open findings${scope ? `; showing ${items.length} (${scope})` : ''}`];
  if (items.length === 0) lines.push('', 'Nothing to do: no open findings.');
  for (const milestone of milestones) {
    const group = items.filter((item) => item.milestone === milestone);
    if (group.length === 0) continue;
    lines.push('', `${capitalize(milestone)}: ${intents[milestone]} (${group.length})`);
    for (const item of group) lines.push(...renderItem(item));
  }
  return `${lines.join('\n')}\n`;
}

function renderItem(item: BacklogItem): string[] {
  const { finding } = item;
  const owner = [finding.service, finding.team ? `team ${finding.team}` : undefined].filter(Boolean).join(', ');
  const where = [finding.location ? locationText(finding.location) : undefined, owner || undefined].filter(Boolean).join('  ');
  return [
    `${String(item.rank).padStart(4)}. ${finding.controlId} ${finding.severity.padEnd(8)} ${oneLine(finding.resource)}  [priority ${item.priority}, effort ${finding.effort}, ${finding.fingerprint}]`,
    ...(where ? [`        ${oneLine(where)}`] : []),
    `        ${oneLine(finding.title)}: ${oneLine(finding.evidence)}`,
    `        why: ${item.why}`,
  ];
}
