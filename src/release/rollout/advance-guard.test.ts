import { describe, expect, it } from 'vitest';
import type { RollbackCriterion } from '../../model/schema.ts';
import { advanceGuard, startGuard, type GuardDecision } from './advance-guard.ts';
import { rollbackAction } from './rollback-action.ts';
import type { RolloutPhase, RolloutProgress } from './rollout-progress.ts';
import { defaultAnalysisLimits, type MeasurementOutcome } from './types.ts';

const criterion: RollbackCriterion = { name: 'errors', query: 'errors', threshold: 0.05, failWhen: 'above', consecutiveFailures: 2 };
const start = Date.parse('2026-11-26T10:00:00Z');

type Step = readonly [RolloutPhase, MeasurementOutcome, number?];

const progress = (phase: RolloutPhase, revision = 2): RolloutProgress => ({
  phase,
  revision,
  generation: 2,
  desired: 3,
  updated: phase === 'complete' ? 3 : 1,
  available: 3,
  total: 3,
  message: phase === 'stalled' ? 'ReplicaSet "web-2" has timed out progressing.' : 'rolling',
});

/** Feeds one round every 10 s and returns each decision. */
function drive(steps: readonly Step[], bakeMs = 30_000): GuardDecision[] {
  let state = startGuard([criterion], 2);
  return steps.map(([phase, outcome, revision], index) => {
    const now = new Date(start + index * 10_000);
    const value = outcome === 'pass' ? 0.01 : outcome === 'fail' ? 0.2 : null;
    const advanced = advanceGuard(state, { progress: progress(phase, revision), measurements: [{ criterion: 'errors', at: now.toISOString(), value, outcome }], now }, { bakeMs, limits: defaultAnalysisLimits });
    state = advanced.state;
    return advanced.decision;
  });
}

describe('advanceGuard', () => {
  it('bakes from the round that first sees the rollout complete, and succeeds when the bake is over and every criterion passes', () => {
    const decisions = drive([
      ['progressing', 'pass'],
      ['complete', 'pass'],
      ['progressing', 'pass'],
      ['complete', 'pass'],
      ['complete', 'pass'],
    ]);
    expect(decisions).toEqual([
      { kind: 'continue', stage: 'rollout', bakeLeftMs: 30_000 },
      { kind: 'continue', stage: 'bake', bakeLeftMs: 30_000 },
      { kind: 'continue', stage: 'bake', bakeLeftMs: 20_000 },
      { kind: 'continue', stage: 'bake', bakeLeftMs: 10_000 },
      { kind: 'succeed' },
    ]);
  });

  it.each([
    { name: 'a criterion failing during the rollout', steps: [['progressing', 'fail'], ['progressing', 'fail']], last: { kind: 'fail', cause: expect.objectContaining({ criterion: 'errors', reason: 'errors above 0.05 in 2 measurements in a row (0.2, 0.2)' }) } },
    { name: 'a criterion failing during the bake', steps: [['complete', 'pass'], ['complete', 'fail'], ['complete', 'fail']], last: { kind: 'fail', cause: expect.objectContaining({ criterion: 'errors' }) } },
    { name: 'a rollout past its progress deadline', steps: [['progressing', 'pass'], ['stalled', 'pass']], last: { kind: 'fail', cause: { criterion: 'progress-deadline', reason: 'ReplicaSet "web-2" has timed out progressing.', measurements: [] } } },
    { name: 'another revision rolling out meanwhile', steps: [['complete', 'pass'], ['progressing', 'pass', 3]], last: { kind: 'halt', verdict: 'superseded', reason: expect.stringMatching(/revision 2 to 3/) } },
    { name: 'five rounds without data', steps: Array(5).fill(['complete', 'inconclusive']), last: { kind: 'halt', verdict: 'inconclusive', reason: 'errors: 5 measurements without data in a row' } },
    { name: 'a failing streak at the end of the bake, then a pass', steps: [['complete', 'pass'], ['complete', 'pass'], ['complete', 'pass'], ['complete', 'fail'], ['complete', 'pass']], last: { kind: 'succeed' } },
  ] as const)('decides on $name', ({ steps, last }) => {
    expect(drive(steps as readonly Step[]).at(-1)).toEqual(last);
  });

  it('measures on after the bake until one round passes everywhere, and gives up after the settle limit', () => {
    const latency: RollbackCriterion = { ...criterion, name: 'latency' };
    let state = startGuard([criterion, latency], 2);
    const decisions: GuardDecision[] = [];
    for (let round = 0; round < 9; round += 1) {
      const now = new Date(start + round * 10_000);
      // out of phase: never a round where both pass, never two failures in a row
      const outcomes: MeasurementOutcome[] = round < 3 ? ['pass', 'pass'] : round % 2 === 0 ? ['pass', 'fail'] : ['fail', 'pass'];
      const measurements = outcomes.map((outcome, index) => ({ criterion: index === 0 ? 'errors' : 'latency', at: now.toISOString(), value: outcome === 'pass' ? 0 : 1, outcome }));
      const advanced = advanceGuard(state, { progress: progress('complete'), measurements, now }, { bakeMs: 30_000, limits: defaultAnalysisLimits });
      state = advanced.state;
      decisions.push(advanced.decision);
    }
    expect(decisions.slice(3, 7).map((decision) => (decision.kind === 'continue' ? decision.stage : decision.kind))).toEqual(['settle', 'settle', 'settle', 'settle']);
    expect(decisions[7]).toEqual({ kind: 'halt', verdict: 'inconclusive', reason: 'no round in 5 after the bake had every criterion passing' });
  });
});

describe('rollbackAction', () => {
  it.each([
    { rollback: {}, autoRollback: false, kind: 'automatic' },
    { rollback: { strategy: 'kubernetes-undo' as const, automatic: true }, autoRollback: false, kind: 'automatic' },
    { rollback: { automatic: false }, autoRollback: false, kind: 'manual' },
    { rollback: { automatic: false }, autoRollback: true, kind: 'automatic' },
    { rollback: { strategy: 'feature-flag' as const, automatic: true }, autoRollback: true, kind: 'manual' },
  ])('$rollback with --auto-rollback=$autoRollback: $kind', ({ rollback, autoRollback, kind }) => {
    expect(rollbackAction(rollback, { autoRollback }).kind).toBe(kind);
  });
});
