import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { openRuntime, type Runtime } from '../../src/cli/runtime.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { verifyInclusionOffline } from '../../src/ledger/offline-proof.ts';
import { buildServer } from '../../src/server/build-server.ts';
import { listen } from '../../src/server/listen.ts';
import { runCli } from '../support/cli.ts';
import { storeTargets } from '../support/store-targets.ts';

function deploy(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    specversion: '1.0',
    id,
    source: '/github/northwind/checkout-api',
    type: 'dev.steadyops.deploy.finished',
    subject: 'checkout-api',
    time: new Date().toISOString(),
    data: { service: 'checkout-api', environment: 'production', version: 'v2.0.0' },
    ...extra,
  };
}

for (const target of await storeTargets()) {
  describe.skipIf(!target.available)(`the API on the real ledger (${target.name})`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'steadyops-api-'));
    const { url, cleanup } = target.fresh();
    let runtime: Runtime;
    let app: FastifyInstance;
    const tokens: Record<string, string> = {};

    beforeAll(async () => {
      runtime = await openRuntime({ db: url, cwd: dir, env: { STEADYOPS_SIGNING_KEY_FILE: join(dir, 'key.json') }, clock: systemClock });
      for (const role of ['viewer', 'operator', 'admin'] as const) {
        tokens[role] = (await runtime.tokens.create({ name: `${role}-bot`, role, createdBy: 'test' })).token;
      }
      app = await buildServer({
        ledger: runtime.ledger,
        tokens: runtime.tokens,
        model: { current: () => undefined },
        clock: systemClock,
        bodyLimit: 64 * 1024,
        ready: () => runtime.store.ping(),
        version: 'test',
      });
    });

    afterAll(async () => {
      await app.close();
      await runtime.close();
      await cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    const post = (body: unknown, role = 'operator', headers: Record<string, string> = {}) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/events',
        headers: { authorization: `Bearer ${tokens[role]}`, 'content-type': 'application/cloudevents-batch+json', ...headers },
        payload: typeof body === 'string' ? body : JSON.stringify(body),
      });

    it('appends a batch durably, with the token as actor, and acknowledges redelivery', async () => {
      const first = await post([deploy('api-1'), deploy('api-2')]);
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json()).toMatchObject({ accepted: 2, stored: 2, duplicates: 0 });
      const again = await post([deploy('api-2'), deploy('api-3')]);
      expect(again.json()).toMatchObject({ accepted: 2, stored: 1, duplicates: 1 });
      const [stored] = await runtime.ledger.findById('api-1');
      expect(stored?.actor).toBe('token:operator-bot');
    });

    it('takes binary-mode CloudEvents', async () => {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/events',
        headers: {
          authorization: `Bearer ${tokens.operator}`,
          'content-type': 'application/json',
          'ce-specversion': '1.0',
          'ce-id': 'binary-1',
          'ce-source': '/github/northwind/checkout-api',
          'ce-type': 'dev.steadyops.deploy.started',
          'ce-subject': 'checkout-api',
        },
        payload: JSON.stringify({ service: 'checkout-api', environment: 'staging', version: 'v2.1.0' }),
      });
      expect(response.statusCode, response.body).toBe(200);
      expect((await runtime.ledger.findById('binary-1'))[0]?.environment).toBe('staging');
    });

    it('writes nothing for a bad batch, an oversized body, or a caller without the role', async () => {
      const size = await runtime.ledger.size();
      const bad = await post([deploy('api-10'), deploy('api-11', { type: 'dev.steadyops.deploy.finishd' })]);
      expect(bad.statusCode).toBe(422);
      expect(bad.headers['content-type']).toContain('application/problem+json');
      expect(bad.json()).toMatchObject({ code: 'SO_E_EVENT_INVALID', status: 422 });
      expect(JSON.stringify(bad.json().issues)).toContain('dev.steadyops.deploy.finished');
      const huge = await post([deploy('api-12', { data: { service: 'x', environment: 'y', version: 'z'.repeat(70 * 1024) } })]);
      expect(huge.statusCode).toBe(413);
      expect(huge.json().code).toBe('SO_E_BODY_TOO_LARGE');
      const viewer = await post([deploy('api-13')], 'viewer');
      expect(viewer.statusCode).toBe(403);
      const anonymous = await app.inject({ method: 'POST', url: '/api/v1/events', payload: [deploy('api-14')] });
      expect(anonymous.statusCode).toBe(401);
      expect(await runtime.ledger.size()).toBe(size);
      expect(await runtime.ledger.findById('api-10')).toEqual([]);
    });

    it('serves each event with an inclusion proof that verifies offline against the published key', async () => {
      const auth = { authorization: `Bearer ${tokens.viewer}` };
      const event = await app.inject({ method: 'GET', url: '/api/v1/events/api-3', headers: auth });
      expect(event.statusCode, event.body).toBe(200);
      const proof = (event.json().events as Array<{ proof: Parameters<typeof verifyInclusionOffline>[0] }>)[0]?.proof;
      if (!proof) throw new Error('no proof in the answer');
      const key = await app.inject({ method: 'GET', url: '/api/v1/ledger/key', headers: auth });
      const check = verifyInclusionOffline(proof, key.json().verifierKey as string);
      expect(check.treeSize).toBeGreaterThanOrEqual(proof.seq);
      const note = await app.inject({ method: 'GET', url: '/api/v1/ledger/checkpoint', headers: auth });
      expect(note.headers['content-type']).toContain('text/plain');
      expect(note.body).toBe(proof.checkpoint);
    });

    it('serves the CLI remotely: events push and changes with --server and --token', async () => {
      const remote = await buildServer({
        ledger: runtime.ledger,
        tokens: runtime.tokens,
        model: { current: () => undefined },
        clock: systemClock,
        ready: () => runtime.store.ping(),
        version: 'test',
      });
      const address = await listen(remote, { host: '127.0.0.1', port: 0 });
      onTestFinished(() => remote.close());
      writeFileSync(join(dir, 'remote.json'), JSON.stringify(deploy('remote-1')));
      const pushed = await runCli(['events', 'push', 'remote.json', '--server', address, '--token', tokens.operator as string, '--format', 'json'], { cwd: dir });
      expect(pushed.code, pushed.stderr).toBe(0);
      expect(JSON.parse(pushed.stdout)).toMatchObject({ stored: 1 });
      const changes = await runCli(['changes', '--since', '5m', '--server', address, '--token', tokens.viewer as string, '--format', 'json'], { cwd: dir });
      expect((JSON.parse(changes.stdout) as { events: Array<{ id: string }> }).events.map((e) => e.id)).toContain('remote-1');
      const denied = await runCli(['events', 'push', 'remote.json', '--server', address, '--token', tokens.viewer as string], { cwd: dir });
      expect(denied.code).toBe(2);
      expect(denied.stderr).toContain('SO_E_FORBIDDEN');
      const unreachable = await runCli(['changes', '--server', 'http://127.0.0.1:9', '--token', 'x'], { cwd: dir });
      expect(unreachable.code).toBe(3);
    });
  });
}
