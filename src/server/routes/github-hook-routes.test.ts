import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign } from '@octokit/webhooks-methods';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRuntime, type Runtime } from '../../cli/runtime.ts';
import { fixedClock } from '../../lib/clock.ts';
import { problemDetails } from '../plugins/problem-details.ts';
import { githubHookRoutes } from './github-hook-routes.ts';

const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as Array<{ name: string; examples: any[] }>;
const example = (event: string, pick: (payload: any) => boolean = () => true): any =>
  structuredClone(examples.find((set) => set.name === event)?.examples.find(pick));

const secret = 'It’s a Secret to Everybody';
const pushBody = JSON.stringify(example('push', (p) => p.ref === 'refs/heads/master' && p.commits.length > 0));

async function hookApp(runtime: Runtime, configuredSecret: string | undefined): Promise<FastifyInstance> {
  const app = Fastify();
  problemDetails(app, { bodyLimit: 1024 * 1024 });
  githubHookRoutes(app, {
    ledger: runtime.ledger,
    resolve: (hints) => (hints.repo === 'Codertocat/Hello-World' ? 'hello-service' : undefined),
    secret: configuredSecret,
    clock: fixedClock('2026-03-01T10:00:00Z'),
  });
  await app.ready();
  return app;
}

describe('POST /hooks/github on a real ledger', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steadyops-github-hook-'));
  let runtime: Runtime;
  let app: FastifyInstance;
  let unconfigured: FastifyInstance;

  beforeAll(async () => {
    runtime = await openRuntime({ db: `sqlite:${join(dir, 'steadyops.db')}`, cwd: dir, env: {}, clock: fixedClock('2026-03-01T10:00:00Z') });
    app = await hookApp(runtime, secret);
    unconfigured = await hookApp(runtime, undefined);
  });

  afterAll(async () => {
    await app.close();
    await unconfigured.close();
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function deliver(
    event: string,
    body: string,
    delivery: string,
    options: { signature?: string | null; contentType?: string; target?: FastifyInstance } = {},
  ) {
    const signature = options.signature === undefined ? await sign(secret, body) : options.signature;
    return (options.target ?? app).inject({
      method: 'POST',
      url: '/hooks/github',
      headers: {
        'content-type': options.contentType ?? 'application/json',
        'x-github-event': event,
        'x-github-delivery': delivery,
        ...(signature === null ? {} : { 'x-hub-signature-256': signature }),
      },
      payload: body,
    });
  }

  it('stores a signed push with the sender as actor, and acknowledges its redelivery as duplicates', async () => {
    const first = await deliver('push', pushBody, 'push-1');
    expect(first.statusCode, first.body).toBe(200);
    const id = 'push-1:6113728f27ae82c7b1a177c8d03f9e96e0adf246';
    expect(first.json()).toEqual({ delivery: 'push-1', stored: 1, duplicates: 0, events: [{ id, seq: expect.any(Number), duplicate: false }] });
    const [stored] = await runtime.ledger.findById(id);
    expect(stored).toMatchObject({
      source: '/github/Codertocat/Hello-World',
      type: 'dev.steadyops.git.commit',
      subject: 'hello-service',
      actor: 'github:Codertocat',
      data: { branch: 'master', sha: '6113728f27ae82c7b1a177c8d03f9e96e0adf246' },
    });
    const size = await runtime.ledger.size();
    const again = await deliver('push', pushBody, 'push-1');
    expect(again.json()).toMatchObject({ stored: 0, duplicates: 1, events: [{ id, seq: stored?.seq, duplicate: true }] });
    expect(await runtime.ledger.size()).toBe(size);
  });

  it('keeps the exact signed bytes: whitespace and unicode in the body do not break the signature', async () => {
    const body = JSON.stringify(example('deployment_status', (p) => p.deployment_status.state === 'success'), null, 2).replace(
      '"description": ""',
      '"description": "déployé ✓"',
    );
    const response = await deliver('deployment_status', body, 'status-1');
    expect(response.statusCode, response.body).toBe(200);
    expect((await runtime.ledger.findById('status-1'))[0]).toMatchObject({ type: 'dev.steadyops.deploy.finished', environment: 'production' });
  });

  it.each([
    ['a missing signature', null, /missing/],
    ['a signature with another secret', 'other', /does not match/],
    ['a malformed signature', 'sha256=zz', /does not match/],
  ])('refuses %s with 401 and stores nothing', async (_case, signatureCase, detail) => {
    const size = await runtime.ledger.size();
    const signature = signatureCase === 'other' ? await sign('another secret', pushBody) : signatureCase;
    const response = await deliver('push', pushBody, 'bad-signature', { signature });
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ code: 'SO_E_UNAUTHENTICATED', status: 401 });
    expect(response.json().detail).toMatch(detail);
    expect(await runtime.ledger.size()).toBe(size);
    expect(await runtime.ledger.findById('bad-signature:6113728f27ae82c7b1a177c8d03f9e96e0adf246')).toEqual([]);
  });

  it('refuses a body changed after signing', async () => {
    const signature = await sign(secret, pushBody);
    const response = await deliver('push', pushBody.replace('Initial commit', 'Initial commit!'), 'tampered', { signature });
    expect(response.statusCode).toBe(401);
  });

  it('answers 503 SO_E_HOOK_NOT_CONFIGURED without a configured secret, naming the setting', async () => {
    const size = await runtime.ledger.size();
    const response = await deliver('push', pushBody, 'no-secret', { target: unconfigured });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'SO_E_HOOK_NOT_CONFIGURED' });
    expect(response.json().detail).toContain('STEADYOPS_GITHUB_WEBHOOK_SECRET');
    expect(await runtime.ledger.size()).toBe(size);
  });

  it.each([
    ['ping', JSON.stringify(example('ping')), { pong: true }],
    ['issues', JSON.stringify({ action: 'opened', sender: { login: 'x' } }), { ignored: 'GitHub event issues is not recorded' }],
    ['pull_request', JSON.stringify(example('pull_request', (p) => p.action === 'opened')), { ignored: 'pull_request action opened is not a merge' }],
  ])('answers %s with 200 and stores nothing', async (event, body, answer) => {
    const size = await runtime.ledger.size();
    const response = await deliver(event, body, `other-${event}`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual(answer);
    expect(await runtime.ledger.size()).toBe(size);
  });

  it.each([
    ['malformed JSON', 'push', '{"ref": "refs/heads/main",', 'body', /not valid JSON at line 1/],
    ['a payload missing a needed field', 'deployment', JSON.stringify({ ...example('deployment'), deployment: { id: 1 } }), 'body.deployment.sha', /body\.deployment\.sha/],
    ['a missing event header', '', pushBody, 'headers.x-github-event', /x-github-event/],
  ])('answers %s with 400 SO_E_INPUT_INVALID naming the field and stores nothing', async (_case, event, body, path, detail) => {
    const size = await runtime.ledger.size();
    const response = await deliver(event, body, 'malformed-1');
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toMatchObject({ code: 'SO_E_INPUT_INVALID' });
    expect(response.json().detail).toMatch(detail);
    expect(response.json().issues.map((issue: { path: string }) => issue.path)).toContain(path);
    expect(await runtime.ledger.size()).toBe(size);
  });

  it('answers 415 for a form-encoded delivery', async () => {
    const body = `payload=${encodeURIComponent(pushBody)}`;
    const response = await deliver('push', body, 'form-1', { contentType: 'application/x-www-form-urlencoded' });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ code: 'SO_E_UNSUPPORTED_MEDIA_TYPE' });
    expect(response.json().detail).toContain('application/json');
  });
});
