import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli.ts';
import { fixedClock } from '../../lib/clock.ts';
import { loadModel } from '../../model/load-model.ts';
import { testServer } from '../../server/test-support/test-server.ts';

const demo = resolve('examples/demo/.steadyops');
const t0 = Date.parse('2026-11-26T10:00:00Z');
const iso = (minutes: number): string => new Date(t0 + minutes * 60_000).toISOString();
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const history = [
  { specversion: '1.0', id: 'deploy-41', source: '/github/northwind/checkout-api', type: 'dev.steadyops.deploy.finished', subject: 'checkout-api', time: iso(-30), data: { service: 'checkout-api', environment: 'production', version: 'v3.28.0', previousVersion: 'v3.27.0' } },
  { specversion: '1.0', id: 'cfg-9', source: '/kubernetes/prod', type: 'dev.steadyops.config.changed', subject: 'core-postgres', time: iso(-12), data: { service: 'core-postgres', environment: 'production', resource: 'configmap/pg', keys: ['max_connections'] } },
  { specversion: '1.0', id: 'flag-3', source: '/flags', type: 'dev.steadyops.flag.changed', subject: 'search-api', time: iso(-6), data: { flag: 'unrelated', environment: 'production', enabled: true } },
  {
    specversion: '1.0',
    id: 'fp-77:start:firing',
    source: '/alertmanager/production',
    type: 'dev.steadyops.alert.firing',
    subject: 'checkout-api',
    time: iso(-5),
    data: { alertname: 'CheckoutErrorBudgetBurn', fingerprint: 'fp-77', severity: 'page', labels: { service: 'checkout-api' }, startsAt: iso(-5), service: 'checkout-api', environment: 'production' },
  },
];

async function workspace() {
  const dir = await mkdtemp(join(tmpdir(), 'steadyops-incident-'));
  dirs.push(dir);
  const cli = (minutes: number, args: string[], stdin?: string) =>
    runCli(['--db', `sqlite:${join(dir, 'ledger.db')}`, '--config', demo, ...args], { cwd: dir, clock: fixedClock(iso(minutes)), env: { STEADYOPS_USER: 'ana' }, ...(stdin ? { stdin } : {}) });
  expect((await cli(0, ['events', 'push', '-'], JSON.stringify(history))).code).toBe(0);
  return { dir, cli };
}

describe('steadyops incident', () => {
  it('runs the lifecycle against the local ledger: declare from an alert, ack, update, mitigate, resolve', async () => {
    const { cli } = await workspace();
    const declared = await cli(0, ['incident', 'declare', '--from-alert', 'fp-77', '--commander', 'ana', '--format', 'json']);
    expect(declared.code).toBe(0);
    expect(JSON.parse(declared.stdout)).toMatchObject({ incident: { id: 'INC-1', severity: 'sev2', services: ['checkout-api'], environment: 'production', fromAlert: 'fp-77', roles: { commander: 'ana' } } });
    expect((await cli(2, ['incident', 'ack', 'INC-1'])).stdout).toBe('Acknowledged INC-1 [sev2, acknowledged] CheckoutErrorBudgetBurn on checkout-api (ledger seq 6).\n');
    expect((await cli(10, ['incident', 'update', 'INC-1', '--message', 'v3.28.0 is bad', '--status', 'identified', '--severity', 'sev1', '--scribe', 'bo'])).code).toBe(0);
    expect((await cli(20, ['incident', 'mitigate', 'INC-1', '--summary', 'rolled back'])).code).toBe(0);
    expect((await cli(40, ['incident', 'resolve', 'INC-1', '--summary', 'fixed forward'])).code).toBe(0);

    const shown = await cli(41, ['incident', 'show', 'INC-1']);
    expect(shown.stdout).toContain('INC-1 [sev1, resolved] CheckoutErrorBudgetBurn on checkout-api');
    expect(shown.stdout).toContain('roles: commander ana, scribe bo');
    expect(shown.stdout).toMatch(/acknowledged 2026-11-26 10:02Z by ana/);
    const events = await cli(41, ['changes', '--since', '2h', '--type', 'dev.steadyops.incident.*', '--format', 'json']);
    expect(JSON.parse(events.stdout).events.map((event: { actor: string }) => event.actor)).toEqual(Array(5).fill('cli:ana'));

    const list = await cli(41, ['incident', 'list', '--open']);
    expect(list.stdout).toBe('No incidents match.\n');
    expect((await cli(41, ['incident', 'list', '--resolved'])).stdout).toMatch(/^INC-1\s+sev1\s+resolved/);
  });

  it('refuses invalid transitions and unknown ids with exit 2, writing nothing', async () => {
    const { cli } = await workspace();
    await cli(0, ['incident', 'declare', '--title', 'checkout slow', '--severity', 'sev3', '--service', 'checkout-api']);
    await cli(5, ['incident', 'resolve', 'INC-1']);
    const again = await cli(6, ['incident', 'resolve', 'INC-1']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('cannot resolve INC-1: it was already resolved at 2026-11-26T10:05:00.000Z');
    expect((await cli(6, ['incident', 'update', 'INC-1', '--message', 'late news'])).code).toBe(2);
    const unknown = await cli(6, ['incident', 'show', 'INC-404']);
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining('incident INC-404 was not found') });
    const badSeverity = await cli(6, ['incident', 'declare', '--title', 't', '--severity', 'p1', '--service', 'checkout-api']);
    expect(badSeverity).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown severity "p1"') });
    const listed = await cli(6, ['incident', 'list', '--format', 'json']);
    expect(JSON.parse(listed.stdout).items).toHaveLength(1);
  });

  it('prints the timeline with the likely trigger and writes a postmortem draft, refusing to overwrite without --force', async () => {
    const { dir, cli } = await workspace();
    await cli(0, ['incident', 'declare', '--from-alert', 'fp-77']);
    await cli(30, ['incident', 'resolve', 'INC-1']);

    const text = await cli(31, ['incident', 'timeline', 'INC-1']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('config   core-postgres      config changed — configmap/pg: max_connections');
    expect(text.stdout).toContain('<- likely trigger: the last config change on core-postgres (a dependency) before the first alert (CheckoutErrorBudgetBurn on checkout-api), 7 min earlier');
    expect(text.stdout).not.toContain('search-api');
    const json = JSON.parse((await cli(31, ['incident', 'timeline', 'INC-1', '--window', '20m', '--format', 'json'])).stdout);
    expect(json.entries.map((entry: { type: string }) => entry.type)).toEqual(['dev.steadyops.config.changed', 'dev.steadyops.alert.firing', 'dev.steadyops.incident.declared', 'dev.steadyops.incident.resolved']);
    expect((await cli(31, ['incident', 'timeline', 'INC-1', '--format', 'markdown'])).stdout).toContain('| Time | Kind | Service | What happened | Who | Ledger |');

    const out = join(dir, 'INC-1.md');
    expect((await cli(32, ['incident', 'postmortem', 'INC-1', '--out', 'INC-1.md'])).code).toBe(0);
    const draft = readFileSync(out, 'utf8');
    expect(draft).toContain('# Postmortem: INC-1 — CheckoutErrorBudgetBurn on checkout-api');
    expect(draft).toContain('- **Duration (declared to resolved):** 30m');
    expect(draft).toMatch(/SLO budget burned:\*\* no SLO data/);
    expect(draft).toContain('**likely trigger:** config changed');

    writeFileSync(out, 'edited by hand');
    const refused = await cli(33, ['incident', 'postmortem', 'INC-1', '--out', 'INC-1.md']);
    expect(refused).toMatchObject({ code: 2, stderr: expect.stringContaining('INC-1.md exists; add --force to overwrite it') });
    expect(readFileSync(out, 'utf8')).toBe('edited by hand');
    const published = await cli(34, ['incident', 'postmortem', 'INC-1', '--out', 'INC-1.md', '--force', '--url', 'https://wiki.example.com/pm/INC-1']);
    expect(published.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('Published at https://wiki.example.com/pm/INC-1.');
    expect(JSON.parse((await cli(35, ['incident', 'show', 'INC-1', '--format', 'json'])).stdout).postmortemUrl).toBe('https://wiki.example.com/pm/INC-1');
    const recorded = JSON.parse((await cli(35, ['changes', '--since', '2h', '--type', 'dev.steadyops.incident.postmortem', '--format', 'json'])).stdout).events;
    expect(recorded).toEqual([expect.objectContaining({ data: { incidentId: 'INC-1', url: 'https://wiki.example.com/pm/INC-1', trigger: { seq: 2, type: 'dev.steadyops.config.changed', summary: 'config changed — configmap/pg: max_connections' } } })]);
  });

  it('works through a remote server with --server/--token', async () => {
    const { model } = await loadModel(demo);
    const server = await testServer({ model: { current: () => model } });
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const url = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
      const dir = await mkdtemp(join(tmpdir(), 'steadyops-incident-remote-'));
      dirs.push(dir);
      const remote = (args: string[]) => runCli(['--server', url, '--token', server.secrets.operator, ...args], { cwd: dir, clock: fixedClock(iso(60)) });
      expect((await remote(['incident', 'declare', '--title', 'payments down', '--severity', 'sev1', '--service', 'checkout-api', '--commander', 'ana'])).stdout).toContain('Declared INC-1 [sev1, declared] payments down');
      expect(server.ledger.events.at(-1)).toMatchObject({ actor: 'token:operator-bot', data: { roles: { commander: 'ana' } } });
      expect((await remote(['incident', 'update', 'INC-1', '--message', 'found it', '--status', 'identified'])).code).toBe(0);
      expect((await remote(['incident', 'resolve', 'INC-1'])).code).toBe(0);
      expect((await remote(['incident', 'ack', 'INC-1'])).code).toBe(2);
      expect((await remote(['incident', 'list', '--resolved', '--format', 'json'])).stdout).toContain('"id": "INC-1"');
      expect((await remote(['incident', 'timeline', 'INC-1'])).stdout).toContain('declared: payments down');
      expect((await remote(['incident', 'postmortem', 'INC-1', '--out', 'pm.md'])).code).toBe(0);
      expect(existsSync(join(dir, 'pm.md'))).toBe(true);
      expect(readFileSync(join(dir, 'pm.md'), 'utf8')).toContain(`](${url}/api/v1/events/INC-1.1?source=%2Fsteadyops%2Fincidents)`);
    } finally {
      await server.app.close();
    }
  });

  it('has help with examples on every sub-command', async () => {
    for (const sub of ['declare', 'list', 'show', 'ack', 'update', 'mitigate', 'resolve', 'timeline', 'postmortem']) {
      const help = await runCli(['incident', sub, '--help'], { cwd: tmpdir() });
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Examples:');
    }
  });
});
