import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRuntime, type Runtime } from '../cli/runtime.ts';
import type { Clock } from '../lib/clock.ts';
import { isSteadyopsError } from '../lib/errors.ts';
import { auditCompletedType, riskAcceptedType } from './audit-ledger.ts';
import { createAuditService, repositoryOfModel } from './audit-service.ts';

const fixture = fileURLToPath(new URL('../../test/fixtures/audit-small', import.meta.url));
const start = new Date('2026-11-26T09:00:00Z');

let dir: string;
let repo: string;
let runtime: Runtime;
let now: Date;
const clock: Clock = { now: () => new Date(now) };

beforeEach(async () => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'audit-service-')));
  repo = join(dir, 'repo');
  cpSync(fixture, repo, { recursive: true });
  now = start;
  runtime = await openRuntime({ db: `sqlite:${join(dir, 'steadyops.db')}`, cwd: dir, env: {}, clock });
});

afterEach(async () => {
  await runtime.close();
  rmSync(dir, { recursive: true, force: true });
});

const ordersSloAndRollback = [
  '  slos:',
  '    - name: availability',
  '      objective: 99.5',
  '      period: 30d',
  '      sli: { ratio: { good: \'sum(rate(http_requests_total{job="orders",code!~"5.."}[{{.window}}]))\', total: \'sum(rate(http_requests_total{job="orders"}[{{.window}}]))\' } }',
  '  rollback:',
  '    criteria:',
  '      - { name: errors, query: \'sum(rate(http_requests_total{job="orders",code=~"5.."}[5m]))\', threshold: 1, failWhen: above, consecutiveFailures: 3 }',
  '',
].join('\n');

const later = (days: number) => {
  now = new Date(start.getTime() + days * 86_400_000);
};
const openIds = (findings: readonly { controlId: string; status: string }[]) => findings.filter((entry) => entry.status === 'open').map((entry) => entry.controlId);

describe('createAuditService over a real SQLite ledger', () => {
  it('records each run as a compact audit.completed event and reads the history back for trends', async () => {
    const audit = createAuditService({ ledger: runtime.ledger, clock, root: repo });
    const first = await audit.run({ actor: 'cli:test' });
    expect(openIds(first.report.run.findings)).toEqual(['OBS-002', 'OWN-005', 'OWN-005', 'REL-001', 'RUN-006']);
    const [event] = await runtime.ledger.query({ types: [auditCompletedType] });
    expect(event).toMatchObject({ seq: first.seq, actor: 'cli:test', source: '/steadyops/audit' });
    expect(event!.data).toMatchObject({
      root: repo,
      at: start.toISOString(),
      counts: { open: 5, riskAccepted: 0, bySeverity: { high: 2, medium: 3 } },
      findings: expect.arrayContaining([{ fingerprint: expect.any(String), controlId: 'RUN-006', severity: 'high', service: 'orders', team: 'shop' }]),
    });
    expect(JSON.stringify(event!.data)).not.toContain('moving tag');

    // the fixes: pin the image, give orders an SLO and rollback criteria; the scorecard trend shows the climb
    writeFileSync(join(repo, 'k8s/orders.yaml'), readFileSync(join(repo, 'k8s/orders.yaml'), 'utf8').replace(':latest', ':2.0.1'));
    writeFileSync(join(repo, '.steadyops/model.yaml'), `${readFileSync(join(repo, '.steadyops/model.yaml'), 'utf8')}${ordersSloAndRollback}`);
    later(1);
    const second = await audit.run({ actor: 'cli:test' });
    expect(openIds(second.report.run.findings)).toEqual(['OWN-005', 'OWN-005']);
    expect(second.report.scorecards.find((card) => card.name === 'orders')?.trend).toEqual(['bronze', 'silver']);
    expect(second.report.scorecards.find((card) => card.name === 'shop')?.trend).toEqual(['bronze', 'silver']);
    expect(audit.latest()).toBe(second.report);
  });

  it('does not record when asked not to, nor without a ledger', async () => {
    await createAuditService({ ledger: runtime.ledger, clock, root: repo }).run({ actor: 'cli:test', record: false });
    const { report, seq } = await createAuditService({ clock, root: repo }).run({ actor: 'cli:test' });
    expect(seq).toBeUndefined();
    expect(report.run.controls.find((control) => control.id === 'REL-004')?.status).toBe('not-applicable');
    expect(await runtime.ledger.query({ types: [auditCompletedType] })).toEqual([]);
  });

  it('accepts the risk of a finding of the latest run until it expires', async () => {
    const audit = createAuditService({ ledger: runtime.ledger, clock, root: repo });
    const { report } = await audit.run({ actor: 'cli:test' });
    const target = report.run.findings.find((entry) => entry.controlId === 'RUN-006')!;
    const accepted = await audit.accept({ fingerprint: target.fingerprint, reason: 'pinned in the next release train', expires: '7d', acceptedBy: 'dana@shop.example' }, 'cli:dana');
    expect(accepted.acceptance).toEqual({
      fingerprint: target.fingerprint,
      acceptedBy: 'dana@shop.example',
      reason: 'pinned in the next release train',
      expiresAt: '2026-12-03T09:00:00.000Z',
      seq: accepted.seq,
    });
    const [event] = await runtime.ledger.query({ types: [riskAcceptedType] });
    expect(event).toMatchObject({ actor: 'cli:dana', data: { fingerprint: target.fingerprint, controlId: 'RUN-006', service: 'orders' } });

    later(1);
    const next = (await audit.run({ actor: 'cli:test' })).report;
    expect(next.run.findings.find((entry) => entry.fingerprint === target.fingerprint)).toMatchObject({ status: 'risk-accepted', acceptance: { acceptedBy: 'dana@shop.example' } });
    expect(next.summary).toMatchObject({ open: 4, riskAccepted: 1 });
    expect(next.backlog.map((item) => item.finding.fingerprint)).not.toContain(target.fingerprint);

    // renewing an accepted finding is allowed: it is in the latest run, accepted
    await audit.accept({ fingerprint: target.fingerprint, reason: 'still waiting for the release train', expires: '1d', acceptedBy: 'dana@shop.example' }, 'cli:dana');
    later(3);
    const expired = (await audit.run({ actor: 'cli:test' })).report;
    expect(expired.run.findings.find((entry) => entry.fingerprint === target.fingerprint)?.status).toBe('open');
  });

  it.each([
    ['an unknown fingerprint', { fingerprint: '0000000000000000' }, 'SO_E_NOT_FOUND', /finding 0000000000000000 in the latest audit run/],
    ['a short reason', { reason: 'later' }, 'SO_E_USAGE', /at least 10 characters/],
    ['an expiry beyond 180 days', { expires: '181d' }, 'SO_E_USAGE', /at most 180d/],
    ['an expiry that is not a duration', { expires: 'soon' }, 'SO_E_USAGE', /not a duration/],
  ])('refuses %s', async (_name, change, code, message) => {
    const audit = createAuditService({ ledger: runtime.ledger, clock, root: repo });
    const { report } = await audit.run({ actor: 'cli:test' });
    const request = { fingerprint: report.run.findings[0]!.fingerprint, reason: 'a reason long enough', expires: '30d', acceptedBy: 'dana@shop.example', ...change };
    const error = await audit.accept(request, 'cli:dana').catch((caught: unknown) => caught);
    expect(isSteadyopsError(error) && error.code).toBe(code);
    expect((error as Error).message).toMatch(message);
    expect(await runtime.ledger.query({ types: [riskAcceptedType] })).toEqual([]);
  });

  it('refuses an acceptance before any run of the repository is recorded', async () => {
    const audit = createAuditService({ ledger: runtime.ledger, clock, root: repo });
    const error = await audit.accept({ fingerprint: 'f6ab0b5935505af4', reason: 'a reason long enough', expires: '30d', acceptedBy: 'dana' }, 'cli:dana').catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/the ledger holds no audit run of this repository/);
  });
});

describe('repositoryOfModel', () => {
  it('is the folder holding the model', async () => {
    expect(await repositoryOfModel('.steadyops', repo)).toBe(repo);
    expect(await repositoryOfModel('.steadyops/model.yaml', repo)).toBe(repo);
    expect(await repositoryOfModel(undefined, repo)).toBe(repo);
  });
});
