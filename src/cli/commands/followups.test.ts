import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli.ts';
import { incidentDeclaredInput, mergeData, mergeInput } from '../../incidents/followups/follow-up-fixtures.ts';
import { fixedClock } from '../../lib/clock.ts';

const clock = fixedClock('2026-11-26T12:00:00Z');
const demo = resolve('examples/demo/.steadyops');
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function ledgerWithIncident() {
  const dir = await mkdtemp(join(tmpdir(), 'steadyops-followups-'));
  dirs.push(dir);
  const cli = (args: string[], stdin?: string) => runCli(['--db', `sqlite:${join(dir, 'ledger.db')}`, '--config', demo, ...args], { cwd: dir, clock, ...(stdin ? { stdin } : {}) });
  expect((await cli(['events', 'push', '-'], JSON.stringify(incidentDeclaredInput('INC-9')))).code).toBe(0);
  return cli;
}

describe('steadyops followups', () => {
  it('adds, lists, links by a merge that names the id, and closes, against the local ledger', async () => {
    const cli = await ledgerWithIncident();
    const added = await cli(['followups', 'add', '--incident', 'INC-9', '--title', 'Retry budget', '--owner', 'ana', '--due', '2026-11-20']);
    expect(added).toMatchObject({ code: 0 });
    expect(added.stdout).toContain('Recorded SO-FU-1 for INC-9, due 2026-11-20');
    await cli(['followups', 'add', '--incident', 'INC-9', '--title', 'Runbook', '--owner', 'payments', '--due', '2026-12-20']);

    const overdue = await cli(['followups', '--overdue', '--format', 'json']);
    expect(JSON.parse(overdue.stdout).followUps.map((f: { id: string }) => f.id)).toEqual(['SO-FU-1']);

    const merge = mergeInput('merge-77', mergeData('Retry budget (so-fu-1)', { sourceBranch: 'fix', pullRequest: 77 }), '2026-11-25T10:00:00Z');
    await cli(['events', 'push', '-'], JSON.stringify(merge));
    const closed = await cli(['followups', 'close', 'SO-FU-2', '--reason', 'covered by the runbook']);
    expect(closed.stdout).toContain('Closed SO-FU-2 without a linked merged change');

    const text = await cli(['followups', '--team', 'payments']);
    expect(text.stdout).toMatch(/SO-FU-1\s+done\s+2026-11-20\s+INC-9\s+payments\s+ana\s+Retry budget/);
    expect(text.stdout).toMatch(/SO-FU-2\s+done!/);
    expect(text.stdout).toContain('! closed without a linked merged change');

    const linked = await cli(['followups', 'link', 'SO-FU-2', '--change', '#77', '--format', 'json']);
    expect(JSON.parse(linked.stdout)).toMatchObject({ followUp: { closedWithoutChange: false, changes: [{ via: 'manual', merged: true }] } });
  });

  it('exits 2 with a coded error on bad input and writes nothing', async () => {
    const cli = await ledgerWithIncident();
    const badDue = await cli(['followups', 'add', '--incident', 'INC-9', '--title', 'x', '--owner', 'ana', '--due', '12/10/2026']);
    expect(badDue.code).toBe(2);
    expect(badDue.stderr).toContain('due: must be a date YYYY-MM-DD');
    const unknown = await cli(['followups', 'add', '--incident', 'INC-404', '--title', 'x', '--owner', 'ana', '--due', '2026-12-10']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('incident INC-404 was not found');
    expect((await cli(['followups', 'close', 'SO-FU-1'])).code).toBe(2);
    expect(JSON.parse((await cli(['followups', '--format', 'json'])).stdout)).toEqual({ followUps: [] });

    await cli(['followups', 'add', '--incident', 'INC-9', '--title', 'x', '--owner', 'ana', '--due', '2026-12-10']);
    await cli(['followups', 'close', 'SO-FU-1']);
    const again = await cli(['followups', 'close', 'SO-FU-1']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('follow-up SO-FU-1 is already closed');
  });
});
