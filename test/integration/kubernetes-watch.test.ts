import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRuntime, type Runtime } from '../../src/cli/runtime.ts';
import { watchKubernetes, type KubernetesWatcher } from '../../src/connectors/kubernetes/kubernetes-watcher.ts';
import type { LedgerEvent } from '../../src/ledger/types.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { kubectl, kubectlAvailable } from '../support/kube-api/kubectl.ts';
import { startKubeApi, type KubeApi } from '../support/kube-api/start-kube-api.ts';

const hasKubectl = await kubectlAvailable();

const manifest = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  replicas: 2
  progressDeadlineSeconds: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: app, image: "shop/web:1.0"}, {name: sidecar, image: "envoy:1.30"}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: shop, labels: {app: web}}
data: {greeting: hello, mode: a}
`;

describe.skipIf(!hasKubectl)('watching Kubernetes into the ledger', () => {
  let api: KubeApi;
  let directory: string;
  let runtime: Runtime;
  let watcher: KubernetesWatcher;
  const duplicates: string[] = [];
  const errors: Error[] = [];
  const k = async (...args: string[]) => {
    const result = await kubectl(api.kubeconfigPath, ['--namespace', 'shop', ...args], { cacheDir: join(directory, 'cache') });
    expect(result.code, `kubectl ${args.join(' ')}: ${result.stderr}`).toBe(0);
    return result;
  };
  const events = async () => (await runtime.ledger.query({ types: ['dev.steadyops.deploy.*', 'dev.steadyops.config.*'], limit: 1000 })).reverse();
  const waitFor = async (predicate: (all: LedgerEvent[]) => boolean, what: string) => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const all = await events();
      if (predicate(all)) return all;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; ledger holds ${JSON.stringify(all.map((event) => [event.type, event.id]))}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const has = (type: string, version: string) => (all: LedgerEvent[]) => all.some((event) => event.type === type && (event.data as { version: string }).version === version);

  beforeAll(async () => {
    api = await startKubeApi({ completeAfterMs: 300 });
    directory = await mkdtemp(join(tmpdir(), 'steadyops-kube-watch-'));
    const file = join(directory, 'web.yaml');
    await writeFile(file, manifest);
    await k('apply', '-f', file);
    await k('rollout', 'status', 'deployment/web', '--timeout=20s');
    runtime = await openRuntime({ db: `sqlite:${join(directory, 'steadyops.db')}`, cwd: directory, env: {}, clock: systemClock });
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(api.kubeconfigPath);
    watcher = watchKubernetes({
      kubeConfig,
      namespace: 'shop',
      mapping: { context: 'test-cluster', environment: 'staging', resolve: (hints) => (hints.deployment === 'web' ? 'storefront' : undefined) },
      clock: systemClock,
      backoff: { initialMs: 50, maxMs: 400 },
      onError: (error) => errors.push(error),
      append: async (mapped) => {
        const outcomes = await runtime.ledger.append(mapped);
        duplicates.push(...outcomes.filter((outcome) => outcome.duplicate).map((outcome) => outcome.id));
      },
    });
    // the watcher lists first: what already existed is state, not change
    await new Promise((resolve) => setTimeout(resolve, 300));
  });
  afterAll(async () => {
    await watcher?.stop();
    await runtime?.close();
    await api?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('records nothing for what existed before it started', async () => {
    expect(await events()).toEqual([]);
  });

  it('records a new image as deploy.started with the image diff, then deploy.finished', async () => {
    await k('set', 'image', 'deployment/web', 'app=shop/web:1.1');
    const all = await waitFor(has('dev.steadyops.deploy.finished', 'shop/web:1.1'), 'deploy.finished of 1.1');
    const started = all.find((event) => event.type === 'dev.steadyops.deploy.started');
    expect(started).toMatchObject({ source: '/kubernetes/test-cluster', subject: 'storefront', environment: 'staging', actor: 'system:kubernetes' });
    expect(started?.data).toMatchObject({
      service: 'storefront',
      version: 'shop/web:1.1',
      previousVersion: 'shop/web:1.0',
      images: [{ container: 'app', from: 'shop/web:1.0', to: 'shop/web:1.1' }],
      replicas: 2,
    });
    expect(all.find((event) => event.type === 'dev.steadyops.deploy.finished')?.data).toMatchObject({ version: 'shop/web:1.1', revision: '2' });
    expect(all.map((event) => event.type)).toEqual(['dev.steadyops.deploy.started', 'dev.steadyops.deploy.finished']);
  });

  it('records a rollout past its progress deadline as deploy.failed', async () => {
    await k('set', 'image', 'deployment/web', 'app=shop/web:broken');
    const all = await waitFor(has('dev.steadyops.deploy.failed', 'shop/web:broken'), 'deploy.failed');
    expect(all.find((event) => event.type === 'dev.steadyops.deploy.failed')?.data).toMatchObject({ reason: 'ProgressDeadlineExceeded' });
  });

  it('records ConfigMap changes by key name, never by value', async () => {
    await k('patch', 'configmap', 'web-config', '--type', 'merge', '-p', '{"data":{"mode":"b","extra":"top-secret"}}');
    const all = await waitFor((list) => list.some((event) => event.type === 'dev.steadyops.config.changed'), 'config.changed');
    const changed = all.find((event) => event.type === 'dev.steadyops.config.changed');
    expect(changed?.data).toMatchObject({ resource: 'configmap/shop/web-config', keys: ['extra', 'mode'], service: 'storefront' });
    expect(JSON.stringify(changed)).not.toContain('top-secret');
  });

  it('reconnects after the API server restarts mid-rollout and loses or repeats nothing', async () => {
    await k('set', 'image', 'deployment/web', 'app=shop/web:1.2');
    await waitFor(has('dev.steadyops.deploy.started', 'shop/web:1.2'), 'deploy.started of 1.2');
    await api.stop();
    // the rollout completes while the watcher cannot see it
    await new Promise((resolve) => setTimeout(resolve, 800));
    await api.restart();
    const all = await waitFor(has('dev.steadyops.deploy.finished', 'shop/web:1.2'), 'deploy.finished of 1.2 after the restart');
    const forRelease = all.filter((event) => (event.data as { version?: string }).version === 'shop/web:1.2').map((event) => event.type);
    expect(forRelease).toEqual(['dev.steadyops.deploy.started', 'dev.steadyops.deploy.finished']);
    expect(new Set(all.map((event) => event.id)).size).toBe(all.length);
    expect(duplicates).toEqual([]);
    expect(errors.length).toBeGreaterThan(0); // the refused reconnects were reported, not thrown
  });

  it('lists again after 410 Gone and maps what changed meanwhile', async () => {
    await api.stop();
    api.store.compact();
    await api.restart();
    await k('patch', 'configmap', 'web-config', '--type', 'merge', '-p', '{"data":{"greeting":"bye"}}');
    const all = await waitFor((list) => list.some((event) => (event.data as { keys?: string[] }).keys?.includes('greeting') === true), 'config.changed of greeting');
    expect(all.filter((event) => event.type === 'dev.steadyops.config.changed')).toHaveLength(2);
    expect(duplicates).toEqual([]);
  });
});
