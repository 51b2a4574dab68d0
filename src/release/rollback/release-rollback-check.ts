import type { Ledger, LedgerEvent } from '../../ledger/types.ts';
import type { Clock } from '../../lib/clock.ts';
import { isSteadyopsError } from '../../lib/errors.ts';
import type { ResolvedModel } from '../../model/resolve.ts';
import { createRollbackCheckService, type MigrationRepository, type RollbackReport } from './rollback-check-service.ts';
import type { SqlParser } from './sql-parser.ts';

const dayMs = 86_400_000;

export type ReleaseRollbackVerdict = 'safe' | 'data-loss-risk' | 'unknown';

/** The deploy a verdict is about: the service's newest finished deploy of the last 24 hours. */
export interface CheckedRelease {
  readonly seq: number;
  readonly id: string;
  readonly source: string;
  readonly time: string;
  readonly environment?: string;
  readonly version?: string;
  readonly previousVersion?: string;
}

/** "Can we roll back the latest release without data loss?" for one service, answered without Kubernetes. */
export interface ReleaseRollbackAnswer {
  readonly service: string;
  readonly release?: CheckedRelease;
  readonly verdict: ReleaseRollbackVerdict;
  /** why, in a sentence: the migrations' verdict, or what kept the check from answering */
  readonly reason: string;
  readonly migrations?: { readonly from: string; readonly to: string; readonly count: number; readonly class: RollbackReport['verdict']['class'] };
}

export interface ReleaseRollbackCheck {
  check(request: { readonly service: string; readonly environment?: string }): Promise<ReleaseRollbackAnswer>;
}

export interface ReleaseRollbackCheckDeps {
  readonly ledger: Pick<Ledger, 'query'>;
  readonly clock: Clock;
  readonly model: () => ResolvedModel | undefined;
  /** the git repository holding the services' migrations (the model's repository) */
  readonly repository: MigrationRepository;
  /** loaded on the first check: the SQL parser is large */
  readonly parser: () => Promise<SqlParser>;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The release a deploy event records: where it ran and which version replaced which. */
function releaseOf(event: LedgerEvent): CheckedRelease {
  const data = (typeof event.data === 'object' && event.data !== null ? event.data : {}) as Record<string, unknown>;
  const environment = text(data.environment) ?? event.environment;
  const version = text(data.version);
  const previousVersion = text(data.previousVersion);
  return {
    seq: event.seq,
    id: event.id,
    source: event.source,
    time: event.time,
    ...(environment ? { environment } : {}),
    ...(version ? { version } : {}),
    ...(previousVersion ? { previousVersion } : {}),
  };
}

/** The answer for a release from the migrations between its version and the one before; pure. */
function answerFromReport(service: string, release: CheckedRelease, report: RollbackReport): ReleaseRollbackAnswer {
  return {
    service,
    release,
    verdict: report.verdict.safe ? 'safe' : 'data-loss-risk',
    reason: report.verdict.summary,
    migrations: { from: report.from.ref, to: report.to.ref, count: report.migrations.length, class: report.verdict.class },
  };
}

/** Rollback safety of each service's latest release: the git diff of its migrations, read from the model's repository. */
export function createReleaseRollbackCheck(deps: ReleaseRollbackCheckDeps): ReleaseRollbackCheck {
  return {
    async check({ service, environment }) {
      const now = deps.clock.now();
      const [latest] = await deps.ledger.query({
        since: new Date(now.getTime() - dayMs),
        until: now,
        subjects: [service],
        types: ['dev.steadyops.deploy.finished'],
        ...(environment ? { environment } : {}),
        limit: 1,
      });
      if (!latest) return { service, verdict: 'unknown', reason: `${service} has no finished deploy${environment ? ` in ${environment}` : ''} in the last 24 hours` };
      const release = releaseOf(latest);
      if (!release.version || !release.previousVersion) {
        return { service, release, verdict: 'unknown', reason: 'the deploy event names no version and previous version, so there is nothing to compare' };
      }
      const model = deps.model();
      if (!model) return { service, release, verdict: 'unknown', reason: 'the server has no ownership model, so it does not know where the migrations live' };
      try {
        const checks = createRollbackCheckService({ model, repository: deps.repository, parser: await deps.parser() });
        const report = await checks.check({ service, from: release.version, to: release.previousVersion, acceptForwardFix: false });
        return answerFromReport(service, release, report);
      } catch (error) {
        // a missing tag, no migrations in the model, an unreadable repository: said as the reason, never a guess
        if (isSteadyopsError(error)) return { service, release, verdict: 'unknown', reason: error.message };
        throw error;
      }
    },
  };
}
