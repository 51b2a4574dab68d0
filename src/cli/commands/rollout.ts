import { setTimeout as sleep } from 'node:timers/promises';
import type { Command } from 'commander';
import { startSpinner } from '../render/terminal-spinner.ts';
import { createDeploymentRollout } from '../../connectors/kubernetes/deployment-rollout.ts';
import { loadKubeConfig } from '../../connectors/kubernetes/load-kube-config.ts';
import { prometheusFor } from '../../connectors/prometheus/prometheus-for.ts';
import { parseDuration } from '../../lib/duration.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import { loadModelOrThrow } from '../../model/load-model.ts';
import { guardTarget } from '../../release/rollout/guard-target.ts';
import { rollbackAction } from '../../release/rollout/rollback-action.ts';
import { createRolloutGuard, guardExitCode, type GuardProgress } from '../../release/rollout/rollout-guard.ts';
import type { CliContext } from '../context.ts';
import { guardReportJson, progressLine, renderGuardReport } from '../render/rollout-report.ts';
import { withRuntime } from '../runtime.ts';

interface RolloutGuardOptions {
  service: string;
  env: string;
  bake?: string;
  interval?: string;
  kubeconfig?: string;
  context?: string;
  prometheus?: string;
  dryRun?: boolean;
  autoRollback?: boolean;
  format?: string;
}

export function registerRolloutCommand(program: Command, ctx: CliContext): void {
  const rollout = program.command('rollout').description('Kubernetes rollouts: watch one against its rollback criteria and roll it back when they fail');
  rollout
    .command('guard')
    .description("Watch a service's Deployment rollout and bake time, measure its rollback criteria in Prometheus, and roll back (as kubectl rollout undo) when one fails")
    .requiredOption('--service <name>', 'the service whose Deployment (spec.runtime) is rolling out')
    .requiredOption('--env <environment>', 'the environment it rolls out in (its Prometheus and Kubernetes context)')
    .option('--bake <duration>', "how long to keep measuring after the rollout completes (default: the service's rollback.bake, 10m)")
    .option('--interval <duration>', 'time between measurement rounds (default: rollback.interval, 30s)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', "kubeconfig context (default: the service runtime's, else the environment's kubernetes.context, else the current one)")
    .option('--prometheus <url>', "Prometheus to measure in, over the environment's (env STEADYOPS_PROMETHEUS_URL)")
    .option('--dry-run', 'measure and report what the guard would do; never patch, record nothing')
    .option('--auto-rollback', 'roll back even though the model says rollback.automatic: false')
    .option('--format <format>', 'text or json')
    .addHelpText(
      'after',
      [
        '',
        'Exit 0 rolled out and baked with every criterion passing; 1 rolled back (or would be, with --dry-run), or',
        'failed without a rollback, or inconclusive; 2 bad input; 3 Kubernetes or Prometheus unreachable.',
        'Progress goes to stderr, the report to stdout. Events: dev.steadyops.rollout.* (see docs/rollout-guard.md).',
        '',
        'Examples:',
        '  $ kubectl set image deployment/checkout-api app=registry.example/checkout-api:v3.28.0 -n shop',
        '  $ steadyops rollout guard --service checkout-api --env production',
        '  $ steadyops rollout guard --service checkout-api --env production --bake 15m --interval 20s --format json',
        '  $ steadyops rollout guard --service checkout-api --env staging --dry-run',
      ].join('\n'),
    )
    .action(async (options: RolloutGuardOptions) => {
      const globals = ctx.globals();
      if (globals.server) throw new SteadyopsError('SO_E_USAGE', { detail: 'rollout guard records to a local ledger; run it beside the database, without --server' });
      const { model } = await loadModelOrThrow(globals.config, ctx.cwd);
      const target = guardTarget(model, { service: options.service, environment: options.env, context: options.context });
      const bakeMs = parseDuration(options.bake ?? target.rollback.bake);
      const intervalMs = parseDuration(options.interval ?? target.rollback.interval);
      if (intervalMs <= 0) throw new SteadyopsError('SO_E_USAGE', { detail: '--interval must be longer than 0' });
      const override = options.prometheus ?? (ctx.env.STEADYOPS_PROMETHEUS_URL || undefined);
      const prometheus = prometheusFor(model, override ? { override } : {})(target.environment);
      const kubeConfig = loadKubeConfig(options.kubeconfig, target.context);
      const kube = createDeploymentRollout({ kubeConfig, namespace: target.namespace, name: target.deployment });
      const json = (options.format ?? globals.format) === 'json';
      const progress = progressReporter(ctx, json);
      const report = await withRuntime({ db: globals.db, cwd: ctx.cwd, env: ctx.env, clock: ctx.clock }, async ({ ledger }) => {
        const guard = createRolloutGuard({ kube, prometheus, ledger, clock: ctx.clock, sleep: (ms) => sleep(ms) });
        try {
          const result = await guard.run(
            {
              service: target.service,
              environment: target.environment,
              namespace: target.namespace,
              deployment: target.deployment,
              context: kubeConfig.getCurrentContext(),
              criteria: target.rollback.criteria,
              bakeMs,
              intervalMs,
              action: rollbackAction(target.rollback, { autoRollback: Boolean(options.autoRollback) }),
              dryRun: Boolean(options.dryRun),
              actor: `cli:${ctx.env.USER ?? 'unknown'}`,
            },
            progress.update,
          );
          if (!options.dryRun) await ledger.cutCheckpoint();
          return result;
        } finally {
          progress.stop();
        }
      });
      ctx.stdout(json ? `${JSON.stringify(guardReportJson(report), null, 2)}\n` : renderGuardReport(report));
      ctx.setExitCode(guardExitCode(report.outcome));
    });
}

/** A spinner on a terminal, one plain line per update otherwise (CI logs); nothing of it reaches stdout. */
function progressReporter(ctx: CliContext, json: boolean): { update: (progress: GuardProgress) => void; stop: () => void } {
  const spinner = json ? undefined : startSpinner('starting the rollout guard');
  if (!spinner) return { update: (progress) => ctx.stderr(`${progressLine(progress)}\n`), stop: () => undefined };
  return {
    update: (progress) => {
      spinner.update({ text: progressLine(progress) });
    },
    stop: () => {
      spinner.clear();
      spinner.stop();
    },
  };
}
