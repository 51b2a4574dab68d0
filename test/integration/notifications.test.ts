import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { incidentDeclaredInput, mergeData, mergeInput } from '../../src/incidents/followups/follow-up-fixtures.ts';
import { startReceiver, type Receiver } from '../../src/incidents/notify/notify-fixtures.ts';
import { runCli, startServer, type ServerProcess } from '../support/cli.ts';
import { testTeam, writeModelDir } from '../support/model-dir.ts';

const dir = mkdtempSync(join(tmpdir(), 'steadyops-notifications-'));
let receiver: Receiver;
let server: ServerProcess;
let env: NodeJS.ProcessEnv;
let token: string;

beforeAll(async () => {
  receiver = await startReceiver([200]);
  writeModelDir(dir, [
    { ...testTeam, spec: { ...testTeam.spec, chat: { channel: '#payments', url: `${receiver.url}/chat/T000/SECRET` } } },
    { kind: 'Service', name: 'checkout-api', spec: { owner: 'payments', tier: 1 } },
  ]);
  env = {
    STEADYOPS_DB: `sqlite:${join(dir, 'steadyops.db')}`,
    USER: 'notify-test',
    STEADYOPS_PAGERDUTY_ROUTING_KEY: 'R0UT1NG',
    STEADYOPS_PAGERDUTY_URL: `${receiver.url}/v2/enqueue`,
  };
  const created = await runCli(['token', 'create', '--name', 'notify', '--role', 'operator', '--format', 'json'], { cwd: dir, env });
  expect(created.code, created.stderr).toBe(0);
  token = (JSON.parse(created.stdout) as { token: string }).token;
  server = await startServer([], { cwd: dir, env });
});

afterAll(async () => {
  await server?.stop();
  await receiver?.close();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[], stdin?: string) => runCli(['--server', server.url, '--token', token, ...args], { cwd: dir, env, ...(stdin ? { stdin } : {}) });

describe('notifications and follow-ups through a real `steadyops serve`', () => {
  it('posts an incident pushed by the CLI to the team chat once, and a page alert to PagerDuty', async () => {
    expect((await cli(['events', 'push', '-'], JSON.stringify(incidentDeclaredInput('INC-31', '2026-11-26T09:00:00Z')))).code).toBe(0);
    const alert = {
      specversion: '1.0',
      id: 'alert-1',
      source: '/alertmanager/prod',
      type: 'dev.steadyops.alert.firing',
      subject: 'checkout-api',
      data: { alertname: 'CheckoutErrors', fingerprint: 'abc123', severity: 'page', labels: { severity: 'page' }, startsAt: '2026-11-26T09:01:00Z', service: 'checkout-api' },
    };
    expect((await cli(['events', 'push', '-'], JSON.stringify(alert))).code).toBe(0);
    await vi.waitFor(() => expect(receiver.received).toHaveLength(2), { timeout: 10_000 });
    const chat = receiver.received.find((entry) => entry.path.startsWith('/chat/'));
    const pagerduty = receiver.received.find((entry) => entry.path === '/v2/enqueue');
    expect(chat?.body).toMatchObject({ text: expect.stringContaining('Incident INC-31 declared (sev2)') });
    expect(pagerduty?.body).toMatchObject({ routing_key: 'R0UT1NG', event_action: 'trigger', dedup_key: 'steadyops:abc123' });

    const recorded = async () => {
      const response = await fetch(`${server.url}/api/v1/changes?since=30d&type=dev.steadyops.notification.*`, { headers: { authorization: `Bearer ${token}` } });
      return JSON.stringify(await response.json());
    };
    await vi.waitFor(async () => expect((await recorded()).match(/notification\.delivered/g)).toHaveLength(2), { timeout: 10_000 });
    expect(await recorded()).not.toContain('SECRET');
    expect(receiver.received).toHaveLength(2);
  });

  it('records follow-ups remotely and marks them done when a merge names them', async () => {
    const added = await cli(['followups', 'add', '--incident', 'INC-31', '--title', 'Alert on 5xx', '--owner', 'payments', '--due', '2026-12-10', '--format', 'json']);
    expect(added.code, added.stderr).toBe(0);
    const id = (JSON.parse(added.stdout) as { followUp: { id: string } }).followUp.id;
    expect(id).toBe('SO-FU-1');
    const merge = mergeInput('merge-9', mergeData('Alert on 5xx', { sourceBranch: 'so-fu-1-alert', pullRequest: 9 }));
    await cli(['events', 'push', '-'], JSON.stringify(merge));
    const listed = await cli(['followups', '--team', 'payments', '--format', 'json']);
    expect(JSON.parse(listed.stdout)).toMatchObject({ followUps: [{ id: 'SO-FU-1', status: 'done', changes: [{ via: 'mention', merged: true }] }] });
    const closed = await cli(['followups', 'close', 'SO-FU-1']);
    expect(closed.code).toBe(0);
    const again = await cli(['followups', 'close', 'SO-FU-1']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already closed');
  });
});
