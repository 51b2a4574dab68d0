import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoModelPath } from '../../src/cli/demo.ts';
import { alertmanagerAvailable, postAlerts, startAlertmanager, type RunningAlertmanager } from '../support/alertmanager.ts';
import { runCli, startServer, type ServerProcess } from '../support/cli.ts';
import { waitUntil } from '../support/processes.ts';

const available = alertmanagerAvailable();
const minute = 60_000;
const hour = 60 * minute;
/** the metrics report figures to 4 decimals of their unit */
const reported = (value: number) => Math.round(value * 10_000) / 10_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface IncidentJson {
  readonly id: string;
  readonly declaredAt: string;
  readonly acknowledgedAt?: string;
  readonly resolvedAt?: string;
  readonly causedBy?: { deployId: string; seq?: number };
}

/**
 * The incident-response loop end to end on the demo organisation's model, through the real binary's server, the CLI in
 * remote mode and a real Alertmanager: an alert fires, an incident is declared from it, the bad deploy is the likely
 * trigger, the incident is resolved, its postmortem written, a follow-up is carried out by a merged pull request, and
 * the metrics match the numbers worked out by hand from the events the test wrote. The ledger starts empty (the demo's
 * generated history is left out) so that every number can be computed by hand.
 */
describe.skipIf(!available)('incident response on the demo organisation, from a real Alertmanager to MTTR', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steadyops-incident-e2e-'));
  const db = `sqlite:${join(dir, 'so.db')}`;
  const now = Date.now();
  const at = (offsetMs: number) => new Date(now + offsetMs).toISOString();
  let server: ServerProcess;
  let alertmanager: RunningAlertmanager;
  let token = '';

  const cli = async (...args: string[]) => {
    const result = await runCli(['--server', server.url, '--token', token, ...args], { cwd: dir });
    expect(result.code, `${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
    return result.stdout;
  };
  const cliJson = async <T>(...args: string[]): Promise<T> => JSON.parse(await cli(...args, '--format', 'json')) as T;
  const push = async (events: readonly object[]) => {
    const result = await runCli(['--server', server.url, '--token', token, 'events', 'push', '-'], { cwd: dir, stdin: JSON.stringify(events) });
    expect(result.code, result.stderr).toBe(0);
  };
  const event = (id: string, type: string, time: string, data: Record<string, unknown>) => ({
    specversion: '1.0',
    id,
    source: '/e2e/github',
    type,
    subject: 'checkout-api',
    time,
    environment: 'production',
    data,
  });
  const deploy = (deployId: string, version: string, time: string, commits: string[]) =>
    event(deployId, 'dev.steadyops.deploy.finished', time, { service: 'checkout-api', environment: 'production', version, deployId, commits });
  const commit = (sha: string, time: string) =>
    event(`commit-${sha}`, 'dev.steadyops.git.commit', time, { repo: 'northwind/checkout-api', sha, branch: 'main', author: 'dev', message: `change ${sha}` });

  beforeAll(async () => {
    const created = await runCli(['--db', db, 'token', 'create', '--name', 'e2e', '--role', 'admin', '--format', 'json'], { cwd: dir });
    expect(created.code, created.stderr).toBe(0);
    token = (JSON.parse(created.stdout) as { token: string }).token;
    server = await startServer(['--config', demoModelPath, '--db', db, '--audit-schedule', 'off'], { cwd: dir, timeoutMs: 60_000 });
    alertmanager = await startAlertmanager({ webhookUrl: `${server.url}/hooks/alertmanager`, token });
  }, 120_000);

  afterAll(async () => {
    await alertmanager?.stop();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  // what happened before the alert: two commits, two deploys of checkout-api; v3.28.0 is the bad one
  const goodCommit = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
  const badCommit = 'b2c3d4e5f60718293a4b5c6d7e8f901234567890';
  const history = [
    commit(goodCommit, at(-3 * hour)),
    deploy('dep-v3.27.0', 'v3.27.0', at(-2 * hour), [goodCommit]),
    commit(badCommit, at(-1 * hour)),
    deploy('dep-v3.28.0', 'v3.28.0', at(-20 * minute), [badCommit]),
  ];
  let incident: IncidentJson;
  let triggerSeq = 0;

  it('routes an alert fired through Alertmanager to its owner, and declares an incident from it', async () => {
    await push(history);
    await postAlerts(alertmanager.url, [
      {
        labels: { alertname: 'CheckoutHighErrorRate', service: 'checkout-api', severity: 'page', environment: 'production' },
        annotations: { summary: 'checkout-api 5xx above 5%' },
        startsAt: at(-5 * minute),
        generatorURL: 'http://prometheus.test:9090/graph',
      },
    ]);
    type RoutedAlert = { alertname: string; fingerprint: string; team?: string; state: string };
    let firing: RoutedAlert[] = [];
    await waitUntil(
      async () => {
        const answer = await cliJson<{ alerts: RoutedAlert[] } | RoutedAlert[]>('alerts', '--firing');
        firing = Array.isArray(answer) ? answer : answer.alerts;
        return firing.length > 0;
      },
      20_000,
      () => `no firing alert reached the ledger\n${alertmanager.output()}\n${server.output()}`,
    );
    const [alert] = firing;
    expect(alert).toMatchObject({ alertname: 'CheckoutHighErrorRate', team: 'payments' });

    const declared = await cliJson<{ incident: IncidentJson }>('incident', 'declare', '--from-alert', alert!.fingerprint, '--commander', 'ana');
    incident = declared.incident;
    expect(incident.id).toBe('INC-1');
    // the server's own clock times the response: a few seconds, so MTTA and MTTR are more than rounding
    await pause(2_000);
    await cli('incident', 'ack', incident.id);
  });

  it('marks the bad deploy as the likely trigger on the automatic timeline, and records it as the cause', async () => {
    type Entry = { seq: number; type: string; likelyTrigger?: boolean; summary: string };
    const timeline = await cliJson<{ entries: Entry[] }>('incident', 'timeline', incident.id);
    const triggers = timeline.entries.filter((entry) => entry.likelyTrigger);
    expect(triggers).toHaveLength(1);
    expect(triggers[0]).toMatchObject({ type: 'dev.steadyops.deploy.finished' });
    expect(triggers[0]!.summary).toContain('v3.28.0');
    // the good deploy two hours earlier is on the timeline, and not the trigger
    expect(timeline.entries.some((entry) => entry.summary.includes('v3.27.0') && !entry.likelyTrigger)).toBe(true);
    triggerSeq = triggers[0]!.seq;

    const updated = await cliJson<{ incident: IncidentJson }>('incident', 'update', incident.id, '--message', 'v3.28.0 caused it', '--caused-by', `seq:${triggerSeq}`, '--status', 'identified');
    expect(updated.incident.causedBy).toEqual({ deployId: 'dep-v3.28.0', seq: triggerSeq });
  });

  it('resolves the incident after the rollback, refuses to resolve it twice, and writes the postmortem', async () => {
    await push([
      event('rb-1', 'dev.steadyops.rollback.finished', at(0), {
        service: 'checkout-api',
        environment: 'production',
        fromVersion: 'v3.28.0',
        toVersion: 'v3.27.0',
        reason: 'error rate',
        deployId: 'dep-v3.28.0',
        outcome: 'succeeded',
      }),
    ]);
    await pause(3_000);
    incident = (await cliJson<{ incident: IncidentJson }>('incident', 'resolve', incident.id, '--summary', 'rolled back to v3.27.0')).incident;
    const again = await runCli(['--server', server.url, '--token', token, 'incident', 'resolve', incident.id], { cwd: dir });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already resolved');

    const file = join(dir, 'postmortem.md');
    await cli('incident', 'postmortem', incident.id, '--out', file, '--url', 'https://wiki.example.com/pm/INC-1');
    const postmortem = readFileSync(file, 'utf8');
    expect(postmortem).toContain(`# Postmortem: ${incident.id}`);
    expect(postmortem).toContain('v3.28.0');
    expect(postmortem).toContain(`ledger seq ${triggerSeq}`);
  });

  it('closes a follow-up through the merged pull request that names it', async () => {
    type FollowUp = { id: string; status: string; closedWithoutChange: boolean; changes: Array<{ seq?: number; merged: boolean }> };
    const added = await cliJson<{ followUp?: FollowUp } & Partial<FollowUp>>('followups', 'add', '--incident', incident.id, '--title', 'Canary analysis for checkout deploys', '--owner', 'ana', '--due', at(7 * 24 * hour).slice(0, 10));
    const id = added.followUp?.id ?? added.id!;
    expect(id).toMatch(/^SO-FU-\d+$/);
    const list = async () => {
      const answer = await cliJson<{ followUps: FollowUp[] } | FollowUp[]>('followups', '--incident', incident.id);
      return (Array.isArray(answer) ? answer : answer.followUps).find((followUp) => followUp.id === id)!;
    };
    expect((await list()).status).toBe('open');
    await push([
      event('merge-pr-412', 'dev.steadyops.git.merge', new Date().toISOString(), {
        repo: 'northwind/checkout-api',
        sha: 'c3d4e5f60718293a4b5c6d7e8f9012345678901a',
        branch: 'main',
        sourceBranch: 'canary-analysis',
        author: 'ana',
        pullRequest: 412,
        title: `${id}: canary analysis before checkout deploys finish`,
      }),
    ]);
    const done = await list();
    expect(done).toMatchObject({ status: 'done', closedWithoutChange: false });
    expect(done.changes.some((change) => change.merged)).toBe(true);
  });

  it('reads MTTR, MTTA, change fail rate and lead time that match the values worked out by hand', async () => {
    const shown = await cliJson<IncidentJson | { incident: IncidentJson }>('incident', 'show', incident.id);
    const state = 'incident' in shown ? shown.incident : shown;
    const hours = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / hour;
    type Metric = { key: string; value: number | null; ratio?: { numerator: number; denominator: number }; evidence: number[] };
    const report = await cliJson<{ metrics: Metric[] }>('metrics', '--service', 'checkout-api', '--period', '7d');
    const metric = (key: string) => report.metrics.find((entry) => entry.key === key)!;

    // one incident: MTTR is its declared -> resolved time, MTTA its declared -> acknowledged time
    expect(hours(state.declaredAt, state.resolvedAt!)).toBeGreaterThan(4 / 3600);
    expect(metric('mttr').value).toBe(reported(hours(state.declaredAt, state.resolvedAt!)));
    expect(metric('mtta').value).toBe(reported(hours(state.declaredAt, state.acknowledgedAt!) * 60));
    // two production deploys, one rolled back and confirmed as the incident's cause: 1 of 2
    expect(metric('changeFailRate')).toMatchObject({ value: 50, ratio: { numerator: 1, denominator: 2 } });
    expect(metric('changeFailRate').evidence).toContain(triggerSeq);
    // lead times: 3 h - 2 h = 1 h for v3.27.0, 1 h - 20 min = 40 min for v3.28.0; the median of the two
    expect(metric('changeLeadTime').value).toBe(reported((1 + 40 / 60) / 2));
    // the follow-up was carried out by a merged change
    expect(metric('followUpCompletion'), JSON.stringify(metric('followUpCompletion'))).toMatchObject({ ratio: { numerator: 1, denominator: 1 } });
  });
});
