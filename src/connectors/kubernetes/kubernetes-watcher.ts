import { AppsV1Api, CoreV1Api, Watch, type KubeConfig } from '@kubernetes/client-node';
import type { EventToAppend } from '../../ledger/types.ts';
import type { Clock } from '../../lib/clock.ts';
import { kubernetesObjectSchema, watchedKinds, type KubernetesObject, type KubernetesWatchEvent, type WatchedKind } from './kubernetes-objects.ts';
import { mapKubernetesEvent, type KubernetesMappingOptions } from './map-kubernetes-event.ts';

export interface KubernetesWatcherOptions {
  readonly kubeConfig: KubeConfig;
  /** all namespaces when unset */
  readonly namespace?: string;
  readonly kinds?: readonly WatchedKind[];
  readonly mapping: Omit<KubernetesMappingOptions, 'observedAt'>;
  readonly clock: Clock;
  /** appends the mapped events; a watch resumes after what this has accepted */
  readonly append: (events: EventToAppend[]) => Promise<void>;
  readonly onError?: (error: Error) => void;
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
}

export interface KubernetesWatcher {
  stop(): Promise<void>;
}

class WatchExpired extends Error {}

const paths: Readonly<Record<WatchedKind, { readonly group: string; readonly plural: string }>> = {
  Deployment: { group: '/apis/apps/v1', plural: 'deployments' },
  StatefulSet: { group: '/apis/apps/v1', plural: 'statefulsets' },
  DaemonSet: { group: '/apis/apps/v1', plural: 'daemonsets' },
  ConfigMap: { group: '/api/v1', plural: 'configmaps' },
};

/**
 * Thin I/O around `mapKubernetesEvent`: per kind, list (to learn the current state without
 * reporting it as change), watch from the list's resourceVersion, resume from the last seen
 * resourceVersion after a disconnect (with exponential backoff), and list again on 410 Gone,
 * mapping what changed meanwhile against the state kept per uid.
 */
export function watchKubernetes(options: KubernetesWatcherOptions): KubernetesWatcher {
  const state = new Map<string, KubernetesObject>();
  const aborts = new Set<AbortController>();
  const sleeps = new Set<() => void>();
  let stopped = false;
  let queue = Promise.resolve();

  const handle = (event: KubernetesWatchEvent) => {
    queue = queue.then(async () => {
      const previous = state.get(event.object.metadata.uid);
      const mapped = mapKubernetesEvent(event, previous, { ...options.mapping, observedAt: options.clock.now().toISOString() });
      if (event.type === 'DELETED') state.delete(event.object.metadata.uid);
      else state.set(event.object.metadata.uid, event.object);
      if (mapped.length > 0) await options.append(mapped);
    }).catch((error: unknown) => options.onError?.(error as Error));
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        sleeps.delete(done);
        resolve();
      }
      sleeps.add(done);
    });

  const list = async (kind: WatchedKind, seeding: boolean): Promise<string> => {
    const { items, resourceVersion } = await listObjects(options.kubeConfig, kind, options.namespace);
    const seen = new Set<string>();
    for (const raw of items) {
      const object = parseObject(raw, options.onError);
      if (!object) continue;
      seen.add(object.metadata.uid);
      if (seeding) state.set(object.metadata.uid, object);
      else handle({ type: state.has(object.metadata.uid) ? 'MODIFIED' : 'ADDED', kind, object });
    }
    if (!seeding) {
      for (const [uid, object] of state) if (object.kind === kind && !seen.has(uid)) handle({ type: 'DELETED', kind, object });
    }
    return resourceVersion;
  };

  const watchOnce = (kind: WatchedKind, from: string, onVersion: (version: string) => void): Promise<number> =>
    new Promise((resolve, reject) => {
      let received = 0;
      let expired = false;
      const { group, plural } = paths[kind];
      const path = options.namespace ? `${group}/namespaces/${encodeURIComponent(options.namespace)}/${plural}` : `${group}/${plural}`;
      new Watch(options.kubeConfig)
        .watch(
          path,
          { resourceVersion: from, allowWatchBookmarks: true },
          (phase, raw: { code?: number; metadata?: { resourceVersion?: string } }) => {
            if (phase === 'ERROR') {
              expired ||= raw.code === 410;
              return;
            }
            if (raw.metadata?.resourceVersion) onVersion(raw.metadata.resourceVersion);
            if (phase !== 'ADDED' && phase !== 'MODIFIED' && phase !== 'DELETED') return;
            const object = parseObject({ ...raw, kind }, options.onError);
            received += 1;
            if (object) handle({ type: phase, kind, object });
          },
          (error: unknown) => {
            if (expired) reject(new WatchExpired(`${kind} watch from resourceVersion ${from} expired`));
            else if (error && !stopped) reject(error as Error);
            else resolve(received);
          },
        )
        .then((abort) => {
          aborts.add(abort);
          if (stopped) abort.abort();
        }, reject);
    });

  const run = async (kind: WatchedKind) => {
    const backoff = options.backoff ?? { initialMs: 200, maxMs: 10_000 };
    let version: string | undefined;
    let seeded = false;
    let failures = 0;
    while (!stopped) {
      try {
        if (version === undefined) {
          version = await list(kind, !seeded);
          seeded = true;
        }
        const received = await watchOnce(kind, version, (next) => (version = next));
        failures = received > 0 ? 0 : failures + 1;
      } catch (error) {
        if (error instanceof WatchExpired) version = undefined;
        else options.onError?.(error as Error);
        failures += 1;
      }
      if (!stopped && failures > 0) await sleep(Math.min(backoff.maxMs, backoff.initialMs * 2 ** (failures - 1)));
    }
  };

  const loops = (options.kinds ?? watchedKinds).map((kind) => run(kind));
  return {
    async stop() {
      stopped = true;
      for (const abort of aborts) abort.abort();
      for (const wake of [...sleeps]) wake();
      await Promise.allSettled(loops);
      await queue;
    },
  };
}

function parseObject(raw: unknown, onError: ((error: Error) => void) | undefined): KubernetesObject | undefined {
  const parsed = kubernetesObjectSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  onError?.(new Error(`ignored a malformed Kubernetes object: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`));
  return undefined;
}

async function listObjects(kubeConfig: KubeConfig, kind: WatchedKind, namespace: string | undefined): Promise<{ items: unknown[]; resourceVersion: string }> {
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const list = await (async () => {
    if (kind === 'ConfigMap') return namespace ? core.listNamespacedConfigMap({ namespace }) : core.listConfigMapForAllNamespaces();
    if (kind === 'StatefulSet') return namespace ? apps.listNamespacedStatefulSet({ namespace }) : apps.listStatefulSetForAllNamespaces();
    if (kind === 'DaemonSet') return namespace ? apps.listNamespacedDaemonSet({ namespace }) : apps.listDaemonSetForAllNamespaces();
    return namespace ? apps.listNamespacedDeployment({ namespace }) : apps.listDeploymentForAllNamespaces();
  })();
  return { items: list.items.map((item) => ({ ...item, kind })), resourceVersion: list.metadata?.resourceVersion ?? '0' };
}
