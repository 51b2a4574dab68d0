import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Caller, IncidentService } from '../../incidents/incident-service.ts';
import { pageTimeline, readIncidentTimeline, type TimelineReaderDeps } from '../../incidents/incident-timeline.ts';
import { incidentSeverities, updateStatuses } from '../../incidents/incident-types.ts';
import type { Clock } from '../../lib/clock.ts';
import { parseDuration, parseSince } from '../../lib/duration.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import { toJsonSchema } from '../json-schema.ts';
import { parseInput } from '../parse-input.ts';
import { principalOf } from '../plugins/auth.ts';
import { problemResponses } from '../schemas/problem.ts';

const severity = z.enum(incidentSeverities);
const person = z.string().min(1);

const declareRequest = z
  .object({
    title: z.string().min(1).optional(),
    severity: severity.optional(),
    services: z.array(z.string().min(1)).optional(),
    environment: z.string().min(1).optional(),
    commander: person.optional(),
    communications: person.optional(),
    scribe: person.optional(),
    summary: z.string().optional(),
    fromAlert: z.string().min(1).optional().describe('fingerprint of a firing alert: title, services, environment and severity default from it'),
  })
  .refine((body) => body.fromAlert !== undefined || (body.title !== undefined && body.severity !== undefined && (body.services?.length ?? 0) > 0), {
    message: 'give title, severity and services, or fromAlert (the fingerprint of a firing alert)',
  });

const updateRequest = z.object({
  message: z.string().min(1),
  status: z.enum(updateStatuses).optional(),
  severity: severity.optional(),
  commander: person.optional(),
  communications: person.optional(),
  scribe: person.optional(),
  causedBy: z.string().min(1).optional().describe('the deploy that caused it, confirmed: its deploy id, or seq:N of its deploy event'),
});

const summaryRequest = z.object({ summary: z.string().min(1) });
const resolveRequest = z.object({ summary: z.string().min(1).optional() });
const postmortemRequest = z.object({
  url: z.url(),
  followUps: z.array(z.object({ title: z.string().min(1), owner: z.string().min(1).optional(), due: z.iso.date().optional(), issue: z.string().min(1).optional() })).optional(),
  trigger: z
    .object({ seq: z.int().positive(), type: z.string().min(1), summary: z.string().min(1).optional() })
    .optional()
    .describe('the likely trigger the postmortem names (a timeline entry: seq, type, summary)'),
});

const listQuery = z.object({
  state: z.enum(['open', 'resolved']).optional(),
  severity: severity.optional(),
  service: z.string().min(1).optional(),
  since: z.string().optional().describe('declared since: a duration back from now (7d) or an RFC 3339 time'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).optional().describe('the `nextCursor` of the previous page'),
});

const idParams = z.object({ id: z.string().regex(/^[A-Za-z0-9._-]+$/, 'an incident id such as INC-12') });

const defaultWindow = '2h';

const timelineQuery = z.object({
  window: z.string().default(defaultWindow).describe('how far before the first alert (or the declaration) the timeline starts'),
  limit: z.coerce.number().int().min(1).max(5_000).optional(),
  cursor: z.coerce.number().int().min(1).optional().describe('the `nextCursor` (a seq) of the previous page'),
});

const update = z.object({
  at: z.string(),
  kind: z.string(),
  actor: z.string(),
  message: z.string(),
  status: z.string().optional(),
  severity: z.string().optional(),
  seq: z.number().int().optional(),
});

const incident = z.object({
  id: z.string(),
  title: z.string(),
  severity,
  services: z.array(z.string()),
  environment: z.string().optional(),
  roles: z.object({ commander: z.string().optional(), communications: z.string().optional(), scribe: z.string().optional() }),
  status: z.string(),
  summary: z.string().optional(),
  fromAlert: z.string().optional(),
  declaredAt: z.string(),
  acknowledgedAt: z.string().optional(),
  acknowledgedBy: z.string().optional(),
  mitigatedAt: z.string().optional(),
  resolvedAt: z.string().optional(),
  postmortemUrl: z.string().optional(),
  causedBy: z.object({ deployId: z.string(), seq: z.number().int().optional() }).optional().describe('the deploy a responder confirmed caused it'),
  followUps: z.array(z.object({ title: z.string(), owner: z.string().optional(), due: z.string().optional(), issue: z.string().optional() })),
  updates: z.array(update),
  severityHistory: z.array(z.object({ at: z.string(), severity, seq: z.number().int().optional() })),
  eventCount: z.number().int(),
});

const recordResponse = z.object({ incident, seq: z.number().int().describe('the ledger sequence number of the event written') });
const listResponse = z.object({ items: z.array(incident), nextCursor: z.string().optional() });

const entry = z.object({
  time: z.string(),
  kind: z.string(),
  type: z.string(),
  summary: z.string(),
  service: z.string().optional(),
  actor: z.string(),
  seq: z.number().int(),
  eventId: z.string(),
  source: z.string(),
  ingestionDelayMs: z.number().optional().describe('ingested_at - time, when over a minute'),
  link: z.string().optional(),
  likelyTrigger: z.boolean().optional(),
  triggerReason: z.string().optional(),
});

const timelineResponse = z.object({
  incidentId: z.string(),
  window: z.object({ since: z.string(), until: z.string() }),
  subjects: z.object({ services: z.array(z.string()), dependencies: z.array(z.string()) }),
  firstAlert: z.object({ time: z.string(), seq: z.number().int(), alertname: z.string(), service: z.string().optional() }).optional(),
  likelyTrigger: entry.optional(),
  entries: z.array(entry),
  nextCursor: z.number().int().optional(),
});

const tags = ['incidents'];

function callerOf(request: FastifyRequest): Caller {
  const principal = principalOf(request);
  return { actor: principal.actor, name: principal.name };
}

function rolesOf(body: { commander?: string | undefined; communications?: string | undefined; scribe?: string | undefined }) {
  return {
    ...(body.commander ? { commander: body.commander } : {}),
    ...(body.communications ? { communications: body.communications } : {}),
    ...(body.scribe ? { scribe: body.scribe } : {}),
  };
}

function parameter<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof SteadyopsError)) throw error;
    throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `querystring.${name}: ${error.message}` }, [{ path: `querystring.${name}`, message: error.message }]);
  }
}

export interface IncidentRouteDeps extends TimelineReaderDeps {
  readonly clock: Clock;
}

/** The incident lifecycle over HTTP; every write is one ledger event with the token as actor. */
export function incidentRoutes(app: FastifyInstance, incidents: IncidentService, deps: IncidentRouteDeps): void {
  const write = (path: string, summary: string, body: z.ZodType | undefined, handle: (id: string, body: unknown, caller: Caller) => Promise<unknown>) =>
    app.post(
      `/api/v1/incidents/:id/${path}`,
      {
        config: { role: 'operator' },
        schema: {
          summary,
          tags,
          params: toJsonSchema(idParams, 'input'),
          ...(body ? { body: toJsonSchema(body, 'input') } : {}),
          response: { 201: toJsonSchema(recordResponse, 'output'), ...problemResponses },
        },
      },
      async (request, reply) => {
        const { id } = parseInput(idParams, request.params, 'params');
        const parsed = body ? parseInput(body, request.body ?? {}, 'body') : undefined;
        return reply.code(201).send(await handle(id, parsed, callerOf(request)));
      },
    );

  app.post(
    '/api/v1/incidents',
    {
      config: { role: 'operator' },
      schema: {
        summary: 'Declare an incident, by hand or from a firing alert (fromAlert); the next INC-<n> id is taken',
        tags,
        body: toJsonSchema(declareRequest, 'input'),
        response: { 201: toJsonSchema(recordResponse, 'output'), ...problemResponses },
      },
    },
    async (request, reply) => {
      const body = parseInput(declareRequest, request.body, 'body');
      const roles = rolesOf(body);
      const recorded = await incidents.declare(
        {
          ...(body.title ? { title: body.title } : {}),
          ...(body.severity ? { severity: body.severity } : {}),
          ...(body.services ? { services: body.services } : {}),
          ...(body.environment ? { environment: body.environment } : {}),
          ...(Object.keys(roles).length > 0 ? { roles } : {}),
          ...(body.summary ? { summary: body.summary } : {}),
          ...(body.fromAlert ? { fromAlert: body.fromAlert } : {}),
        },
        callerOf(request),
      );
      return reply.code(201).send(recorded);
    },
  );

  app.get(
    '/api/v1/incidents',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Incidents, newest first: open or resolved, by severity, service and declaration time; paginated',
        tags,
        querystring: toJsonSchema(listQuery, 'input'),
        response: { 200: toJsonSchema(listResponse, 'output'), ...problemResponses },
      },
    },
    async (request) => {
      const query = parseInput(listQuery, request.query, 'querystring');
      const since = query.since === undefined ? undefined : parameter('since', () => parseSince(query.since as string, deps.clock.now()));
      return incidents.list({
        limit: query.limit,
        ...(query.state ? { state: query.state } : {}),
        ...(query.severity ? { severity: query.severity } : {}),
        ...(query.service ? { service: query.service } : {}),
        ...(since ? { since } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
    },
  );

  app.get(
    '/api/v1/incidents/:id',
    {
      config: { role: 'viewer' },
      schema: { summary: "An incident's state, folded from its ledger events", tags, params: toJsonSchema(idParams, 'input'), response: { 200: toJsonSchema(incident, 'output'), ...problemResponses } },
    },
    async (request) => incidents.show(parseInput(idParams, request.params, 'params').id),
  );

  app.get(
    '/api/v1/incidents/:id/timeline',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'The automatic timeline: alerts and changes on the affected services and their dependencies, the updates, and the likely trigger',
        tags,
        params: toJsonSchema(idParams, 'input'),
        querystring: toJsonSchema(timelineQuery, 'input'),
        response: { 200: toJsonSchema(timelineResponse, 'output'), ...problemResponses },
      },
    },
    async (request) => {
      const { id } = parseInput(idParams, request.params, 'params');
      const query = parseInput(timelineQuery, request.query, 'querystring');
      const windowMs = parameter('window', () => parseDuration(query.window));
      const timeline = await readIncidentTimeline(deps, id, windowMs, deps.clock.now());
      return pageTimeline(timeline, { ...(query.limit !== undefined ? { limit: query.limit } : {}), ...(query.cursor !== undefined ? { cursor: query.cursor } : {}) });
    },
  );

  write('acknowledge', 'Acknowledge an incident (once); the token holder is who acknowledged', undefined, (id, _body, caller) => incidents.acknowledge(id, caller));
  write('updates', 'Post a status update: message, and optionally status, severity and roles', updateRequest, (id, body, caller) => {
    const parsed = body as z.output<typeof updateRequest>;
    const roles = rolesOf(parsed);
    return incidents.update(
      id,
      { message: parsed.message, ...(parsed.status ? { status: parsed.status } : {}), ...(parsed.severity ? { severity: parsed.severity } : {}), ...(Object.keys(roles).length > 0 ? { roles } : {}), ...(parsed.causedBy ? { causedBy: parsed.causedBy } : {}) },
      caller,
    );
  });
  write('mitigate', 'Record that customer impact stopped', summaryRequest, (id, body, caller) => incidents.mitigate(id, (body as z.output<typeof summaryRequest>).summary, caller));
  write('resolve', 'Resolve (close) an incident', resolveRequest, (id, body, caller) => incidents.resolve(id, (body as z.output<typeof resolveRequest>).summary, caller));
  write('postmortem', 'Record the published postmortem of a resolved incident, with its follow-ups', postmortemRequest, (id, body, caller) => {
    const parsed = body as z.output<typeof postmortemRequest>;
    return incidents.postmortem(id, { url: parsed.url, ...(parsed.followUps ? { followUps: parsed.followUps } : {}), ...(parsed.trigger ? { trigger: parsed.trigger } : {}) }, caller);
  });
}
