import type { Command } from 'commander';
import { watchKubernetes } from '../../connectors/kubernetes/kubernetes-watcher.ts';
import { loadKubeConfig } from '../../connectors/kubernetes/load-kube-config.ts';
import { createSubjectResolver } from '../../connectors/resolve-subject.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import type { CliContext } from '../context.ts';
import { withRuntime } from '../runtime.ts';
import { loadModelIfPresent } from '../../model/load-model.ts';

interface WatchKubernetesOptions {
  context?: string;
  namespace?: string;
  kubeconfig?: string;
  environment?: string;
}

export function registerWatchCommand(program: Command, ctx: CliContext): void {
  const watch = program.command('watch').description('Follow an outside system and append what changes to the ledger');
  watch
    .command('kubernetes')
    .description('Watch Deployments, StatefulSets, DaemonSets and ConfigMaps; append deploys and config changes until interrupted')
    .option('--context <name>', 'kubeconfig context (default: the current context)')
    .option('--namespace <name>', 'one namespace (default: all namespaces)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)')
    .option('--environment <name>', 'environment the events belong to (default: the context name)')
    .addHelpText('after', ['', 'Examples:', '  $ steadyops watch kubernetes --context prod-eu --environment production', '  $ steadyops watch kubernetes --namespace shop'].join('\n'))
    .action(async (options: WatchKubernetesOptions) => {
      const globals = ctx.globals();
      if (globals.server) throw new SteadyopsError('SO_E_USAGE', { detail: 'watch kubernetes appends to a local ledger; run it beside the database, without --server' });
      const kubeConfig = loadKubeConfig(options.kubeconfig, options.context);
      const context = kubeConfig.getCurrentContext();
      const model = await loadModelIfPresent(globals.config, ctx.cwd);
      await withRuntime({ db: globals.db, cwd: ctx.cwd, env: ctx.env, clock: ctx.clock }, async ({ ledger }) => {
        const watcher = watchKubernetes({
          kubeConfig,
          ...(options.namespace ? { namespace: options.namespace } : {}),
          mapping: { context, environment: options.environment ?? context, resolve: createSubjectResolver(model) },
          clock: ctx.clock,
          onError: (error) => ctx.stderr(`watch kubernetes: ${error.message}\n`),
          append: async (events) => {
            const outcomes = await ledger.append(events);
            for (const [index, outcome] of outcomes.entries()) {
              if (!outcome.duplicate) ctx.stdout(`${outcome.seq}\t${events[index]?.event.type}\t${events[index]?.event.subject ?? '-'}\n`);
            }
          },
        });
        ctx.stderr(`watching Kubernetes context ${context}${options.namespace ? ` namespace ${options.namespace}` : ''}; Ctrl-C stops\n`);
        await untilInterrupted();
        await watcher.stop();
        await ledger.cutCheckpoint();
      });
    });
}

function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
