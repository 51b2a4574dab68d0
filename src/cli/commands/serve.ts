import type { Command } from 'commander';
import { resolve } from 'node:path';
import { startSpinner } from '../render/terminal-spinner.ts';
import { createAuditService, repositoryOfModel } from '../../audit/audit-service.ts';
import { defaultAuditSchedule, scheduleAudits } from '../audit-schedule.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import { loadModelOrThrow } from '../../model/load-model.ts';
import type { ResolvedModel } from '../../model/resolve.ts';
import { modelSummary } from '../../model/model-summary.ts';
import { buildServer } from '../../server/build-server.ts';
import { listen } from '../../server/listen.ts';
import { githubSecretEnv } from '../../server/routes/github-hook-routes.ts';
import { githubAppFromEnv } from '../github-app-config.ts';
import type { CliContext } from '../context.ts';
import { demoAdminToken, demoDatabaseUrl, demoModelPath, demoNeedsReset, deleteDemoDatabase, seedDemoLedger } from '../demo.ts';
import { numberFromEnv, openRuntime, type Runtime } from '../runtime.ts';
import { packageVersion } from '../package-version.ts';
import { startEnvironmentWatchers } from '../environment-watchers.ts';
import { createSaturationService } from '../../release/saturation-service.ts';
import { createSloStatusService } from '../../slo/slo-status-service.ts';
import { livePrometheusFor, prometheusOverride, prometheusUrlEnv } from '../prometheus-report.ts';
import { webRootDir } from '../web-root.ts';
import { fetchSend } from '../../incidents/notify/fetch-send.ts';
import { notifyConfigFromEnv } from '../../incidents/notify/notify-config.ts';

interface ServeOptions {
  host: string;
  port: string;
  demo?: boolean;
  config?: string;
  bodyLimit?: string;
  checkpointInterval: string;
  quiet?: boolean;
  watchKubernetes?: boolean;
  kubeconfig?: string;
  prometheus?: string;
  auditRoot?: string;
  auditSchedule: string;
}

export function registerServeCommand(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('Run the API server on the configured store')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--port <port>', 'port to bind (0 picks a free one)', '7070')
    .option('--demo', 'load the Northwind Pay demo organisation and its last 14 days of events')
    .option('--config <path>', 'ownership model file or folder')
    .option('--body-limit <bytes>', 'largest accepted request body (default 5 MiB, env STEADYOPS_BODY_LIMIT)')
    .option('--checkpoint-interval <seconds>', 'sign a checkpoint at least this often while events arrive', '10')
    .option('--quiet', 'no request logs')
    .option('--watch-kubernetes', "also watch the Kubernetes context of each Environment in the model (spec.kubernetes)")
    .option('--kubeconfig <file>', 'kubeconfig for --watch-kubernetes (default: $KUBECONFIG or ~/.kube/config)')
    .option('--prometheus <url>', `answer /api/v1/slos and /api/v1/saturation from this Prometheus for every environment (env ${prometheusUrlEnv}; default: each Environment's spec.prometheus.url)`)
    .option('--audit-root <path>', "the repository /api/v1/audit audits (default: the folder of the ownership model)")
    .option('--audit-schedule <cron>', 'audit that repository and record the run on this schedule (UTC), or off', defaultAuditSchedule)
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ steadyops serve --demo',
        '  $ steadyops serve --config .steadyops/ --port 8080',
        '  $ steadyops serve --config .steadyops/ --watch-kubernetes',
        '  $ STEADYOPS_DB=postgres://steadyops@db:5432/steadyops steadyops serve --host 0.0.0.0',
      ].join('\n'),
    )
    .action(async (options: ServeOptions) => {
      const globals = ctx.globals();
      const dbExplicit = !globals.dbIsDefault;
      const db = options.demo && !dbExplicit ? demoDatabaseUrl : globals.db;
      const configPath = options.demo ? (options.config ?? demoModelPath) : (options.config ?? globals.config);
      const model = await loadServerModel(configPath, ctx, Boolean(options.demo || options.config || globals.config));
      const now = ctx.clock.now();
      let runtime = await openRuntime({ db, cwd: ctx.cwd, env: ctx.env, clock: ctx.clock });
      if (options.demo && !dbExplicit && (await demoNeedsReset(runtime.ledger, now))) {
        await runtime.close();
        deleteDemoDatabase(ctx.cwd);
        runtime = await openRuntime({ db, cwd: ctx.cwd, env: ctx.env, clock: ctx.clock });
      }
      let adminToken: string | undefined;
      if (options.demo) adminToken = await seedDemo(runtime, ctx);

      const currentModel = { current: () => model };
      const prometheus = livePrometheusFor(() => currentModel.current(), prometheusOverride(options.prometheus, ctx.env));
      const modelRoot = model ? await repositoryOfModel(configPath, ctx.cwd) : undefined;
      const auditRoot = options.auditRoot ? resolve(ctx.cwd, options.auditRoot) : modelRoot;
      const audit = auditRoot ? createAuditService({ ledger: runtime.ledger, clock: ctx.clock, root: auditRoot }) : undefined;
      const app = await buildServer({
        ledger: runtime.ledger,
        tokens: runtime.tokens,
        model: currentModel,
        clock: ctx.clock,
        slos: createSloStatusService({ prometheus, clock: ctx.clock }),
        saturation: createSaturationService({ prometheus, clock: ctx.clock }),
        prometheus,
        bodyLimit: numberFromEnv(options.bodyLimit ?? ctx.env.STEADYOPS_BODY_LIMIT, 5 * 1024 * 1024),
        logger: options.quiet ? false : { level: ctx.env.STEADYOPS_LOG_LEVEL ?? 'info' },
        ready: () => runtime.store.ping(),
        version: packageVersion(),
        ...(ctx.env[githubSecretEnv] ? { githubWebhookSecret: ctx.env[githubSecretEnv] } : {}),
        ...optionalGithubApp(ctx),
        ...(audit ? { audit } : {}),
        ...(modelRoot ? { repositoryRoot: modelRoot } : {}),
        webRoot: webRootDir,
        notifications: { config: notifyConfigFromEnv(ctx.env), send: fetchSend },
      });
      const address = await listen(app, { host: options.host, port: Number(options.port) });
      const watchers =
        options.watchKubernetes && model
          ? startEnvironmentWatchers({
              model,
              ledger: runtime.ledger,
              clock: ctx.clock,
              ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
              onError: (message) => ctx.stderr(`${message}\n`),
            })
          : undefined;
      const audits = audit && options.auditSchedule !== 'off' ? scheduleAudits(audit, options.auditSchedule, (message) => ctx.stderr(`${message}\n`)) : undefined;
      if (options.watchKubernetes && !model) ctx.stderr('--watch-kubernetes reads the environments of the ownership model, and none is loaded\n');
      const timer = setInterval(() => {
        runtime.ledger.cutCheckpoint().catch((error: unknown) => app.log.error({ err: error }, 'checkpoint failed'));
      }, numberFromEnv(options.checkpointInterval, 10) * 1_000);
      timer.unref();

      ctx.stderr(`steadyops ${packageVersion()} serving ${address} (store ${runtime.store.label})\n`);
      if (model) ctx.stderr(`ownership model: ${modelSummary(model)}\n`);
      if (audits) ctx.stderr(`auditing ${auditRoot} on "${options.auditSchedule}" (UTC); next run ${audits.next() ?? 'never'}\n`);
      if (watchers) ctx.stderr(`watching Kubernetes for: ${watchers.watching.join(', ') || 'no environment with spec.kubernetes'}\n`);
      if (adminToken) {
        ctx.stdout(`\n  API:         ${address}\n  Admin token: ${adminToken}\n\n  Try: curl -H "Authorization: Bearer ${adminToken}" ${address}/api/v1/changes?since=30m\n\n`);
      }

      await waitForShutdown();
      clearInterval(timer);
      audits?.stop();
      // requests still running after the grace period (a slow client, a stuck upstream) are cut off
      const cutOff = setTimeout(() => app.server.closeAllConnections(), shutdownGraceMs);
      cutOff.unref();
      await watchers?.stop();
      await app.close();
      clearTimeout(cutOff);
      await runtime.ledger.cutCheckpoint().catch(() => undefined);
      await runtime.close();
    });
}

async function loadServerModel(path: string | undefined, ctx: CliContext, required: boolean): Promise<ResolvedModel | undefined> {
  try {
    return (await loadModelOrThrow(path, ctx.cwd)).model;
  } catch (error) {
    // an invalid model stops the server; its issues are printed by the CLI's error report
    if (required || !(error instanceof SteadyopsError) || error.code !== 'SO_E_MODEL_NOT_FOUND') throw error;
    ctx.stderr('no ownership model found (steadyops.yaml or .steadyops/): serving the ledger without one\n');
    return undefined;
  }
}

async function seedDemo(runtime: Runtime, ctx: CliContext): Promise<string> {
  if ((await runtime.ledger.size()) === 0) {
    const spinner = startSpinner("generating the demo organisation's last 14 days");
    const count = await seedDemoLedger(runtime.ledger, ctx.clock.now(), (done, total) => spinner?.update({ text: `appending demo events ${done}/${total}` }));
    if (spinner) spinner.success({ text: `demo ledger ready: ${count} events over 14 days` });
    else ctx.stderr(`demo ledger ready: ${count} events over 14 days\n`);
  }
  return demoAdminToken(runtime.tokens, ctx.cwd);
}

/** how long in-flight requests may take to finish after SIGTERM (Kubernetes' own grace period is 30 s) */
const shutdownGraceMs = 10_000;

function waitForShutdown(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function optionalGithubApp(ctx: CliContext) {
  const githubApp = githubAppFromEnv(ctx.env, ctx.cwd);
  return githubApp ? { githubApp } : {};
}
