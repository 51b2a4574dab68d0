import { formatDuration } from '../../lib/duration.ts';
import { formatValue } from '../../release/rollout/advance-guard.ts';
import { guardExitCode, type GuardProgress, type GuardReport } from '../../release/rollout/rollout-guard.ts';
import type { AnalysisState, CriterionState } from '../../release/rollout/types.ts';
import { renderTable } from './table.ts';

const headlines: Readonly<Record<GuardReport['outcome'], string>> = {
  succeeded: 'SUCCEEDED',
  'rolled-back': 'ROLLED BACK',
  'would-roll-back': 'WOULD ROLL BACK (dry run)',
  failed: 'FAILED, NOT ROLLED BACK',
  inconclusive: 'INCONCLUSIVE',
  error: 'ERROR',
  superseded: 'SUPERSEDED',
};

/** The final report: what happened, to which revision, and every criterion's record. */
export function renderGuardReport(report: GuardReport): string {
  const { subject } = report;
  const current = `revision ${subject.revision ?? '?'} (${subject.version})`;
  const lines = [`${headlines[report.outcome]}: ${subject.service} in ${subject.environment}, deployment ${subject.namespace}/${subject.deployment} ${current}`, `  ${report.reason}`];
  const plan = report.plan;
  if (plan && report.rollback) {
    const now = report.rollback.completed ? `now revision ${report.rollback.newRevision ?? '?'}, rolled out in ${formatDuration(report.rollback.durationMs)}` : `the rollback did not complete within ${formatDuration(report.rollback.durationMs)}`;
    lines.push(`  restored revision ${plan.toRevision}'s template (${plan.toVersion}); ${now}`);
  } else if (plan && report.outcome === 'would-roll-back') {
    lines.push(`  would restore revision ${plan.toRevision}'s template (${plan.toVersion}); nothing was patched`);
  } else if (plan && report.outcome === 'failed') {
    lines.push(`  to roll back: kubectl rollout undo deployment/${subject.deployment} -n ${subject.namespace} --to-revision=${plan.toRevision}   # ${plan.toVersion}`);
  }
  return `${lines.join('\n')}\n\n${criteriaTable(report.analysis)}`;
}

function criteriaTable(analysis: AnalysisState): string {
  return renderTable(
    ['CRITERION', 'LAST', 'FAILS', 'PASS', 'FAIL', 'NO DATA', 'ERROR', 'STATE'],
    analysis.criteria.map((entry) => [
      entry.criterion.name,
      formatValue(entry.last?.value ?? null),
      `${entry.criterion.failWhen} ${formatValue(entry.criterion.threshold)}`,
      String(entry.counts.pass),
      String(entry.counts.fail),
      String(entry.counts.inconclusive),
      String(entry.counts.error),
      entry.phase === 'running' ? (entry.last?.outcome ?? 'unmeasured') : entry.phase,
    ]),
  );
}

export function guardReportJson(report: GuardReport): Record<string, unknown> {
  const { subject, analysis, ...rest } = report;
  return {
    ...rest,
    exitCode: guardExitCode(report.outcome),
    ...subject,
    rounds: analysis.round,
    criteria: analysis.criteria.map(({ criterion, phase, counts, failureStreak, last }) => ({
      name: criterion.name,
      threshold: criterion.threshold,
      failWhen: criterion.failWhen,
      consecutiveFailures: criterion.consecutiveFailures,
      phase,
      failureStreak,
      counts,
      last: last ?? null,
    })),
  };
}

/** `rollout 3/3 updated, baking 2m of 10m left; error-ratio 0.004 (fails above 0.05) pass` */
export function progressLine(progress: GuardProgress): string {
  if (progress.kind === 'waiting') return progress.message;
  if (progress.kind === 'rolling-back') return `rolling back to revision ${progress.toRevision}: ${progress.progress.message}`;
  const { updated, desired } = progress.progress;
  const stage =
    progress.stage === 'rollout'
      ? `rolling out: ${progress.progress.message}`
      : progress.stage === 'bake' && progress.bakeLeftMs > 0
        ? `rollout ${updated}/${desired} updated, baking ${formatDuration(progress.bakeLeftMs)} of ${formatDuration(progress.bakeMs)} left`
        : progress.stage === 'bake'
          ? `rollout ${updated}/${desired} updated, baked ${formatDuration(progress.bakeMs)}`
        : `baked ${formatDuration(progress.bakeMs)}; measuring until one round passes everywhere`;
  return `${stage}; ${progress.analysis.criteria.map(criterionProgress).join('; ')}`;
}

function criterionProgress(entry: CriterionState): string {
  const { name, failWhen, threshold, consecutiveFailures } = entry.criterion;
  const outcome = entry.last?.outcome ?? 'unmeasured';
  const streak = outcome === 'fail' ? ` ${entry.failureStreak}/${consecutiveFailures}` : '';
  return `${name} ${formatValue(entry.last?.value ?? null)} (fails ${failWhen} ${formatValue(threshold)}) ${outcome}${streak}`;
}
