import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl, kubectlAvailable } from '../support/kube-api/kubectl.ts';
import { startKubeApi, type KubeApi } from '../support/kube-api/start-kube-api.ts';

const hasKubectl = await kubectlAvailable();

const manifest = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web}
spec:
  replicas: 2
  progressDeadlineSeconds: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          image: ${image}
        - name: sidecar
          image: envoy:1.30
`;

interface ListJson {
  items: { kind: string; metadata: { name: string; annotations?: Record<string, string>; labels?: Record<string, string>; ownerReferences?: { uid: string; controller: boolean }[] }; spec: any }[];
}

describe.skipIf(!hasKubectl)('the Kubernetes test API server, driven by the real kubectl', () => {
  let api: KubeApi;
  let directory: string;
  const k = (...args: string[]) => kubectl(api.kubeconfigPath, ['--namespace', 'shop', ...args], { cacheDir: join(directory, 'cache') });
  const images = async () => {
    const result = await k('get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[*].image}');
    return result.stdout;
  };
  const revisionOf = async () => (await k('get', 'deployment', 'web', '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}')).stdout;

  beforeAll(async () => {
    api = await startKubeApi();
    directory = await mkdtemp(join(tmpdir(), 'steadyops-kubectl-'));
    await writeFile(join(directory, 'web.yaml'), manifest('shop/web:1.0'));
  });
  afterAll(async () => {
    await api?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('applies a Deployment and lists it with its ReplicaSet and pods', async () => {
    const applied = await k('apply', '-f', join(directory, 'web.yaml'));
    expect(applied, applied.stderr).toMatchObject({ code: 0 });
    expect(applied.stdout).toContain('deployment.apps/web created');
    expect((await k('rollout', 'status', 'deployment/web', '--timeout=20s')).code).toBe(0);

    const listed = await k('get', 'deploy,rs,pods', '-o', 'json');
    expect(listed.code, listed.stderr).toBe(0);
    const { items } = JSON.parse(listed.stdout) as ListJson;
    const deployment = items.find((item) => item.kind === 'Deployment');
    const replicaSets = items.filter((item) => item.kind === 'ReplicaSet');
    const pods = items.filter((item) => item.kind === 'Pod');
    expect(deployment?.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(replicaSets).toHaveLength(1);
    const [replicaSet] = replicaSets;
    expect(replicaSet?.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    expect(replicaSet?.metadata.labels?.['pod-template-hash']).toMatch(/^[0-9a-f]{10}$/);
    expect(replicaSet?.metadata.ownerReferences).toEqual([expect.objectContaining({ controller: true, uid: expect.any(String) })]);
    expect(pods).toHaveLength(2);
    expect(pods.every((pod) => pod.metadata.labels?.['pod-template-hash'] === replicaSet?.metadata.labels?.['pod-template-hash'])).toBe(true);
  });

  it('sets an image, rolls it out, and rolls it back with a new revision', async () => {
    const set = await k('set', 'image', 'deployment/web', 'app=shop/web:1.1');
    expect(set.code, set.stderr).toBe(0);
    expect(await images()).toBe('shop/web:1.1 envoy:1.30');
    const status = await k('rollout', 'status', 'deployment/web', '--timeout=20s');
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('successfully rolled out');
    expect(await revisionOf()).toBe('2');

    const undo = await k('rollout', 'undo', 'deployment/web');
    expect(undo.code, undo.stderr).toBe(0);
    expect(await images()).toBe('shop/web:1.0 envoy:1.30');
    expect((await k('rollout', 'status', 'deployment/web', '--timeout=20s')).code).toBe(0);
    expect(await revisionOf()).toBe('3');

    const history = await k('rollout', 'history', 'deployment/web');
    expect(history.code, history.stderr).toBe(0);
    const revisions = history.stdout.split('\n').map((line) => /^(\d+)\s/.exec(line)?.[1]).filter(Boolean);
    // revision 1's ReplicaSet was reused and became revision 3, as the deployment controller does
    expect(revisions).toEqual(['2', '3']);
    const pods = JSON.parse((await k('get', 'pods', '-o', 'json')).stdout) as ListJson;
    expect(pods.items.map((pod) => pod.spec.containers[0].image)).toEqual(['shop/web:1.0', 'shop/web:1.0']);
  });

  it('reports a rollout past its progress deadline as failed', async () => {
    expect((await k('set', 'image', 'deployment/web', 'app=shop/web:broken')).code).toBe(0);
    const status = await k('rollout', 'status', 'deployment/web', '--timeout=20s');
    expect(status.code).not.toBe(0);
    expect(status.stderr).toContain('exceeded its progress deadline');
  });

  it('answers watches from a resourceVersion, and 410 Gone once that version was compacted', async () => {
    const before = api.store.resourceVersion;
    expect((await k('set', 'image', 'deployment/web', 'app=shop/web:1.2')).code).toBe(0);
    const resumed = await fetchWatch(api.url, before);
    expect(resumed[0]).toMatchObject({ type: 'MODIFIED', object: { kind: 'Deployment', metadata: { name: 'web' } } });
    expect(Number(resumed[0]?.object.metadata.resourceVersion)).toBe(before + 1);
    api.store.compact();
    const gone = await fetchWatch(api.url, before);
    expect(gone).toEqual([{ type: 'ERROR', object: expect.objectContaining({ kind: 'Status', code: 410 }) }]);
  });
});

/** Reads what a watch sends within a moment, then hangs up. */
async function fetchWatch(url: string, resourceVersion: number): Promise<{ type: string; object: any }[]> {
  const controller = new AbortController();
  const response = await fetch(`${url}/apis/apps/v1/namespaces/shop/deployments?watch=1&resourceVersion=${resourceVersion}`, { signal: controller.signal });
  const reader = response.body!.getReader();
  let text = '';
  const deadline = setTimeout(() => controller.abort(), 500);
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString('utf8');
    }
  } catch {
    // aborted: the watch stays open until the client leaves
  } finally {
    clearTimeout(deadline);
  }
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { type: string; object: any });
}
