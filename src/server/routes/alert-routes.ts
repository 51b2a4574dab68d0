import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AlertQuery, AlertService } from '../../incidents/alerts/alert-service.ts';
import { defaultAlertWindow } from '../../incidents/alerts/alert-service.ts';
import type { Clock } from '../../lib/clock.ts';
import { parseSince } from '../../lib/duration.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import { toJsonSchema } from '../json-schema.ts';
import { parseInput } from '../parse-input.ts';
import { problemResponses } from '../schemas/problem.ts';

const alertsQuery = z.object({
  firing: z
    .enum(['true', 'false', '1', '0', ''])
    .optional()
    .transform((value) => value === 'true' || value === '1' || value === '')
    .describe('only alerts still firing or acknowledged'),
  team: z.string().min(1).optional().describe('only alerts of services this team owns'),
  service: z.string().min(1).optional(),
  since: z.string().default(defaultAlertWindow).describe('a duration back from now (24h, 7d) or an RFC 3339 time'),
});

const missing = z.array(z.enum(['owner', 'runbook', 'firstAction']));

const onCall = z.object({
  kind: z.enum(['rotation', 'schedule', 'none']),
  text: z.string().describe('the person, "external schedule PROVIDER ID URL", or why nobody is known'),
  person: z.object({ email: z.string(), name: z.string().optional() }).optional(),
  shiftStart: z.string().optional(),
  shiftEnd: z.string().optional(),
  provider: z.string().optional(),
  id: z.string().optional(),
  url: z.string().optional(),
});

const routedAlert = z.object({
  fingerprint: z.string(),
  alertname: z.string(),
  state: z.enum(['firing', 'acknowledged', 'resolved']),
  since: z.string(),
  startsAt: z.string(),
  acknowledgedAt: z.string().optional(),
  acknowledgedBy: z.string().optional(),
  environment: z.string().optional(),
  severity: z.string(),
  service: z.string().optional(),
  team: z.string().optional(),
  onCall: onCall.describe('who was on call when the alert started'),
  runbook: z.string().optional(),
  firstAction: z.string().optional(),
  missing,
});

const alertsResponse = z.object({ at: z.string(), since: z.string(), alerts: z.array(routedAlert) });

const gapsResponse = z.object({
  at: z.string(),
  since: z.string(),
  gaps: z.array(
    z.object({
      alertname: z.string(),
      source: z.enum(['ledger', 'rule', 'model']),
      sources: z.array(z.enum(['ledger', 'rule', 'model'])).optional(),
      missing,
      severity: z.string(),
      service: z.string().optional(),
      team: z.string().optional(),
      where: z.string().optional(),
    }),
  ),
});

function alertQuery(input: unknown, now: Date): AlertQuery {
  const query = parseInput(alertsQuery, input, 'querystring');
  let since: Date;
  try {
    since = parseSince(query.since, now);
  } catch (error) {
    if (!(error instanceof SteadyopsError)) throw error;
    throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `invalid querystring: querystring.since: ${error.message}` }, [{ path: 'querystring.since', message: error.message }]);
  }
  return { since, ...(query.firing ? { firing: true } : {}), ...(query.team ? { team: query.team } : {}), ...(query.service ? { service: query.service } : {}) };
}

/** GET /api/v1/alerts and /api/v1/alerts/gaps: what `steadyops alerts [--gaps] --format json` prints. */
export function alertRoutes(app: FastifyInstance, alerts: AlertService, clock: Clock): void {
  const querystring = toJsonSchema(alertsQuery, 'input');
  const routes = [
    { path: '/api/v1/alerts', summary: 'Recent alerts routed to owners: state, team, who was on call, runbook and first action', response: alertsResponse, answer: alerts.list },
    { path: '/api/v1/alerts/gaps', summary: 'Alerts (ledger, rule files, model routes) without an owner, a runbook or a first action', response: gapsResponse, answer: alerts.gaps },
  ];
  for (const route of routes) {
    app.get(
      route.path,
      {
        config: { role: 'viewer' },
        schema: { summary: route.summary, tags: ['alerts'], querystring, response: { 200: toJsonSchema(route.response, 'output'), ...problemResponses } },
      },
      async (request) => route.answer(alertQuery(request.query, clock.now())),
    );
  }
}
