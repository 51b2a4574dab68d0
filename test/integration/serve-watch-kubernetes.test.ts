import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startServer, waitForOutput, type ServerProcess } from '../support/cli.ts';
import { kubectl, kubectlAvailable } from '../support/kube-api/kubectl.ts';
import { startKubeApi, type KubeApi } from '../support/kube-api/start-kube-api.ts';

const hasKubectl = await kubectlAvailable();
const dir = mkdtempSync(join(tmpdir(), 'steadyops-serve-kube-'));
let api: KubeApi | undefined;
let server: ServerProcess | undefined;

afterAll(async () => {
  await server?.stop();
  await api?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!hasKubectl)('serve --watch-kubernetes', () => {
  it('watches the Kubernetes context of each environment in the model and records rollouts of its services', async () => {
    api = await startKubeApi({ completeAfterMs: 200 });
    // the demo model, with production pointing at the test cluster's context
    cpSync('examples/demo/.steadyops', join(dir, '.steadyops'), { recursive: true });
    const environments = join(dir, '.steadyops', 'environments.yaml');
    writeFileSync(environments, readFileSync(environments, 'utf8').replace('context: prod-eu', 'context: steadyops-test'));
    const env = { STEADYOPS_DB: `sqlite:${join(dir, 'steadyops.db')}` };
    const token = JSON.parse((await runCli(['token', 'create', '--name', 'reader', '--role', 'viewer', '--format', 'json'], { cwd: dir, env })).stdout) as { token: string };
    server = await startServer(['--watch-kubernetes', '--kubeconfig', api.kubeconfigPath], { cwd: dir, env });
    await waitForOutput(server, /watching Kubernetes for: production \(steadyops-test\)/);
    expect(server.output()).toMatch(/environment staging is not watched: no context staging-eu/);

    const manifest = join(dir, 'checkout.yaml');
    writeFileSync(
      manifest,
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: checkout-api, namespace: payments, labels: {app: checkout-api}}
spec:
  replicas: 2
  selector: {matchLabels: {app: checkout-api}}
  template:
    metadata: {labels: {app: checkout-api}}
    spec:
      containers: [{name: app, image: "northwind/checkout-api:v3.26.0"}]
`,
    );
    const k = (...args: string[]) => kubectl(api?.kubeconfigPath as string, ['--namespace', 'payments', ...args], { cacheDir: join(dir, 'kcache') });
    expect((await k('apply', '-f', manifest)).code).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await k('set', 'image', 'deployment/checkout-api', 'app=northwind/checkout-api:v3.27.0')).code).toBe(0);

    const deadline = Date.now() + 20_000;
    let types: string[] = [];
    while (Date.now() < deadline) {
      const response = await fetch(`${server.url}/api/v1/changes?since=5m&service=checkout-api&type=dev.steadyops.deploy.*`, {
        headers: { authorization: `Bearer ${token.token}` },
      });
      const body = (await response.json()) as { events: Array<{ type: string; environment?: string; data: { version?: string } }> };
      types = body.events.map((event) => event.type);
      if (types.includes('dev.steadyops.deploy.finished')) {
        const finished = body.events.find((event) => event.type === 'dev.steadyops.deploy.finished');
        expect(finished?.environment).toBe('production');
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(types).toEqual(expect.arrayContaining(['dev.steadyops.deploy.started', 'dev.steadyops.deploy.finished']));
  }, 60_000);
});
