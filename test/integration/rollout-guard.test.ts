import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeploymentRollout } from '../../src/connectors/kubernetes/deployment-rollout.ts';
import { loadKubeConfig } from '../../src/connectors/kubernetes/load-kube-config.ts';
import { runCli } from '../support/cli.ts';
import { kubectl, kubectlAvailable } from '../support/kube-api/kubectl.ts';
import { startKubeApi, type KubeApi } from '../support/kube-api/start-kube-api.ts';
import { freePort, waitUntil } from '../support/processes.ts';
import { prometheusAvailable, startPrometheus, startTestExporter, type RunningPrometheus, type TestExporter } from '../support/prometheus.ts';

const available = (await kubectlAvailable()) && prometheusAvailable();
const errorRatio = 'sum(rate(http_requests_total{code="500"}[5s])) / sum(rate(http_requests_total[5s]))';

const deploymentManifest = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - {name: app, image: shop/web:1.0}
        - {name: sidecar, image: envoy:1.30}
`;

const model = (prometheusUrl: string) => `apiVersion: steadyops.dev/v1
kind: Team
metadata: {name: shop}
spec:
  members: [{name: Ada Lovelace, email: ada@shop.example}]
  timezone: UTC
---
apiVersion: steadyops.dev/v1
kind: Environment
metadata: {name: production}
spec:
  protection: standard
  prometheus: {url: "${prometheusUrl}"}
  kubernetes: {context: steadyops-test}
---
apiVersion: steadyops.dev/v1
kind: Service
metadata: {name: web}
spec:
  owner: shop
  tier: 2
  runtime: {kind: kubernetes, namespace: shop, deployment: web}
  rollback:
    criteria:
      - name: error-ratio
        query: '${errorRatio}'
        threshold: 0.05
        consecutiveFailures: 2
    bake: 5s
    interval: 1s
---
apiVersion: steadyops.dev/v1
kind: Service
metadata: {name: billing}
spec:
  owner: shop
  tier: 2
  rollback:
    criteria: [{name: errors, query: 'vector(0)', threshold: 1}]
---
apiVersion: steadyops.dev/v1
kind: Service
metadata: {name: search}
spec:
  owner: shop
  tier: 3
  runtime: {kind: kubernetes, namespace: shop, deployment: search}
`;

interface ChangesJson {
  events: { type: string; data: Record<string, unknown> }[];
}

describe.skipIf(!available)('steadyops rollout guard against the Kubernetes test API and a real Prometheus', () => {
  let api: KubeApi;
  let prometheus: RunningPrometheus;
  let exporter: TestExporter;
  let directory: string;

  const k = (...args: string[]) => kubectl(api.kubeconfigPath, ['--namespace', 'shop', ...args], { cacheDir: join(directory, 'kube-cache') });
  const image = async () => (await k('get', 'deployment', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}')).stdout;
  const generation = async () => (await k('get', 'deployment', 'web', '-o', 'jsonpath={.metadata.generation}')).stdout;
  const cli = (...args: string[]) =>
    runCli(['--db', `sqlite:${join(directory, 'steadyops.db')}`, '--config', join(directory, 'steadyops.yaml'), ...args], { cwd: directory });
  const guard = (...args: string[]) => cli('rollout', 'guard', '--service', 'web', '--env', 'production', '--kubeconfig', api.kubeconfigPath, ...args);
  const rolloutEvents = async () => {
    const result = await cli('changes', '--since', '10m', '--type', 'dev.steadyops.rollout.*', '--type', 'dev.steadyops.rollback.*', '--format', 'json');
    expect(result.code, result.stderr).toBe(0);
    return (JSON.parse(result.stdout) as ChangesJson).events.reverse();
  };
  const revision = async () => Number((await k('get', 'deployment', 'web', '-o', 'jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}')).stdout);
  /** sets the app image; returns the revision it rolls out and the one before it, with their images as the guard names them */
  const rollOut = async (tag: string) => {
    const previous = { revision: await revision(), version: `${await image()}, envoy:1.30` };
    const set = await k('set', 'image', 'deployment/web', `app=shop/web:${tag}`);
    expect(set.code, set.stderr).toBe(0);
    return { previous, revision: previous.revision + 1, version: `shop/web:${tag}, envoy:1.30` };
  };

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'steadyops-rollout-guard-'));
    api = await startKubeApi({ completeAfterMs: 500 });
    exporter = await startTestExporter('web');
    exporter.set({ rps: 50, errorRatio: 0 });
    prometheus = await startPrometheus({ targets: [exporter.target], scrapeInterval: '1s' });
    await writeFile(join(directory, 'steadyops.yaml'), model(prometheus.url));
    await writeFile(join(directory, 'web.yaml'), deploymentManifest);
    const applied = await k('apply', '-f', join(directory, 'web.yaml'));
    expect(applied.code, applied.stderr).toBe(0);
    expect((await k('rollout', 'status', 'deployment/web', '--timeout=20s')).code).toBe(0);
    await prometheus.waitForTargets();
    await waitUntil(
      async () => {
        const body = (await (await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(errorRatio)}`)).json()) as { data: { result: unknown[] } };
        return body.data.result.length === 1;
      },
      20_000,
      () => prometheus.output(),
    );
  }, 60_000);

  afterAll(async () => {
    await prometheus?.stop();
    await exporter?.stop();
    await api?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it('exits 3 and patches nothing when Prometheus cannot be reached', async () => {
    await rollOut('1.1');
    const [before, eventsBefore] = [await generation(), (await rolloutEvents()).length];
    const result = await guard('--prometheus', `http://127.0.0.1:${await freePort()}`);
    expect(result.code, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/SO_E_UNREACHABLE: could not reach Prometheus at http:\/\/127\.0\.0\.1:\d+/);
    expect(await image()).toBe('shop/web:1.1');
    expect(await generation()).toBe(before);
    expect((await rolloutEvents()).length).toBe(eventsBefore);
  });

  it('leaves a healthy rollout alone and records that it succeeded after the bake', async () => {
    exporter.set({ errorRatio: 0 });
    const eventsBefore = (await rolloutEvents()).length;
    const rolled = await rollOut('1.2');
    const result = await guard();
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toContain(`SUCCEEDED: web in production, deployment shop/web revision ${rolled.revision} (${rolled.version})`);
    expect(result.stderr).toMatch(/baking \d+s of 5s left; error-ratio 0 \(fails above 0\.05\) pass/);
    expect(await image()).toBe('shop/web:1.2');
    const events = (await rolloutEvents()).slice(eventsBefore);
    expect(events.map((event) => event.type)).toEqual(['dev.steadyops.rollout.started', 'dev.steadyops.rollout.analysis', 'dev.steadyops.rollout.succeeded']);
    expect(events[0]?.data).toMatchObject({ revision: rolled.revision, version: rolled.version, previousRevision: rolled.previous.revision, previousVersion: rolled.previous.version });
  }, 20_000);

  it('rolls a rollout whose error ratio climbs back to the previous template, as kubectl rollout undo does', async () => {
    const rolled = await rollOut('1.3');
    exporter.set({ errorRatio: 0.3 });
    const result = await guard('--format', 'json');
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(1);
    const report = JSON.parse(result.stdout) as { outcome: string; guardId: string; rollback: { newRevision: number } };
    const restored = { fromRevision: rolled.revision, toRevision: rolled.previous.revision, toVersion: rolled.previous.version };
    expect(report).toMatchObject({ outcome: 'rolled-back', exitCode: 1, revision: rolled.revision, plan: restored, rollback: { completed: true, newRevision: rolled.revision + 1 } });

    expect(await image()).toBe(rolled.previous.version.split(',')[0]);
    const status = await k('rollout', 'status', 'deployment/web', '--timeout=20s');
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('successfully rolled out');
    // the previous ReplicaSet was reused under a new revision, as after kubectl rollout undo
    const history = await k('rollout', 'history', 'deployment/web');
    expect(history.stdout).toMatch(new RegExp(`^${rolled.revision + 1}\\s`, 'm'));
    expect(history.stdout).not.toMatch(new RegExp(`^${rolled.previous.revision}\\s`, 'm'));

    const events = (await rolloutEvents()).filter((event) => event.data.guardId === report.guardId);
    const analyses = events.filter((event) => event.type === 'dev.steadyops.rollout.analysis');
    expect(analyses.length).toBeGreaterThan(0);
    expect(events.map((event) => event.type)).toEqual([
      'dev.steadyops.rollout.started',
      ...analyses.map(() => 'dev.steadyops.rollout.analysis'),
      'dev.steadyops.rollback.started',
      'dev.steadyops.rollout.rolledback',
      'dev.steadyops.rollback.finished',
    ]);
    const rolledBack = events.find((event) => event.type === 'dev.steadyops.rollout.rolledback');
    expect(rolledBack?.data).toMatchObject({ criterion: 'error-ratio', ...restored, newRevision: rolled.revision + 1, fromVersion: rolled.version, toVersion: rolled.previous.version, outcome: 'succeeded' });
    const measurements = rolledBack?.data.measurements as { value: number; outcome: string }[];
    expect(measurements).toHaveLength(2);
    expect(measurements.every((measurement) => measurement.outcome === 'fail' && measurement.value > 0.05)).toBe(true);
  }, 20_000);

  it('with --dry-run names the revision and image it would restore, and patches nothing', async () => {
    exporter.set({ errorRatio: 0.3 });
    const rolled = await rollOut('1.4');
    const [before, eventsBefore] = [await generation(), (await rolloutEvents()).length];
    const result = await guard('--dry-run');
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(1);
    expect(result.stdout).toContain(`WOULD ROLL BACK (dry run): web in production, deployment shop/web revision ${rolled.revision} (${rolled.version})`);
    expect(result.stdout).toContain(`would restore revision ${rolled.previous.revision}'s template (${rolled.previous.version}); nothing was patched`);
    // kubectl picks the same ReplicaSet: its client-side dry run describes the pod template it would restore
    const kubectlWould = await k('rollout', 'undo', 'deployment/web', '--dry-run=client');
    expect(kubectlWould.code, kubectlWould.stderr).toBe(0);
    expect([...kubectlWould.stdout.matchAll(/Image:\s+(\S+)/g)].map((match) => match[1]).join(', ')).toBe(rolled.previous.version);
    expect(await image()).toBe('shop/web:1.4');
    expect(await generation()).toBe(before);
    expect((await rolloutEvents()).length).toBe(eventsBefore);
  }, 20_000);
});

describe('steadyops rollout guard on bad input', () => {
  let directory: string;
  const cli = (...args: string[]) => runCli(['--db', `sqlite:${join(directory, 'steadyops.db')}`, '--config', join(directory, 'steadyops.yaml'), 'rollout', 'guard', ...args], { cwd: directory });

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'steadyops-rollout-input-'));
    await writeFile(join(directory, 'steadyops.yaml'), model('http://127.0.0.1:9'));
  });
  afterAll(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it.each([
    { args: ['--service', 'nope', '--env', 'production'], message: /unknown service "nope"; services: web, billing, search/ },
    { args: ['--service', 'web', '--env', 'staging'], message: /unknown environment "staging"; environments: production/ },
    { args: ['--service', 'billing', '--env', 'production'], message: /billing has no Kubernetes runtime/ },
    { args: ['--service', 'search', '--env', 'production'], message: /search declares no rollback criteria/ },
    { args: ['--service', 'web', '--env', 'production', '--interval', 'soon'], message: /"soon" is not a duration/ },
  ])('exits 2 for $args', async ({ args, message }) => {
    const result = await cli(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});

describe('the Deployment connector against the Kubernetes test API', () => {
  let api: KubeApi;
  const rollout = (name: string) => createDeploymentRollout({ kubeConfig: loadKubeConfig(api.kubeconfigPath, 'steadyops-test'), namespace: 'shop', name, timeoutMs: 2_000 });

  beforeAll(async () => {
    api = await startKubeApi({ completeAfterMs: 50 });
    const created = await fetch(`${api.url}/apis/apps/v1/namespaces/shop/deployments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        metadata: { name: 'web', labels: { app: 'web' } },
        spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'shop/web:1.0' }] } } },
      }),
    });
    expect(created.status).toBe(201);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('reads the Deployment as sent and lists its ReplicaSets by selector', async () => {
    const web = rollout('web');
    const deployment = await web.read();
    expect(deployment.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('1');
    const replicaSets = await web.replicaSets(deployment);
    expect(replicaSets.map((replicaSet) => replicaSet.metadata.ownerReferences?.[0]?.uid)).toEqual([deployment.metadata.uid]);
    expect(replicaSets[0]?.spec.template.metadata?.labels?.['pod-template-hash']).toMatch(/^[0-9a-f]{10}$/);
  });

  it('names a missing Deployment as bad input, a refused patch too, and a server that is down as unreachable', async () => {
    await expect(rollout('nope').read()).rejects.toMatchObject({ code: 'SO_E_INPUT_INVALID', message: expect.stringMatching(/deployment shop\/nope \(context steadyops-test\) was not found/) });
    const refused = rollout('web').patch([{ op: 'test', path: '/metadata/annotations/deployment.kubernetes.io~1revision', value: '7' }]);
    await expect(refused).rejects.toMatchObject({ code: 'SO_E_INPUT_INVALID', message: expect.stringMatching(/HTTP 422/) });
    await api.stop();
    try {
      await expect(rollout('web').read()).rejects.toMatchObject({ code: 'SO_E_UNREACHABLE', message: expect.stringMatching(/could not reach the Kubernetes API at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/) });
    } finally {
      await api.restart();
    }
  });
});
