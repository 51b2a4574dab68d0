import { Cron } from 'croner';
import type { AuditService } from '../audit/audit-service.ts';
import { SteadyopsError } from '../lib/errors.ts';

export const defaultAuditSchedule = '0 6 * * *';
export const auditScheduleActor = 'system:audit-schedule';

export interface AuditSchedule {
  /** the next planned run, ISO */
  next(): string | undefined;
  stop(): void;
}

/**
 * `serve` audits its repository on a cron schedule (daily by default) and records each run, so the
 * scorecards' trend and the backlog's progress build up without anyone remembering to run it.
 * Runs never overlap; a failed run is reported and the schedule goes on.
 */
export function scheduleAudits(audit: AuditService, cron: string, onError: (message: string) => void, timezone = 'UTC'): AuditSchedule {
  let job: Cron;
  try {
    job = new Cron(cron, { protect: true, timezone }, async () => {
      try {
        await audit.run({ actor: auditScheduleActor });
      } catch (error) {
        onError(`scheduled audit failed: ${(error as Error).message}`);
      }
    });
  } catch (error) {
    throw new SteadyopsError('SO_E_USAGE', { detail: `--audit-schedule "${cron}" is not a cron expression (${(error as Error).message}); e.g. "0 6 * * *", or off` });
  }
  return { next: () => job.nextRun()?.toISOString(), stop: () => job.stop() };
}
