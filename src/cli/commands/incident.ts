import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { prometheusFor } from '../../connectors/prometheus/prometheus-for.ts';
import type { IncidentTimeline } from '../../incidents/build-timeline.ts';
import type { IncidentFilter, IncidentPage } from '../../incidents/filter-incidents.ts';
import { createIncidentService, type Caller, type IncidentRecord, type IncidentService } from '../../incidents/incident-service.ts';
import { pageTimeline, readIncidentTimeline, type TimelinePage } from '../../incidents/incident-timeline.ts';
import { incidentSeverities, updateStatuses, type IncidentRoles, type IncidentSeverity, type IncidentState, type TriggerReference } from '../../incidents/incident-types.ts';
import { renderIncidentList, renderIncidentText } from '../../incidents/render-incident.ts';
import { renderPostmortem } from '../../incidents/render-postmortem.ts';
import { renderTimelineMarkdown, renderTimelineText } from '../../incidents/render-timeline.ts';
import { measureSloImpact, type SloImpact } from '../../incidents/slo-impact.ts';
import { parseDuration, parseSince } from '../../lib/duration.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import { loadModelIfPresent } from '../../model/load-model.ts';
import type { ResolvedModel } from '../../model/resolve.ts';
import { createSloStatusService } from '../../slo/slo-status-service.ts';
import { createApiClient, type ApiClient } from '../api-client.ts';
import { cliActor } from '../audit-run.ts';
import type { CliContext } from '../context.ts';
import { withRuntime } from '../runtime.ts';

interface Local {
  readonly incidents: IncidentService;
  readonly model: ResolvedModel | undefined;
  readonly timeline: (id: string, windowMs: number) => Promise<IncidentTimeline>;
}

interface RoleOptions {
  commander?: string;
  communications?: string;
  scribe?: string;
}

interface DeclareOptions extends RoleOptions {
  title?: string;
  severity?: string;
  service: string[];
  env?: string;
  summary?: string;
  fromAlert?: string;
  format?: string;
}

interface UpdateOptions extends RoleOptions {
  message: string;
  causedBy?: string;
  status?: string;
  severity?: string;
  format?: string;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];
const examples = (...lines: string[]): string => ['', 'Examples:', ...lines.map((line) => `  $ ${line}`)].join('\n');

export function registerIncidentCommand(program: Command, ctx: CliContext): void {
  const incident = program
    .command('incident')
    .description('Incidents: declare, acknowledge, update, mitigate, resolve; automatic timeline and postmortem draft')
    .addHelpText('after', examples('steadyops incident declare --title "checkout 5xx" --severity sev2 --service checkout-api', 'steadyops incident list --open', 'steadyops incident timeline INC-12'));
  registerDeclare(incident, ctx);
  registerList(incident, ctx);
  registerShow(incident, ctx);
  registerTransitions(incident, ctx);
  registerTimeline(incident, ctx);
  registerPostmortem(incident, ctx);
}

function registerDeclare(incident: Command, ctx: CliContext): void {
  withRoleOptions(
    incident
      .command('declare')
      .description('Declare an incident (by hand, or from a firing alert); it takes the next INC-<n> id')
      .option('--title <text>', 'what is wrong, in a few words')
      .option('--severity <sev>', incidentSeverities.join(', '))
      .option('--service <name>', 'an affected service (repeat for several)', collect, [])
      .option('--env <environment>', 'the environment affected')
      .option('--summary <text>', 'what is seen so far')
      .option('--from-alert <fingerprint>', "a firing alert: title, services, environment and severity (page -> sev2) default from it"),
  )
    .option('--format <format>', 'text or json')
    .addHelpText(
      'after',
      examples(
        'steadyops incident declare --title "card authorisations failing" --severity sev2 --service payments-api --commander ana',
        'steadyops incident declare --from-alert 3f9c2a1b7d0e4c55',
        'steadyops incident declare --server https://steadyops.example --token $TOKEN --title "search slow" --severity sev3 --service search-api',
      ),
    )
    .action(async (options: DeclareOptions) => {
      if (!options.fromAlert && (!options.title || !options.severity || options.service.length === 0)) {
        throw new SteadyopsError('SO_E_USAGE', { detail: 'give --title, --severity and --service, or --from-alert FINGERPRINT' });
      }
      const roles = rolesOf(options);
      const request = {
        ...(options.title ? { title: options.title } : {}),
        ...(options.severity ? { severity: options.severity } : {}),
        ...(options.service.length > 0 ? { services: options.service } : {}),
        ...(options.env ? { environment: options.env } : {}),
        ...(options.summary ? { summary: options.summary } : {}),
        ...(options.fromAlert ? { fromAlert: options.fromAlert } : {}),
      };
      const recorded = await withIncidents(
        ctx,
        (local) => local.incidents.declare({ ...request, ...(Object.keys(roles).length > 0 ? { roles } : {}) }, callerOf(ctx)),
        (api) => api.request<IncidentRecord>('POST', '/api/v1/incidents', { ...request, ...roles }),
      );
      reportRecord(ctx, recorded, options.format, 'Declared');
    });
}

function registerList(incident: Command, ctx: CliContext): void {
  incident
    .command('list')
    .description('Incidents, newest first')
    .option('--open', 'only incidents not resolved yet')
    .option('--resolved', 'only resolved incidents')
    .option('--severity <sev>', incidentSeverities.join(', '))
    .option('--service <name>', 'only incidents affecting this service')
    .option('--since <when>', 'declared since: a duration (7d) or an RFC 3339 time')
    .option('--limit <n>', 'at most this many', '50')
    .option('--cursor <id>', 'continue after this incident (the "more" hint of the previous page)')
    .option('--format <format>', 'text or json')
    .addHelpText('after', examples('steadyops incident list --open', 'steadyops incident list --service checkout-api --since 30d --format json'))
    .action(async (options: { open?: boolean; resolved?: boolean; severity?: string; service?: string; since?: string; limit: string; cursor?: string; format?: string }) => {
      if (options.open && options.resolved) throw new SteadyopsError('SO_E_USAGE', { detail: '--open and --resolved exclude each other' });
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new SteadyopsError('SO_E_USAGE', { detail: '--limit must be an integer from 1 to 200' });
      if (options.severity && !(incidentSeverities as readonly string[]).includes(options.severity)) {
        throw new SteadyopsError('SO_E_USAGE', { detail: `--severity must be one of ${incidentSeverities.join(', ')}, not "${options.severity}"` });
      }
      const state = options.open ? ('open' as const) : options.resolved ? ('resolved' as const) : undefined;
      const filter: IncidentFilter = {
        limit,
        ...(state ? { state } : {}),
        ...(options.severity ? { severity: options.severity as IncidentSeverity } : {}),
        ...(options.service ? { service: options.service } : {}),
        ...(options.cursor ? { cursor: options.cursor } : {}),
      };
      const query = new URLSearchParams({
        limit: String(limit),
        ...(state ? { state } : {}),
        ...(options.severity ? { severity: options.severity } : {}),
        ...(options.service ? { service: options.service } : {}),
        ...(options.since ? { since: options.since } : {}),
        ...(options.cursor ? { cursor: options.cursor } : {}),
      });
      const page = await withIncidents(
        ctx,
        (local) => local.incidents.list({ ...filter, ...(options.since ? { since: parseSince(options.since, ctx.clock.now()) } : {}) }),
        (api) => api.request<IncidentPage>('GET', `/api/v1/incidents?${query}`),
      );
      ctx.stdout(formatOf(options.format, ctx) === 'json' ? `${JSON.stringify(page, null, 2)}\n` : renderIncidentList(page));
    });
}

function registerShow(incident: Command, ctx: CliContext): void {
  incident
    .command('show')
    .description("An incident's state and its updates")
    .argument('<id>', 'the incident id, e.g. INC-12')
    .option('--format <format>', 'text or json')
    .addHelpText('after', examples('steadyops incident show INC-12', 'steadyops incident show INC-12 --format json'))
    .action(async (id: string, options: { format?: string }) => {
      const state = await withIncidents(ctx, (local) => local.incidents.show(id), (api) => api.request<IncidentState>('GET', `/api/v1/incidents/${encodeURIComponent(id)}`));
      ctx.stdout(formatOf(options.format, ctx) === 'json' ? `${JSON.stringify(state, null, 2)}\n` : renderIncidentText(state));
    });
}

function registerTransitions(incident: Command, ctx: CliContext): void {
  const path = (id: string, verb: string): string => `/api/v1/incidents/${encodeURIComponent(id)}/${verb}`;
  incident
    .command('ack')
    .description('Acknowledge an incident (once); you (STEADYOPS_USER or USER) are who acknowledged')
    .argument('<id>', 'the incident id')
    .option('--format <format>', 'text or json')
    .addHelpText('after', examples('steadyops incident ack INC-12'))
    .action(async (id: string, options: { format?: string }) => {
      const recorded = await withIncidents(ctx, (local) => local.incidents.acknowledge(id, callerOf(ctx)), (api) => api.request<IncidentRecord>('POST', path(id, 'acknowledge')));
      reportRecord(ctx, recorded, options.format, 'Acknowledged');
    });

  withRoleOptions(
    incident
      .command('update')
      .description('Post a status update; optionally set the status, change the severity or hand over a role')
      .argument('<id>', 'the incident id')
      .requiredOption('--message <text>', 'what is known now')
      .option('--status <status>', updateStatuses.join(', '))
      .option('--severity <sev>', `change the severity: ${incidentSeverities.join(', ')}`)
      .option('--caused-by <deploy>', 'confirm the deploy that caused it (its deploy id, or seq:N of its event; see `incident timeline`): counted in the change failure rate'),
  )
    .option('--format <format>', 'text or json')
    .addHelpText('after', examples('steadyops incident update INC-12 --message "bad deploy of v3.28.0" --status identified', 'steadyops incident update INC-12 --message "card payments down too" --severity sev1 --commander ana', 'steadyops incident update INC-12 --message "v3.28.0 caused it" --caused-by seq:48213'))
    .action(async (id: string, options: UpdateOptions) => {
      if (options.status && !(updateStatuses as readonly string[]).includes(options.status)) {
        throw new SteadyopsError('SO_E_USAGE', { detail: `--status must be one of ${updateStatuses.join(', ')}, not "${options.status}"` });
      }
      const roles = rolesOf(options);
      const request = {
        message: options.message,
        ...(options.status ? { status: options.status as (typeof updateStatuses)[number] } : {}),
        ...(options.severity ? { severity: options.severity } : {}),
        ...(options.causedBy ? { causedBy: options.causedBy } : {}),
      };
      const recorded = await withIncidents(
        ctx,
        (local) => local.incidents.update(id, { ...request, ...(Object.keys(roles).length > 0 ? { roles } : {}) }, callerOf(ctx)),
        (api) => api.request<IncidentRecord>('POST', path(id, 'updates'), { ...request, ...roles }),
      );
      reportRecord(ctx, recorded, options.format, 'Updated');
    });

  incident
    .command('mitigate')
    .description('Record that customer impact stopped')
    .argument('<id>', 'the incident id')
    .requiredOption('--summary <text>', 'what stopped the impact')
    .option('--format <format>', 'text or json')
    .addHelpText('after', examples('steadyops incident mitigate INC-12 --summary "rolled back to v3.27.0"'))
    .action(async (id: string, options: { summary: string; format?: string }) => {
      const recorded = await withIncidents(ctx, (local) => local.incidents.mitigate(id, options.summary, callerOf(ctx)), (api) => api.request<IncidentRecord>('POST', path(id, 'mitigate'), { summary: options.summary }));
      reportRecord(ctx, recorded, options.format, 'Mitigated');
    });

  incident
    .command('resolve')
    .description('Resolve (close) an incident')
    .argument('<id>', 'the incident id')
    .option('--summary <text>', 'how it ended')
    .option('--format <format>', 'text or json')
    .addHelpText('after', examples('steadyops incident resolve INC-12 --summary "fixed forward in v3.28.1"'))
    .action(async (id: string, options: { summary?: string; format?: string }) => {
      const recorded = await withIncidents(
        ctx,
        (local) => local.incidents.resolve(id, options.summary, callerOf(ctx)),
        (api) => api.request<IncidentRecord>('POST', path(id, 'resolve'), options.summary ? { summary: options.summary } : {}),
      );
      reportRecord(ctx, recorded, options.format, 'Resolved');
    });
}

function registerTimeline(incident: Command, ctx: CliContext): void {
  incident
    .command('timeline')
    .description('The automatic timeline: alerts, deploys, rollbacks, config, flags, infra, access and merges on the affected services and their dependencies, with the likely trigger')
    .argument('<id>', 'the incident id')
    .option('--window <duration>', 'how far before the first alert (or the declaration) to start', '2h')
    .option('--format <format>', 'text, json or markdown')
    .addHelpText(
      'after',
      [
        '',
        "Times are each event's own time; an event ingested over a minute late says so (clock skew between sources).",
        examples('steadyops incident timeline INC-12', 'steadyops incident timeline INC-12 --window 6h --format markdown > timeline.md'),
      ].join('\n'),
    )
    .action(async (id: string, options: { window: string; format?: string }) => {
      const format = formatOf(options.format, ctx, ['text', 'json', 'markdown']);
      const timeline = await readTimeline(ctx, id, parseDuration(options.window));
      if (format === 'json') ctx.stdout(`${JSON.stringify(timeline, null, 2)}\n`);
      else if (format === 'markdown') ctx.stdout(renderTimelineMarkdown(timeline, ctx.globals().server));
      else ctx.stdout(renderTimelineText(timeline));
    });
}

function registerPostmortem(incident: Command, ctx: CliContext): void {
  incident
    .command('postmortem')
    .description('Write a blameless postmortem draft (Markdown) from the ledger; with --url, record it as published')
    .argument('<id>', 'the incident id')
    .requiredOption('--out <file>', 'the Markdown file to write')
    .option('--force', 'overwrite the file if it exists')
    .option('--url <url>', 'where the postmortem is published: recorded as a dev.steadyops.incident.postmortem event')
    .option('--window <duration>', 'timeline window before the first alert', '2h')
    .option('--prometheus <url>', "Prometheus for the SLO budget burned, over the Environment's (env STEADYOPS_PROMETHEUS_URL)")
    .addHelpText(
      'after',
      [
        '',
        'The SLO budget burned is read from Prometheus when the services have SLOs and it answers; otherwise the draft says "no SLO data".',
        examples('steadyops incident postmortem INC-12 --out postmortems/INC-12.md', 'steadyops incident postmortem INC-12 --out INC-12.md --force --url https://wiki.example.com/postmortems/INC-12'),
      ].join('\n'),
    )
    .action(async (id: string, options: { out: string; force?: boolean; url?: string; window: string; prometheus?: string }) => {
      const file = resolve(ctx.cwd, options.out);
      if (existsSync(file) && !options.force) throw new SteadyopsError('SO_E_USAGE', { detail: `${options.out} exists; add --force to overwrite it` });
      const windowMs = parseDuration(options.window);
      const remote = ctx.globals().server;
      const draft = await withIncidents(
        ctx,
        async (local) => {
          const timeline = await local.timeline(id, windowMs);
          const state = options.url ? (await local.incidents.postmortem(id, published(options.url, timeline), callerOf(ctx))).incident : await local.incidents.show(id);
          const impact = await sloImpact(ctx, local.model, state, options.prometheus);
          return renderPostmortem(state, timeline, impact, { now: ctx.clock.now() });
        },
        async (api) => {
          const timeline = await remoteTimeline(api, id, windowMs);
          const state = options.url
            ? (await api.request<IncidentRecord>('POST', `/api/v1/incidents/${encodeURIComponent(id)}/postmortem`, published(options.url, timeline))).incident
            : await api.request<IncidentState>('GET', `/api/v1/incidents/${encodeURIComponent(id)}`);
          const impact: SloImpact = { measured: false, reason: 'no SLO data (not measured through a remote server)' };
          return renderPostmortem(state, timeline, impact, { now: ctx.clock.now(), ...(remote ? { serverUrl: remote } : {}) });
        },
      );
      await writeFile(file, draft);
      ctx.stderr(`wrote the ${id} postmortem draft to ${options.out}${options.url ? ` and recorded it as published at ${options.url}` : ''}\n`);
    });
}

/** What `--url` records: where it is published and the likely trigger the draft names. */
function published(url: string, timeline: IncidentTimeline): { url: string; trigger?: TriggerReference } {
  const trigger = timeline.likelyTrigger;
  return { url, ...(trigger ? { trigger: { seq: trigger.seq, type: trigger.type, summary: trigger.summary } } : {}) };
}

async function sloImpact(ctx: CliContext, model: ResolvedModel | undefined, incident: IncidentState, override: string | undefined): Promise<SloImpact> {
  return sloImpactOf(ctx, model, override)(incident, ctx.clock.now());
}

/** The SLO budget an incident burned until `end`, from the Prometheus of the model's environments (or --prometheus). */
function sloImpactOf(ctx: CliContext, model: ResolvedModel | undefined, override: string | undefined): (incident: IncidentState, end: Date) => Promise<SloImpact> {
  if (!model) return (incident, end) => measureSloImpact(undefined, model, incident, end);
  const url = override ?? (ctx.env.STEADYOPS_PROMETHEUS_URL || undefined);
  const prometheus = prometheusFor(model, { ...(url ? { override: url } : {}), timeoutMs: 5_000 });
  return (incident, end) => measureSloImpact((clock) => createSloStatusService({ prometheus, clock }), model, incident, end);
}

async function readTimeline(ctx: CliContext, id: string, windowMs: number): Promise<IncidentTimeline> {
  return withIncidents(ctx, (local) => local.timeline(id, windowMs), (api) => remoteTimeline(api, id, windowMs));
}

/** Every page of the server's timeline, joined. */
async function remoteTimeline(api: ApiClient, id: string, windowMs: number): Promise<IncidentTimeline> {
  const pages: TimelinePage[] = [];
  let cursor: number | undefined;
  do {
    const query = new URLSearchParams({ window: `${windowMs}ms`, limit: '1000', ...(cursor !== undefined ? { cursor: String(cursor) } : {}) });
    const page = await api.request<TimelinePage>('GET', `/api/v1/incidents/${encodeURIComponent(id)}/timeline?${query}`);
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  const { nextCursor: _last, ...first } = pages[0]!;
  return pageTimeline({ ...first, entries: pages.flatMap((page) => page.entries) }, {});
}

/** Runs against the local ledger, or through a remote server when --server is given. */
async function withIncidents<T>(ctx: CliContext, local: (deps: Local) => Promise<T>, remote: (api: ApiClient) => Promise<T>): Promise<T> {
  const globals = ctx.globals();
  if (globals.server) return remote(createApiClient(globals.server, globals.token));
  const model = await loadModelIfPresent(globals.config, ctx.cwd);
  return withRuntime({ db: globals.db, cwd: ctx.cwd, env: ctx.env, clock: ctx.clock }, async ({ ledger }) => {
    const incidents = createIncidentService({ ledger, clock: ctx.clock, model: () => model, sloImpact: sloImpactOf(ctx, model, undefined) });
    const timeline = (id: string, windowMs: number) => readIncidentTimeline({ ledger, incidents, model: () => model }, id, windowMs, ctx.clock.now());
    const result = await local({ incidents, model, timeline });
    await ledger.cutCheckpoint();
    return result;
  });
}

function withRoleOptions(command: Command): Command {
  return command
    .option('--commander <name>', 'the incident commander')
    .option('--communications <name>', 'who keeps stakeholders informed')
    .option('--scribe <name>', 'who keeps the record');
}

function rolesOf(options: RoleOptions): IncidentRoles {
  return {
    ...(options.commander ? { commander: options.commander } : {}),
    ...(options.communications ? { communications: options.communications } : {}),
    ...(options.scribe ? { scribe: options.scribe } : {}),
  };
}

function callerOf(ctx: CliContext): Caller {
  return { actor: cliActor(ctx), name: ctx.env.STEADYOPS_USER ?? ctx.env.USER ?? 'unknown' };
}

function formatOf(format: string | undefined, ctx: CliContext, allowed: readonly string[] = ['text', 'json']): string {
  const chosen = format ?? ctx.globals().format ?? 'text';
  if (!allowed.includes(chosen)) throw new SteadyopsError('SO_E_USAGE', { detail: `--format must be one of ${allowed.join(', ')}, not "${chosen}"` });
  return chosen;
}

function reportRecord(ctx: CliContext, recorded: IncidentRecord, format: string | undefined, verb: string): void {
  if (formatOf(format, ctx) === 'json') {
    ctx.stdout(`${JSON.stringify(recorded, null, 2)}\n`);
    return;
  }
  const { incident } = recorded;
  ctx.stdout(`${verb} ${incident.id} [${incident.severity}, ${incident.status}] ${incident.title} (ledger seq ${recorded.seq}).\n`);
}
