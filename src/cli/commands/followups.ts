import type { Command } from 'commander';
import type { FollowUpQuery, FollowUpView } from '../../incidents/followups/filter-follow-ups.ts';
import { createFollowUpService, type FollowUpService, type FollowUpWrite } from '../../incidents/followups/follow-up-service.ts';
import { loadModelIfPresent } from '../../model/load-model.ts';
import { createApiClient, type ApiClient } from '../api-client.ts';
import { cliActor } from '../audit-run.ts';
import type { CliContext } from '../context.ts';
import { chosenFormat } from './audit.ts';
import { withRuntime } from '../runtime.ts';

interface ListOptions {
  overdue?: boolean;
  team?: string;
  incident?: string;
  format?: string;
}

interface AddOptions {
  incident: string;
  title: string;
  owner: string;
  due: string;
  format?: string;
}

const formats = ['text', 'json'] as const;

const examples = [
  'Examples:',
  '  $ steadyops followups --overdue',
  '  $ steadyops followups --team payments --format json',
  '  $ steadyops followups add --incident INC-2041 --title "Alert on acquirer 5xx" --owner ana@northwindpay.example --due 2026-12-10',
  '  $ steadyops followups link SO-FU-12 --change "#482"',
  '  $ steadyops followups close SO-FU-12 --reason "superseded by SO-FU-14"',
];

export function registerFollowupsCommand(program: Command, ctx: CliContext): void {
  const followups = program
    .command('followups')
    .description('Incident follow-ups: actions with an owner and a due date, done when a merged change carries them out')
    .addHelpText('after', ['', 'Without a sub-command it lists them (followups list).', '', ...examples].join('\n'));
  followups
    // the default sub-command, so `followups --overdue` lists while `followups add --incident` stays add's option
    .command('list', { isDefault: true })
    .description('List follow-ups with their status: open, done (closed or a merged change), overdue')
    .option('--overdue', 'only follow-ups past their due date with no merged change')
    .option('--team <team>', "only the team's (the owner of the incident's services, or a team named as owner)")
    .option('--incident <id>', 'only the follow-ups of this incident')
    .option('--format <format>', 'text or json')
    .addHelpText(
      'after',
      [
        '',
        'A follow-up is done when it is closed, or when a later merge (PR title, branch, body), a commit on the',
        'default branch, an applied infrastructure change or a finished deploy names its id (SO-FU-12), or a change',
        'is linked by hand. Postmortem follow-ups count too. Closed without a merged change is flagged (!).',
        'With --server/--token it asks a remote server.',
        '',
        ...examples,
      ].join('\n'),
    )
    .action(async (options: ListOptions) => {
      const format = formatOf(options.format ?? ctx.globals().format);
      const query: FollowUpQuery = { ...(options.overdue ? { overdue: true } : {}), ...ifGiven('team', options.team), ...ifGiven('incident', options.incident) };
      const list = await withFollowUps(ctx, (service) => service.list(query), (api) => api.request<{ followUps: FollowUpView[] }>('GET', `/api/v1/followups${queryString(query)}`).then((body) => body.followUps));
      ctx.stdout(format === 'json' ? `${JSON.stringify({ followUps: list }, null, 2)}\n` : renderList(list));
    });
  registerAdd(followups, ctx);
  registerLink(followups, ctx);
  registerClose(followups, ctx);
}

function registerAdd(followups: Command, ctx: CliContext): void {
  followups
    .command('add')
    .description('Record a follow-up of an incident; it gets the next id SO-FU-<n>')
    .requiredOption('--incident <id>', 'the incident it follows up (must have been declared)')
    .requiredOption('--title <text>', 'what has to change')
    .requiredOption('--owner <who>', 'who owns it (email, GitHub login or team)')
    .requiredOption('--due <date>', 'due date, YYYY-MM-DD')
    .option('--format <format>', 'text or json')
    .addHelpText('after', ['', 'Examples:', '  $ steadyops followups add --incident INC-2041 --title "Alert on acquirer 5xx" --owner ana@northwindpay.example --due 2026-12-10'].join('\n'))
    .action(async (options: AddOptions) => {
      const input = { incidentId: options.incident, title: options.title, owner: options.owner, due: options.due };
      const written = await withFollowUps(ctx, (service) => service.add(input, cliActor(ctx)), (api) =>
        api.request<FollowUpWrite>('POST', '/api/v1/followups', { incident: input.incidentId, title: input.title, owner: input.owner, due: input.due }),
      );
      reportWrite(ctx, options.format, written, `Recorded ${written.followUp.id} for ${written.followUp.incidentId}, due ${written.followUp.due ?? '?'}`);
    });
}

function registerLink(followups: Command, ctx: CliContext): void {
  followups
    .command('link')
    .description('Link a follow-up to the change that carries it out')
    .argument('<id>', 'the follow-up, e.g. SO-FU-12')
    .requiredOption('--change <seq or ref>', 'a ledger sequence number, or #PR, a pull request URL, a commit sha, a plan digest or a deploy id')
    .option('--format <format>', 'text or json')
    .addHelpText(
      'after',
      [
        '',
        'Digits are a ledger sequence number (it must be a merge, commit, infra or deploy event); write a pull',
        'request as #482 or its URL. A reference the ledger has not seen yet is kept and counts once it arrives.',
        '',
        'Examples:',
        '  $ steadyops followups link SO-FU-12 --change 10432',
        '  $ steadyops followups link SO-FU-12 --change https://github.com/northwind/payments-gateway/pull/482',
      ].join('\n'),
    )
    .action(async (id: string, options: { change: string; format?: string }) => {
      const written = await withFollowUps(ctx, (service) => service.link(id, options.change, cliActor(ctx)), (api) =>
        api.request<FollowUpWrite>('POST', `/api/v1/followups/${encodeURIComponent(id)}/link`, { change: options.change }),
      );
      reportWrite(ctx, options.format, written, `Linked ${written.followUp.id} to ${options.change}; it is ${written.followUp.status}`);
    });
}

function registerClose(followups: Command, ctx: CliContext): void {
  followups
    .command('close')
    .description('Close a follow-up; closed without a linked merged change, the audit flags it (INC-001)')
    .argument('<id>', 'the follow-up, e.g. SO-FU-12')
    .option('--reason <text>', 'why, for whoever reads the ledger later')
    .option('--format <format>', 'text or json')
    .addHelpText('after', ['', 'Examples:', '  $ steadyops followups close SO-FU-12 --reason "superseded by SO-FU-14"'].join('\n'))
    .action(async (id: string, options: { reason?: string; format?: string }) => {
      const written = await withFollowUps(ctx, (service) => service.close(id, options.reason, cliActor(ctx)), (api) =>
        api.request<FollowUpWrite>('POST', `/api/v1/followups/${encodeURIComponent(id)}/close`, ifGiven('reason', options.reason)),
      );
      const flag = written.followUp.closedWithoutChange ? ' without a linked merged change (the audit flags it)' : '';
      reportWrite(ctx, options.format, written, `Closed ${written.followUp.id}${flag}`);
    });
}

/** Runs against the local ledger, or through a remote server when --server is given. */
async function withFollowUps<T>(ctx: CliContext, local: (service: FollowUpService) => Promise<T>, remote: (api: ApiClient) => Promise<T>): Promise<T> {
  const globals = ctx.globals();
  if (globals.server) return remote(createApiClient(globals.server, globals.token));
  const model = await loadModelIfPresent(globals.config, ctx.cwd);
  return withRuntime({ db: globals.db, cwd: ctx.cwd, env: ctx.env, clock: ctx.clock }, async ({ ledger }) => {
    const result = await local(createFollowUpService({ ledger, clock: ctx.clock, model: () => model }));
    await ledger.cutCheckpoint();
    return result;
  });
}

function reportWrite(ctx: CliContext, format: string | undefined, written: FollowUpWrite, sentence: string): void {
  const json = formatOf(format ?? ctx.globals().format) === 'json';
  ctx.stdout(json ? `${JSON.stringify(written, null, 2)}\n` : `${sentence} (ledger seq ${written.seq}).\n`);
}

function renderList(list: readonly FollowUpView[]): string {
  if (list.length === 0) return 'No follow-ups.\n';
  const rows = list.map((followUp) => [
    followUp.id,
    `${followUp.status}${followUp.closedWithoutChange ? '!' : ''}`,
    followUp.due ?? new Date(followUp.dueAt - 1).toISOString().slice(0, 10),
    followUp.incidentId,
    followUp.team ?? '-',
    followUp.owner ?? '-',
    followUp.title,
  ]);
  const header = ['ID', 'STATUS', 'DUE', 'INCIDENT', 'TEAM', 'OWNER', 'TITLE'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => `${cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')}\n`;
  const flagged = list.some((followUp) => followUp.closedWithoutChange) ? '\n! closed without a linked merged change\n' : '';
  return `${line(header)}${rows.map(line).join('')}${flagged}`;
}

function queryString(query: FollowUpQuery): string {
  const params = new URLSearchParams();
  if (query.overdue) params.set('overdue', 'true');
  if (query.team) params.set('team', query.team);
  if (query.incident) params.set('incident', query.incident);
  const text = params.toString();
  return text ? `?${text}` : '';
}

function formatOf(format: string | undefined): (typeof formats)[number] {
  return chosenFormat(format, formats, 'text');
}

function ifGiven<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
