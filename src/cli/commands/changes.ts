import type { Command } from 'commander';
import { toChangeQuery } from '../../changes/change-filter.ts';
import { describeChange, linkOf } from '../../changes/describe-change.ts';
import { changeKindOf } from '../../ledger/event-types.ts';
import type { LedgerEvent } from '../../ledger/types.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import { loadModelOrThrow } from '../../model/load-model.ts';
import { createApiClient } from '../api-client.ts';
import type { CliContext } from '../context.ts';
import { renderTable } from '../render/table.ts';
import { withRuntime } from '../runtime.ts';

interface ChangesOptions {
  since: string;
  until?: string;
  around?: string;
  service: string[];
  team: string[];
  includeDependencies?: boolean;
  unowned?: boolean;
  env?: string;
  type: string[];
  actor?: string;
  limit: string;
  format?: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerChangesCommand(program: Command, ctx: CliContext): void {
  program
    .command('changes')
    .description('What changed: deploys, rollbacks, config, infrastructure, flags, access and alerts, newest first')
    .option('--since <when>', 'a duration back from now (30m, 2h, 7d) or an RFC 3339 time', '30m')
    .option('--until <when>', 'a duration back from now or an RFC 3339 time')
    .option('--around <when>', 'centre the window on this time (an incident start); --since is then the span on each side')
    .option('--service <name>', 'only this service (repeatable, or comma-separated)', collect, [])
    .option('--team <name>', 'only what this team owns (repeatable)', collect, [])
    .option('--include-dependencies', 'also changes to what the selected services depend on (dependsOn)')
    .option('--unowned', 'only changes no service or datastore owns: ownership gaps')
    .option('--env <environment>', 'only this environment')
    .option('--type <type>', 'only this event type; a trailing * matches a prefix (repeatable)', collect, [])
    .option('--actor <actor>', 'only events by this actor')
    .option('--limit <n>', 'at most this many events', '100')
    .option('--format <format>', 'text, json or markdown')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ steadyops changes --since 30m',
        '  $ steadyops changes --since 2h --service checkout-api --env production',
        "  $ steadyops changes --since 1d --type 'dev.steadyops.deploy.*' --format json",
        '  $ steadyops changes --team payments --include-dependencies --since 2h',
        '  $ steadyops changes --around 2026-11-26T03:12:00Z --since 1h',
        '  $ steadyops changes --unowned --since 7d',
      ].join('\n'),
    )
    .action(async (options: ChangesOptions) => {
      const globals = ctx.globals();
      const format = options.format ?? globals.format ?? 'text';
      if (!['text', 'json', 'markdown'].includes(format)) {
        throw new SteadyopsError('SO_E_USAGE', { detail: `--format ${format} is not supported here; use text, json or markdown` });
      }
      const now = ctx.clock.now();
      const filter = {
        since: options.since,
        ...(options.until ? { until: options.until } : {}),
        ...(options.around ? { around: options.around } : {}),
        services: options.service,
        teams: options.team,
        includeDependencies: Boolean(options.includeDependencies),
        unowned: Boolean(options.unowned),
        ...(options.env ? { environment: options.env } : {}),
        types: options.type,
        ...(options.actor ? { actor: options.actor } : {}),
        limit: Number(options.limit),
      };
      const model = options.team.length > 0 || options.includeDependencies ? await loadModelOrThrow(globals.config, ctx.cwd).then((loaded) => loaded.model) : undefined;
      const query = toChangeQuery(filter, now, model);
      let events: LedgerEvent[];
      if (globals.server) {
        const params = new URLSearchParams({ since: options.since, limit: options.limit });
        if (options.until) params.set('until', options.until);
        if (options.around) params.set('around', options.around);
        for (const service of options.service) params.append('service', service);
        for (const team of options.team) params.append('team', team);
        if (options.includeDependencies) params.set('includeDependencies', 'true');
        if (options.unowned) params.set('unowned', 'true');
        for (const type of options.type) params.append('type', type);
        if (options.env) params.set('env', options.env);
        if (options.actor) params.set('actor', options.actor);
        const response = await createApiClient(globals.server, globals.token).request<{ events: LedgerEvent[] }>('GET', `/api/v1/changes?${params}`);
        events = response.events;
      } else {
        events = await withRuntime({ db: globals.db, cwd: ctx.cwd, env: ctx.env, clock: ctx.clock }, ({ ledger }) => ledger.query(query));
      }
      ctx.stdout(renderChanges(events, format, query.since, query.until));
    });
}

export function renderChanges(events: readonly LedgerEvent[], format: string, since: Date, until: Date): string {
  const window = `${since.toISOString()} .. ${until.toISOString()}`;
  if (format === 'json') return `${JSON.stringify({ since: since.toISOString(), until: until.toISOString(), count: events.length, events }, null, 2)}\n`;
  const row = (event: LedgerEvent): string[] => [
    event.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    changeKindOf(event.type),
    event.environment ?? '-',
    event.actor,
    describeChange(event),
    linkOf(event) ?? '',
  ];
  const headers = ['TIME', 'KIND', 'ENV', 'WHO', 'WHAT', 'LINK'];
  const groups = groupBySubject(events);
  if (format === 'markdown') {
    const escape = (cell: string): string => cell.replace(/\|/g, '\\|');
    const table = (rows: readonly LedgerEvent[]): string =>
      [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((event) => `| ${row(event).map(escape).join(' | ')} |`)].join('\n');
    return `${groups.map(([subject, rows]) => `### ${subject}\n\n${table(rows)}`).join('\n\n')}\n`;
  }
  if (events.length === 0) return `no changes in ${window}\n`;
  const blocks = groups.map(([subject, rows]) => `${subject}\n${indent(renderTable(headers, rows.map(row)))}`);
  return `${blocks.join('\n')}\n${events.length} change(s) in ${window}\n`;
}

/** Newest first, grouped by what they concern; the group with the newest change comes first, ownerless last. */
function groupBySubject(events: readonly LedgerEvent[]): Array<[string, LedgerEvent[]]> {
  const groups = new Map<string, LedgerEvent[]>();
  for (const event of events) {
    const subject = event.subject ?? '(no owner)';
    groups.set(subject, [...(groups.get(subject) ?? []), event]);
  }
  const ownerless = groups.get('(no owner)');
  groups.delete('(no owner)');
  return [...groups.entries(), ...(ownerless ? [['(no owner)', ownerless] as [string, LedgerEvent[]]] : [])];
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => (line ? `  ${line}` : line))
    .join('\n');
}
