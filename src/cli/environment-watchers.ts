import type { KubernetesWatcher } from '../connectors/kubernetes/kubernetes-watcher.ts';
import { watchKubernetes } from '../connectors/kubernetes/kubernetes-watcher.ts';
import { loadKubeConfig } from '../connectors/kubernetes/load-kube-config.ts';
import { createSubjectResolver } from '../connectors/resolve-subject.ts';
import type { Clock } from '../lib/clock.ts';
import type { Ledger } from '../ledger/types.ts';
import type { ResolvedModel } from '../model/resolve.ts';

export interface EnvironmentWatchers {
  readonly watching: readonly string[];
  stop(): Promise<void>;
}

/**
 * `serve --watch-kubernetes`: one watcher per Environment of the model that names a Kubernetes
 * context (and optionally a namespace), all appending to the server's ledger.
 */
export function startEnvironmentWatchers(input: {
  readonly model: ResolvedModel;
  readonly ledger: Ledger;
  readonly clock: Clock;
  readonly kubeconfig?: string;
  readonly onError: (message: string) => void;
}): EnvironmentWatchers {
  const watchers: KubernetesWatcher[] = [];
  const watching: string[] = [];
  for (const environment of input.model.environments) {
    const cluster = environment.kubernetes;
    if (!cluster) continue;
    let kubeConfig;
    try {
      kubeConfig = loadKubeConfig(input.kubeconfig, cluster.context);
    } catch (error) {
      // one unreachable environment must not take the server down with it
      input.onError(`environment ${environment.name} is not watched: ${(error as Error).message}`);
      continue;
    }
    watchers.push(
      watchKubernetes({
        kubeConfig,
        ...(cluster.namespace ? { namespace: cluster.namespace } : {}),
        mapping: { context: cluster.context, environment: environment.name, resolve: createSubjectResolver(input.model) },
        clock: input.clock,
        onError: (error) => input.onError(`watch kubernetes ${cluster.context}: ${error.message}`),
        append: async (events) => {
          await input.ledger.append(events);
        },
      }),
    );
    watching.push(`${environment.name} (${cluster.context}${cluster.namespace ? `/${cluster.namespace}` : ''})`);
  }
  return {
    watching,
    async stop() {
      await Promise.all(watchers.map((watcher) => watcher.stop()));
    },
  };
}
