import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ConnectorId } from '../../connectors/connector-activity.ts';
import type { ConnectorActivityFollower } from '../connector-activity-follower.ts';
import { toJsonSchema } from '../json-schema.ts';
import { problemResponses } from '../schemas/problem.ts';

export interface ConnectorSettings {
  /** STEADYOPS_GITHUB_WEBHOOK_SECRET is set (/hooks/github answers 503 without it) */
  readonly githubWebhookSecret: boolean;
  /** a GitHub App answers deployment protection rules */
  readonly githubApp: boolean;
}

interface ConnectorInfo {
  readonly title: string;
  readonly kind: 'webhook' | 'watcher' | 'import' | 'push' | 'internal';
  readonly hooks: readonly string[];
  readonly configured: (settings: ConnectorSettings) => Record<string, boolean>;
}

const always = () => ({ token: true });
const none = () => ({});

const catalogue: Record<ConnectorId, ConnectorInfo> = {
  github: {
    title: 'GitHub webhooks',
    kind: 'webhook',
    hooks: ['/hooks/github'],
    configured: (settings) => ({ webhookSecret: settings.githubWebhookSecret, app: settings.githubApp }),
  },
  alertmanager: { title: 'Alertmanager webhook', kind: 'webhook', hooks: ['/hooks/alertmanager'], configured: always },
  pagerduty: {
    title: 'PagerDuty Events v2',
    kind: 'webhook',
    hooks: ['/hooks/pagerduty/v2/enqueue', '/hooks/pagerduty/v2/change/enqueue'],
    configured: always,
  },
  cloudevents: { title: 'CloudEvents and CDEvents over HTTP', kind: 'webhook', hooks: ['/hooks/cloudevents', '/api/v1/events'], configured: always },
  kubernetes: { title: 'Kubernetes watcher', kind: 'watcher', hooks: [], configured: none },
  git: { title: 'Git history import', kind: 'import', hooks: [], configured: none },
  terraform: { title: 'Terraform plan import', kind: 'import', hooks: [], configured: none },
  cli: { title: 'CLI pushes (steadyops events push)', kind: 'push', hooks: [], configured: none },
  steadyops: { title: 'steadyops itself (gates, audits, tokens, rollout guard)', kind: 'internal', hooks: [], configured: none },
};

const lastEvent = z
  .object({ seq: z.number().int(), type: z.string(), source: z.string(), time: z.string(), receivedAt: z.string() })
  .nullable();
const connectorsResponse = z.object({
  head: z.number().int(),
  window: z.object({ fromSeq: z.number().int(), countsComplete: z.boolean() }),
  connectors: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      kind: z.enum(['webhook', 'watcher', 'import', 'push', 'internal']),
      hooks: z.array(z.string()),
      configured: z.record(z.string(), z.boolean()),
      lastEvent,
      last24h: z.number().int(),
    }),
  ),
});

/**
 * GET /api/v1/connectors: per connector, the last event the ledger received from it, how many arrived in
 * the last 24 h, its webhook URLs (absolute, as this request reached the server) and whether it is configured
 * (booleans only: never a secret).
 */
export function connectorRoutes(app: FastifyInstance, follower: ConnectorActivityFollower, settings: ConnectorSettings): void {
  app.get(
    '/api/v1/connectors',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'Connectors status: last event and 24 h count per source, webhook URLs, whether each hook is configured',
        tags: ['connectors'],
        response: { 200: toJsonSchema(connectorsResponse, 'output'), ...problemResponses },
      },
    },
    async (request) => {
      const report = await follower.report();
      const base = baseUrl(request);
      return {
        head: report.head,
        window: { fromSeq: report.fromSeq, countsComplete: report.countsComplete },
        connectors: report.connectors.map((activity) => {
          const info = catalogue[activity.id];
          return {
            ...activity,
            title: info.title,
            kind: info.kind,
            hooks: info.hooks.map((path) => `${base}${path}`),
            configured: info.configured(settings),
          };
        }),
      };
    },
  );
}

/** The origin the caller reached: X-Forwarded-Proto/Host from a reverse proxy, else the request's own. */
function baseUrl(request: FastifyRequest): string {
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim() || undefined;
  const proto = first(request.headers['x-forwarded-proto']) ?? request.protocol;
  const host = first(request.headers['x-forwarded-host']) ?? request.host;
  return `${proto}://${host}`;
}
