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
import { incidentRoutes } from './routes/incident-routes.ts';
import { createIncidentService } from '../incidents/incident-service.ts';
import { measureSloImpact } from '../incidents/slo-impact.ts';
import { createSloStatusService } from '../slo/slo-status-service.ts';
import { sloRoutes } from './routes/slo-routes.ts';
import { sloHistoryRoutes } from './routes/slo-history-routes.ts';
import { rollbackRoutes } from './routes/rollback-routes.ts';
import { createReleaseRollbackCheck } from '../release/rollback/release-rollback-check.ts';
import { createGitMigrationSource } from '../connectors/git/migration-diff.ts';
import { loadSqlParser } from '../release/rollback/sql-parser.ts';
import { createSloHistoryService } from '../slo/slo-history-service.ts';
import { saturationRoutes } from './routes/saturation-routes.ts';
import { auditRoutes } from './routes/audit-routes.ts';
import { alertRoutes } from './routes/alert-routes.ts';
import { runbookRoutes } from './routes/runbook-routes.ts';
import { createAlertService } from '../incidents/alerts/alert-service.ts';
import { readAlertRules } from '../audit/scanners/read-alert-rules.ts';
import { followUpRoutes } from './routes/followup-routes.ts';
import { createFollowUpService } from '../incidents/followups/follow-up-service.ts';
import { metricRoutes } from './routes/metric-routes.ts';
import { createMetricsService } from '../metrics/metrics-service.ts';
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
import { followNotifications } from './notification-follower.ts';
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
  if (deps.notifications) await followNotifications(app, { hub, ledger, clock: deps.clock, model: deps.model, settings: deps.notifications });

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
  const prometheus = deps.prometheus;
  const incidents = createIncidentService({
    ledger,
    clock: deps.clock,
    model: () => deps.model.current(),
    ...(prometheus
      ? { sloImpact: (incident, end) => measureSloImpact((clock) => createSloStatusService({ prometheus, clock }), deps.model.current(), incident, end) }
      : {}),
  });
  incidentRoutes(app, incidents, { ledger, incidents, clock: deps.clock, model: () => deps.model.current() });
  sloRoutes(app, deps.model, deps.slos);
  sloHistoryRoutes(app, deps.model, deps.prometheus ? createSloHistoryService({ prometheus: deps.prometheus, clock: deps.clock }) : undefined);
  rollbackRoutes(
    app,
    deps.repositoryRoot
      ? createReleaseRollbackCheck({ ledger, clock: deps.clock, model: () => deps.model.current(), repository: createGitMigrationSource(deps.repositoryRoot, { shownAs: "the model's folder" }), parser: loadSqlParser })
      : undefined,
  );
  saturationRoutes(app, deps.model, deps.saturation);
  auditRoutes(app, deps.audit, deps.version);
  const alertRules = async () => (deps.repositoryRoot ? readAlertRules(deps.repositoryRoot) : []);
  alertRoutes(app, createAlertService({ ledger, clock: deps.clock, model: deps.model, alertRules }), deps.clock);
  runbookRoutes(app, { model: deps.model, clock: deps.clock, alertRules, ...(deps.repositoryRoot ? { repositoryRoot: deps.repositoryRoot } : {}) });
  followUpRoutes(app, createFollowUpService({ ledger, clock: deps.clock, model: () => deps.model.current() }));
  metricRoutes(app, createMetricsService({ ledger, clock: deps.clock }), deps.model);
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
