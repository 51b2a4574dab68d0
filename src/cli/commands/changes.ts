import type { Command } from 'commander';
import { toChangeQuery } from '../../changes/change-filter.ts';
import { changeKindOf, describeChange } from '../../changes/describe-change.ts';
import type { LedgerEvent } from '../../ledger/types.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import { createApiClient } from '../api-client.ts';
import type { CliContext } from '../context.ts';
import { renderTable } from '../render/table.ts';
import { withRuntime } from '../runtime.ts';

interface ChangesOptions {
  since: string;
  until?: string;
  service: string[];
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
    .option('--service <name>', 'only this service (repeatable, or comma-separated)', collect, [])
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
        services: options.service,
        ...(options.env ? { environment: options.env } : {}),
        types: options.type,
        ...(options.actor ? { actor: options.actor } : {}),
        limit: Number(options.limit),
      };
      const query = toChangeQuery(filter, now);
      let events: LedgerEvent[];
      if (globals.server) {
        const params = new URLSearchParams({ since: options.since, limit: options.limit });
        if (options.until) params.set('until', options.until);
        for (const service of options.service) params.append('service', service);
        for (const type of options.type) params.append('type', type);
        if (options.env) params.set('env', options.env);
        if (options.actor) params.set('actor', options.actor);
        const response = await createApiClient(globals.server, globals.token).request<{ events: LedgerEvent[] }>('GET', `/api/v1/changes?${params}`);
        events = response.events;
      } else {
        events = await withRuntime({ db: globals.db, cwd: ctx.cwd, env: ctx.env, clock: ctx.clock }, ({ ledger }) => ledger.query(query));
      }
      ctx.stdout(renderChanges(events, format, options.since, now));
    });
}

export function renderChanges(events: readonly LedgerEvent[], format: string, since: string, now: Date): string {
  if (format === 'json') return `${JSON.stringify({ since: toIso(since, now), count: events.length, events }, null, 2)}\n`;
  const rows = events.map((event) => [
    event.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    changeKindOf(event.type),
    event.subject ?? '-',
    event.environment ?? '-',
    event.actor,
    describeChange(event),
  ]);
  const headers = ['TIME', 'KIND', 'SUBJECT', 'ENV', 'ACTOR', 'WHAT'];
  if (format === 'markdown') {
    const escape = (cell: string): string => cell.replace(/\|/g, '\\|');
    return `${[`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`)].join('\n')}\n`;
  }
  if (events.length === 0) return `no changes since ${since}\n`;
  return `${renderTable(headers, rows)}\n${events.length} change(s) since ${since}\n`;
}

function toIso(since: string, now: Date): string {
  return toChangeQuery({ since }, now).since?.toISOString() ?? since;
}
