import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { instrumentLedger } from './instrument-ledger.ts';
import { auth } from './plugins/auth.ts';
import { jsonBody } from './plugins/json-body.ts';
import { createServerMetrics, metrics } from './plugins/metrics.ts';
import { openApi } from './plugins/openapi.ts';
import { problemDetails } from './plugins/problem-details.ts';
import { changeRoutes } from './routes/change-routes.ts';
import { eventRoutes } from './routes/event-routes.ts';
import { healthRoutes } from './routes/health-routes.ts';
import { ledgerRoutes } from './routes/ledger-routes.ts';
import { modelRoutes } from './routes/model-routes.ts';
import { tokenRoutes } from './routes/token-routes.ts';
import { whoamiRoutes } from './routes/whoami-routes.ts';
import { gateRoutes } from './routes/gate-routes.ts';
import { sloRoutes } from './routes/slo-routes.ts';
import { saturationRoutes } from './routes/saturation-routes.ts';
import { auditRoutes } from './routes/audit-routes.ts';
import { webRoutes } from './routes/web-routes.ts';
import { createGateService } from '../release/gate-service.ts';
import { createDeploymentReviewer } from '../connectors/github/deployment-reviewer.ts';
import { githubHookRoutes } from './routes/github-hook-routes.ts';
import { alertHookRoutes } from './routes/alert-hook-routes.ts';
import { cloudEventsHookRoutes } from './routes/cloudevents-hook-routes.ts';
import { createLiveSubjectResolver } from '../connectors/resolve-subject.ts';
import { createEventHub } from './event-hub.ts';
import { publishingLedger } from './publishing-ledger.ts';
import { eventStreamRoutes } from './routes/event-stream-routes.ts';
import { connectorRoutes } from './routes/connector-routes.ts';
import { createConnectorActivityFollower } from './connector-activity-follower.ts';
import { defaultBodyLimit, type ServerDeps } from './server-deps.ts';

export type { ServerDeps } from './server-deps.ts';

/** Paths pino blanks in every log line: bearer tokens must never reach a log. */
export const redactedLogPaths = [
  'req.headers.authorization',
  'request.headers.authorization',
  'headers.authorization',
  'authorization',
  'token',
  '*.token',
];

/** The HTTP application, ready for `inject()` or `listen()`. */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const bodyLimit = deps.bodyLimit ?? defaultBodyLimit;
  const app = Fastify({
    bodyLimit,
    logger: loggerOptions(deps.logger),
    ajv: { customOptions: { allErrors: true } },
    return503OnClosing: true,
  });
  const serverMetrics = createServerMetrics(deps.ledger);
  // live readers learn of appends through this server at once, and of other processes' appends by polling
  const hub = createEventHub(deps.ledger, deps.liveEvents?.pollMs !== undefined ? { pollMs: deps.liveEvents.pollMs } : {});
  const ledger = publishingLedger(instrumentLedger(deps.ledger, serverMetrics), hub);
  app.addHook('onClose', async () => hub.close());

  problemDetails(app, { bodyLimit });
  jsonBody(app, ['application/json']);
  auth(app, deps.tokens);
  await openApi(app, deps.version);
  metrics(app, serverMetrics);

  healthRoutes(app, deps.ready);
  eventStreamRoutes(app, { ledger, hub, ...(deps.liveEvents?.heartbeatMs !== undefined ? { heartbeatMs: deps.liveEvents.heartbeatMs } : {}) });
  await eventRoutes(app, ledger);
  changeRoutes(app, ledger, deps.clock, deps.model);
  ledgerRoutes(app, ledger);
  modelRoutes(app, deps.model);
  tokenRoutes(app, deps.tokens, deps.clock);
  whoamiRoutes(app);
  const gates = createGateService({
    ledger,
    clock: deps.clock,
    model: () => deps.model.current(),
    ...(deps.slos ? { budgets: deps.slos } : {}),
    ...(deps.prometheus ? { prometheus: deps.prometheus } : {}),
  });
  gateRoutes(app, gates);
  sloRoutes(app, deps.model, deps.slos);
  saturationRoutes(app, deps.model, deps.saturation);
  auditRoutes(app, deps.audit, deps.version);
  // hooks resolve subjects through the model as loaded at the time of each delivery
  const resolve = createLiveSubjectResolver(() => deps.model.current());
  const reviewer = deps.githubApp ? createDeploymentReviewer(deps.githubApp) : undefined;
  githubHookRoutes(app, { ledger, resolve, secret: deps.githubWebhookSecret, clock: deps.clock, protection: { gates, reviewer } });
  alertHookRoutes(app, { ledger, resolve, clock: deps.clock });
  await cloudEventsHookRoutes(app, { ledger, resolve, clock: deps.clock });
  connectorRoutes(app, createConnectorActivityFollower(ledger, deps.clock), {
    githubWebhookSecret: Boolean(deps.githubWebhookSecret),
    githubApp: Boolean(deps.githubApp),
  });
  await webRoutes(app, deps.webRoot);

  await app.ready();
  return app;
}

function loggerOptions(logger: ServerDeps['logger']): FastifyServerOptions['logger'] {
  if (logger === undefined || logger === false) return false;
  const base = { redact: { paths: redactedLogPaths, censor: '[redacted]' } };
  if (logger === true) return { ...base, level: 'info' };
  return { ...base, level: logger.level, ...(logger.stream ? { stream: logger.stream } : {}) };
}
