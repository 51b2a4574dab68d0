import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../../test/support/cli.ts';
import { waitUntil } from '../../test/support/processes.ts';
import { createAuditService } from '../audit/audit-service.ts';
import { systemClock } from '../lib/clock.ts';
import { auditScheduleActor, scheduleAudits } from './audit-schedule.ts';
import { openRuntime, type Runtime } from './runtime.ts';

let dir: string | undefined;
let runtime: Runtime | undefined;

afterEach(async () => {
  await runtime?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('scheduleAudits', () => {
  it('audits on the schedule and records each run as the scheduler', async () => {
    dir = mkdtempSync(join(tmpdir(), 'audit-schedule-'));
    runtime = await openRuntime({ db: `sqlite:${join(dir, 'steadyops.db')}`, cwd: dir, env: {}, clock: systemClock });
    const audit = createAuditService({ ledger: runtime.ledger, clock: systemClock, root: join(repoRoot, 'test/fixtures/audit-small') });
    const errors: string[] = [];
    const schedule = scheduleAudits(audit, '* * * * * *', (message) => errors.push(message));
    expect(Date.parse(schedule.next() ?? '')).toBeGreaterThan(Date.now() - 1_000);
    const ledger = runtime.ledger;
    const recorded = () => ledger.query({ types: ['dev.steadyops.audit.completed'], limit: 10 });
    try {
      await waitUntil(async () => (await recorded()).length > 0, 15_000, () => `no scheduled audit was recorded; errors: ${errors.join('; ')}`);
    } finally {
      schedule.stop();
    }
    const [run] = await recorded();
    expect(run?.actor).toBe(auditScheduleActor);
    expect(errors).toEqual([]);
    expect(audit.latest()?.run.root).toContain('audit-small');
  }, 30_000);

  it('refuses a schedule that is not a cron expression', () => {
    const audit = createAuditService({ clock: systemClock, root: repoRoot });
    expect(() => scheduleAudits(audit, 'every day', () => undefined)).toThrow(/--audit-schedule "every day" is not a cron expression/);
  });
});
