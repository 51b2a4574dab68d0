import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign } from '@octokit/webhooks-methods';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRuntime, type Runtime } from '../../src/cli/runtime.ts';
import { systemClock } from '../../src/lib/clock.ts';
import type { LedgerEvent } from '../../src/ledger/types.ts';
import { loadModel } from '../../src/model/load-model.ts';
import { buildServer } from '../../src/server/build-server.ts';
import { runCli } from '../support/cli.ts';

const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as Array<{ name: string; examples: any[] }>;
const secret = 'e2e secret';
const dir = mkdtempSync(join(tmpdir(), 'steadyops-changes-'));
const db = `sqlite:${join(dir, 'steadyops.db')}`;
const env = { STEADYOPS_SIGNING_KEY_FILE: join(dir, 'key.json') };
const { model } = await loadModel('examples/demo/.steadyops');

let runtime: Runtime;
let app: FastifyInstance;
let operator: string;
let viewer: string;

beforeAll(async () => {
  runtime = await openRuntime({ db, cwd: dir, env, clock: systemClock });
  operator = (await runtime.tokens.create({ name: 'e2e-operator', role: 'operator', createdBy: 'test' })).token;
  viewer = (await runtime.tokens.create({ name: 'e2e-viewer', role: 'viewer', createdBy: 'test' })).token;
  app = await buildServer({
    ledger: runtime.ledger,
    tokens: runtime.tokens,
    model: { current: () => model },
    clock: systemClock,
    ready: () => runtime.store.ping(),
    version: 'test',
    githubWebhookSecret: secret,
  });
});

afterAll(async () => {
  await app.close();
  await runtime.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('what changed, end to end', () => {
  it('answers with the deploy, config change, infrastructure plan and alert that just happened, by service', async () => {
    const now = new Date();
    // 1. a GitHub deployment of checkout-api succeeded (a real example payload, moved to the demo repository)
    const payload = structuredClone(examples.find((set) => set.name === 'deployment_status')?.examples.find((p) => p.deployment_status.state === 'success'));
    payload.repository.full_name = 'northwind/checkout-api';
    payload.repository.name = 'checkout-api';
    payload.deployment_status.created_at = payload.deployment_status.updated_at = new Date(now.getTime() - 4 * 60_000).toISOString();
    payload.deployment.environment = 'production';
    const body = JSON.stringify(payload);
    const deploy = await app.inject({
      method: 'POST',
      url: '/hooks/github',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'deployment_status',
        'x-github-delivery': 'e2e-delivery-1',
        'x-hub-signature-256': await sign(secret, body),
      },
      payload: body,
    });
    expect(deploy.statusCode, deploy.body).toBe(200);

    // 2. a config change pushed as a CloudEvent
    const config = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/cloudevents+json' },
      payload: {
        specversion: '1.0',
        id: 'cfg-1',
        source: '/kubernetes/prod-eu/payments',
        type: 'dev.steadyops.config.changed',
        subject: 'checkout-api',
        time: new Date(now.getTime() - 3 * 60_000).toISOString(),
        data: { service: 'checkout-api', environment: 'production', resource: 'configmap/checkout-api', keys: ['POOL_SIZE'] },
      },
    });
    expect(config.statusCode, config.body).toBe(200);

    // 3. a Terraform plan imported from the CLI (the same store)
    const plan = await runCli(['--db', db, '--config', join(process.cwd(), 'examples/demo/.steadyops'), 'import', 'terraform', '--plan', join(process.cwd(), 'test/fixtures/terraform/plan.json')], { cwd: dir, env });
    expect(plan.code, plan.stderr).toBe(0);

    // 4. Alertmanager reports checkout-api's error rate
    const startsAt = new Date(now.getTime() - 60_000).toISOString();
    const alert = await app.inject({
      method: 'POST',
      url: '/hooks/alertmanager',
      headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' },
      payload: {
        version: '4',
        groupKey: '{}:{alertname="CheckoutHighErrorRate"}',
        truncatedAlerts: 0,
        status: 'firing',
        receiver: 'steadyops',
        groupLabels: { alertname: 'CheckoutHighErrorRate' },
        commonLabels: { alertname: 'CheckoutHighErrorRate', service: 'checkout-api', severity: 'page' },
        commonAnnotations: {},
        externalURL: 'http://alertmanager.example:9093',
        alerts: [
          {
            status: 'firing',
            labels: { alertname: 'CheckoutHighErrorRate', service: 'checkout-api', severity: 'page' },
            annotations: { summary: '5xx above 2%' },
            startsAt,
            endsAt: '0001-01-01T00:00:00Z',
            generatorURL: 'http://prometheus.example:9090/graph',
            fingerprint: 'c0ffee0123456789',
          },
        ],
      },
    });
    expect(alert.statusCode, alert.body).toBe(200);

    // the question, through the API
    const answer = await app.inject({ url: '/api/v1/changes?since=30m&service=checkout-api&limit=100', headers: { authorization: `Bearer ${viewer}` } });
    expect(answer.statusCode, answer.body).toBe(200);
    const kinds = (answer.json().events as LedgerEvent[]).map((event) => event.type);
    expect(kinds).toEqual(expect.arrayContaining(['dev.steadyops.deploy.finished', 'dev.steadyops.config.changed', 'dev.steadyops.alert.firing']));
    const times = (answer.json().events as LedgerEvent[]).map((event) => Date.parse(event.time));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    // and from the CLI, by team with dependencies: the plan touched a datastore checkout-api depends on
    const byTeam = await runCli(['--db', db, '--config', join(process.cwd(), 'examples/demo/.steadyops'), 'changes', '--since', '1000d', '--service', 'checkout-api', '--include-dependencies'], { cwd: dir, env });
    expect(byTeam.code, byTeam.stderr).toBe(0);
    expect(byTeam.stdout).toMatch(/^checkout-api$/m);
    expect(byTeam.stdout).toMatch(/alert firing — CheckoutHighErrorRate \(page\)/);
    expect(byTeam.stdout).toMatch(/config changed — configmap\/checkout-api: POOL_SIZE/);
    expect(byTeam.stdout).toMatch(/deploy finished — /);
    expect(byTeam.stdout).toMatch(/infra planned — /);
  });

  it('takes CDEvents at /hooks/cloudevents from a token pinned to its source, and nothing from elsewhere', async () => {
    const pinned = (await runtime.tokens.create({ name: 'source:argocd', role: 'operator', createdBy: 'test' })).token;
    const cdevent = (source: string, id: string) => ({
      specversion: '1.0',
      id,
      source,
      type: 'dev.cdevents.service.deployed.0.3.0',
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      data: {
        context: { version: '0.3.0', id, source, type: 'dev.cdevents.service.deployed.0.3.0', timestamp: new Date().toISOString() },
        subject: {
          id: 'checkout-api',
          source,
          type: 'service',
          content: { environment: { id: 'production' }, artifactId: 'pkg:oci/checkout-api@sha256%3A0123456789abcdef?tag=v3.27.0' },
        },
      },
    });
    const post = (body: unknown) =>
      app.inject({ method: 'POST', url: '/hooks/cloudevents', headers: { authorization: `Bearer ${pinned}`, 'content-type': 'application/cloudevents+json' }, payload: body as object });
    const accepted = await post(cdevent('/argocd/prod', 'argo-1'));
    expect(accepted.statusCode, accepted.body).toBe(200);
    const [stored] = await runtime.ledger.findById('argo-1');
    expect(stored).toMatchObject({ type: 'dev.steadyops.deploy.finished', subject: 'checkout-api', source: '/argocd/prod' });
    const refused = await post(cdevent('/jenkins/prod', 'jenkins-1'));
    expect(refused.statusCode).toBe(403);
    expect(await runtime.ledger.findById('jenkins-1')).toEqual([]);
  });

  it('answers a gate check over HTTP and records the decision with the caller as actor', async () => {
    const check = (service: string) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/gates/check',
        headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' },
        payload: { service, env: 'production', version: 'v9.9.9' },
      });
    const allow = await check('search-api');
    expect(allow.statusCode, allow.body).toBe(200);
    expect(allow.json()).toMatchObject({ decision: 'allow', policy: 'standard' });
    const deny = await check('checkout-api');
    expect(deny.json()).toMatchObject({ decision: 'deny', policy: 'tier1-guarded' });
    const [recorded] = await runtime.ledger.query({ types: ['dev.steadyops.gate.decided'], limit: 1 });
    expect(recorded).toMatchObject({ seq: deny.json().seq, subject: 'checkout-api', actor: 'token:e2e-operator', data: { decision: 'deny' } });
    const forbidden = await app.inject({ method: 'POST', url: '/api/v1/gates/check', headers: { authorization: `Bearer ${viewer}` }, payload: { service: 'search-api', env: 'production', version: 'v1' } });
    expect(forbidden.statusCode).toBe(403);
    const bad = await app.inject({ method: 'POST', url: '/api/v1/gates/check', headers: { authorization: `Bearer ${operator}` }, payload: { service: 'search-api' } });
    expect(bad.statusCode).toBe(400);
  });
});
