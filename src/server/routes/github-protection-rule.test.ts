import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { sign } from '@octokit/webhooks-methods';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubApiStandin, type GithubApiStandin } from '../../../test/support/github-api-standin.ts';
import { loadModel } from '../../model/load-model.ts';
import { testServer, type TestServer } from '../test-support/test-server.ts';

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples') as Array<{ name: string; examples: any[] }>;
const schemas = require('@octokit/webhooks-schemas') as { definitions: Record<string, object> };

const secret = 'protection-rule-secret';
const appId = '424242';
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const { model } = await loadModel('examples/demo/.steadyops');

/** GitHub's deployment_protection_rule payload, built from GitHub's own deployment example. */
function protectionRulePayload(standin: string, repository = 'northwind/checkout-api', environment = 'production') {
  const base = structuredClone(examples.find((set) => set.name === 'deployment')?.examples[0]);
  const [owner, name] = repository.split('/') as [string, string];
  base.repository.full_name = repository;
  base.repository.name = name;
  base.repository.owner.login = owner;
  // repository fields GitHub has added since the example was captured
  Object.assign(base.repository, { is_template: false, web_commit_signoff_required: false, topics: [], visibility: 'private', custom_properties: {} });
  return {
    action: 'requested',
    environment,
    event: 'push',
    deployment_callback_url: `${standin}/repos/${repository}/actions/runs/6789/deployment_protection_rule`,
    deployment: { ...base.deployment, environment },
    repository: base.repository,
    sender: base.sender,
    installation: { id: 31337, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMzEzMzc=' },
  };
}

function validateAgainstGithubSchema(payload: unknown): string[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  // ajv-formats is CommonJS with its function on `default`
  (ajvFormats as unknown as { default: (ajv: Ajv) => void }).default(ajv);
  ajv.addSchema(schemas, 'github');
  const valid = ajv.validate({ $ref: 'github#/definitions/deployment_protection_rule$requested' }, payload);
  return valid ? [] : (ajv.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}

async function deliver(server: TestServer, payload: object, delivery: string) {
  const body = JSON.stringify(payload);
  return server.app.inject({
    method: 'POST',
    url: '/hooks/github',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'deployment_protection_rule',
      'x-github-delivery': delivery,
      'x-hub-signature-256': await sign(secret, body),
    },
    payload: body,
  });
}

describe('POST /hooks/github deployment_protection_rule', () => {
  let standin: GithubApiStandin;
  let server: TestServer;

  beforeAll(async () => {
    standin = await startGithubApiStandin({ appId, privateKeyPem });
    server = await testServer({ model: { current: () => model }, githubWebhookSecret: secret, githubApp: { appId, privateKey: privateKeyPem, apiUrl: standin.url } });
  });
  afterAll(() => standin.stop());

  it('uses a payload of the shape GitHub documents', () => {
    expect(validateAgainstGithubSchema(protectionRulePayload(standin.url))).toEqual([]);
  });

  it('runs the gate and rejects the deployment through the API as the App, with the reasons', async () => {
    const response = await deliver(server, protectionRulePayload(standin.url), 'delivery-1');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ decision: 'deny', delivery: 'delivery-1' });
    const [tokenCall, reviewCall] = standin.calls.slice(-2);
    expect(tokenCall).toMatchObject({ method: 'POST', path: '/app/installations/31337/access_tokens' });
    expect(reviewCall).toMatchObject({ method: 'POST', path: '/repos/northwind/checkout-api/actions/runs/6789/deployment_protection_rule' });
    const [review] = standin.reviews().slice(-1);
    expect(review).toMatchObject({ environment_name: 'production', state: 'rejected' });
    expect(review?.comment).toMatch(/^steadyops DENY \(release policy tier1-guarded, ledger seq \d+\)\./);
    expect(review?.comment).toContain('approvals: The release has 0 of the 1 approval it needs');
    const decided = server.ledger.events.at(-1);
    expect(decided).toMatchObject({
      type: 'dev.steadyops.gate.decided',
      actor: 'github-app:northwind/checkout-api',
      data: { version: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e', decision: 'deny', author: 'Codertocat' },
    });
  });

  it('approves once an approver overrides the deny', async () => {
    const override = await server.app.inject({
      method: 'POST',
      url: '/api/v1/gates/overrides',
      headers: server.auth('approver'),
      payload: { service: 'checkout-api', env: 'production', version: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e', reason: 'hotfix for INC-2291, approved on the bridge' },
    });
    expect(override.statusCode).toBe(201);
    const response = await deliver(server, protectionRulePayload(standin.url), 'delivery-2');
    expect(response.json()).toMatchObject({ decision: 'allow' });
    expect(standin.reviews().at(-1)).toMatchObject({ state: 'approved', comment: expect.stringContaining('Overridden by approver-bot: hotfix for INC-2291') });
  });

  it('rejects a deployment of a repository no service owns, saying so, rather than leaving it waiting', async () => {
    const response = await deliver(server, protectionRulePayload(standin.url, 'northwind/unknown-repo'), 'delivery-3');
    expect(response.json()).toMatchObject({ decision: 'deny' });
    expect(standin.reviews().at(-1)).toMatchObject({ state: 'rejected', comment: expect.stringContaining('no service in the ownership model owns the repository northwind/unknown-repo') });
  });

  it('rejects an environment the model does not know', async () => {
    await deliver(server, protectionRulePayload(standin.url, 'northwind/checkout-api', 'prod-us'), 'delivery-4');
    expect(standin.reviews().at(-1)).toMatchObject({ environment_name: 'prod-us', state: 'rejected', comment: expect.stringContaining('unknown environment "prod-us"') });
  });

  it('answers 502 when the GitHub API refuses the App, so GitHub redelivers', async () => {
    const wrongKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const misconfigured = await testServer({ model: { current: () => model }, githubWebhookSecret: secret, githubApp: { appId, privateKey: wrongKey, apiUrl: standin.url } });
    const response = await deliver(misconfigured, protectionRulePayload(standin.url), 'delivery-5');
    expect(response.statusCode).toBe(502);
    expect(response.json()).toMatchObject({ code: 'SO_E_UNREACHABLE' });
  });

  it('answers 503 when no GitHub App is configured', async () => {
    const unconfigured = await testServer({ model: { current: () => model }, githubWebhookSecret: secret });
    const response = await deliver(unconfigured, protectionRulePayload(standin.url), 'delivery-6');
    expect(response.statusCode).toBe(503);
    expect(response.json().detail).toContain('STEADYOPS_GITHUB_APP_ID and STEADYOPS_GITHUB_APP_PRIVATE_KEY_FILE');
  });
});
