import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign } from '@octokit/webhooks-methods';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRuntime, type Runtime } from '../../src/cli/runtime.ts';
import { createSubjectResolver } from '../../src/connectors/resolve-subject.ts';
import { systemClock } from '../../src/lib/clock.ts';
import type { ResolvedModel } from '../../src/model/resolve.ts';
import { listen } from '../../src/server/listen.ts';
import { jsonBody } from '../../src/server/plugins/json-body.ts';
import { problemDetails } from '../../src/server/plugins/problem-details.ts';
import { githubHookRoutes } from '../../src/server/routes/github-hook-routes.ts';
import { storeTargets } from '../support/store-targets.ts';

const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as Array<{ name: string; examples: any[] }>;
const example = (event: string, pick: (payload: any) => boolean): any =>
  structuredClone(examples.find((set) => set.name === event)?.examples.find(pick));

const secret = 'integration secret';

const mergedPullRequest = () => {
  const payload = example('pull_request', (p) => p.action === 'closed');
  Object.assign(payload.pull_request, { merged: true, merged_at: '2019-05-15T15:21:18Z', merged_by: { login: 'octocat' } });
  return payload;
};

/** One delivery per mapped GitHub event, each a real example payload, and the ledger type it must become. */
const deliveries: ReadonlyArray<readonly [event: string, payload: () => unknown, types: readonly string[]]> = [
  ['push', () => example('push', (p) => p.ref === 'refs/heads/master' && p.commits.length > 0), ['dev.steadyops.git.commit']],
  ['push', () => example('push', (p) => p.ref.startsWith('refs/tags/') && p.created), ['dev.steadyops.git.tag']],
  ['pull_request', mergedPullRequest, ['dev.steadyops.git.merge']],
  ['workflow_run', () => example('workflow_run', (p) => p.workflow_run.conclusion === 'success'), ['dev.steadyops.pipeline.finished']],
  ['workflow_run', () => example('workflow_run', (p) => p.action === 'requested'), ['dev.steadyops.pipeline.started']],
  ['deployment', () => example('deployment', (p) => p.deployment.environment === 'production'), ['dev.steadyops.deploy.started']],
  ['deployment_status', () => example('deployment_status', (p) => p.deployment_status.state === 'success'), ['dev.steadyops.deploy.finished']],
  ['release', () => example('release', (p) => p.action === 'published'), ['dev.steadyops.git.release']],
];

const model = {
  services: [{ name: 'hello-service', repo: { url: 'https://github.com/Codertocat/Hello-World.git' } }],
  datastores: [],
} as unknown as ResolvedModel;

for (const target of await storeTargets()) {
  describe.skipIf(!target.available)(`GitHub webhooks over HTTP into the real ledger (${target.name})`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'steadyops-github-'));
    const { url, cleanup } = target.fresh();
    let runtime: Runtime;
    let app: FastifyInstance;
    let address: string;

    beforeAll(async () => {
      runtime = await openRuntime({ db: url, cwd: dir, env: { STEADYOPS_SIGNING_KEY_FILE: join(dir, 'key.json') }, clock: systemClock });
      app = Fastify({ bodyLimit: 1024 * 1024 });
      problemDetails(app, { bodyLimit: 1024 * 1024 });
      // As in the full server: the root parses JSON; the hook's scope must still see the raw bytes.
      jsonBody(app, ['application/json']);
      githubHookRoutes(app, { ledger: runtime.ledger, resolve: createSubjectResolver(model), secret, clock: systemClock });
      address = await listen(app, { host: '127.0.0.1', port: 0 });
    });

    afterAll(async () => {
      await app.close();
      await runtime.close();
      await cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    async function post(event: string, body: string, delivery: string, signature?: string): Promise<Response> {
      return fetch(`${address}/hooks/github`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'GitHub-Hookshot/test',
          'x-github-event': event,
          'x-github-delivery': delivery,
          'x-hub-signature-256': signature ?? (await sign(secret, body)),
        },
        body,
      });
    }

    it('stores every mapped event type, verifiably, and acknowledges every redelivery as a duplicate', async () => {
      const stored: string[] = [];
      for (const [index, [event, payload, types]] of deliveries.entries()) {
        const body = JSON.stringify(payload());
        const delivery = `${target.name}-delivery-${index}`;
        const response = await post(event, body, delivery);
        const answer = (await response.json()) as { stored: number; events: Array<{ id: string }> };
        expect(response.status, JSON.stringify(answer)).toBe(200);
        expect(answer.stored).toBe(types.length);
        const found = await runtime.ledger.findById(answer.events[0]!.id);
        expect(found.map((item) => item.type)).toEqual([types[0]]);
        stored.push(...answer.events.map((item) => item.id));
        const again = await post(event, body, delivery);
        expect(await again.json()).toMatchObject({ stored: 0, duplicates: types.length });
      }
      expect(await runtime.ledger.size()).toBe(stored.length);
      const owned = await runtime.ledger.query({ subjects: ['hello-service'] });
      expect(owned.map((item) => item.source)).toEqual(owned.map(() => '/github/Codertocat/Hello-World'));
      expect(owned.length).toBeGreaterThan(0);
      const unowned = await runtime.ledger.query({ unowned: true });
      expect(unowned.map((item) => item.source)).toContain('/github/octo-org/octo-repo');
      expect((await runtime.ledger.query({ types: ['dev.steadyops.deploy.*'], environment: 'production' })).length).toBe(2);
      await runtime.ledger.cutCheckpoint();
      expect(await runtime.ledger.verify()).toMatchObject({ ok: true, size: stored.length });
    });

    it('stores nothing from a delivery whose signature does not match', async () => {
      const size = await runtime.ledger.size();
      const body = JSON.stringify(example('push', (p) => p.ref === 'refs/heads/master' && p.commits.length > 0));
      const response = await post('push', body, 'forged', await sign('not the secret', body));
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
      expect(await runtime.ledger.size()).toBe(size);
    });
  });
}
