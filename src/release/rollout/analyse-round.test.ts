import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RollbackCriterion } from '../../model/schema.ts';
import { analyseRound, judgeSamples, roundChangedOutcomes, startAnalysis } from './analyse-round.ts';
import { defaultAnalysisLimits, type AnalysisState, type MeasurementOutcome } from './types.ts';

const at = '2026-11-26T10:00:00.000Z';
const criterion = (overrides: Partial<RollbackCriterion> = {}): RollbackCriterion => ({
  name: 'error-ratio',
  query: 'sum(rate(errors[1m])) / sum(rate(requests[1m]))',
  threshold: 0.05,
  failWhen: 'above',
  consecutiveFailures: 3,
  ...overrides,
});

const measurement = (outcome: MeasurementOutcome, name = 'error-ratio') => ({
  criterion: name,
  at,
  value: outcome === 'pass' ? 0.01 : outcome === 'fail' ? 0.3 : null,
  outcome,
});

function run(outcomes: readonly MeasurementOutcome[], spec: RollbackCriterion = criterion()): AnalysisState[] {
  const states: AnalysisState[] = [];
  let state = startAnalysis([spec]);
  for (const outcome of outcomes) {
    state = analyseRound(state, [measurement(outcome, spec.name)], defaultAnalysisLimits);
    states.push(state);
  }
  return states;
}

describe('judgeSamples', () => {
  it.each([
    { name: 'below the threshold passes', failWhen: 'above' as const, values: [0.01], value: 0.01, outcome: 'pass' },
    { name: 'equal to the threshold passes', failWhen: 'above' as const, values: [0.05], value: 0.05, outcome: 'pass' },
    { name: 'above the threshold fails', failWhen: 'above' as const, values: [0.06], value: 0.06, outcome: 'fail' },
    { name: 'several series: the highest one counts when failing above', failWhen: 'above' as const, values: [0.01, 0.2, 0.03], value: 0.2, outcome: 'fail' },
    { name: 'several series: the lowest one counts when failing below', failWhen: 'below' as const, values: [0.999, 0.9, 0.97], value: 0.9, outcome: 'fail' },
    { name: 'no series is no data', failWhen: 'above' as const, values: [], value: null, outcome: 'inconclusive' },
    { name: 'NaN (0/0 without traffic) is no data, never a pass', failWhen: 'above' as const, values: [Number.NaN], value: null, outcome: 'inconclusive' },
    { name: '+Inf fails above', failWhen: 'above' as const, values: [Number.POSITIVE_INFINITY], value: Number.POSITIVE_INFINITY, outcome: 'fail' },
  ])('$name', ({ failWhen, values, value, outcome }) => {
    const threshold = failWhen === 'above' ? 0.05 : 0.95;
    const judged = judgeSamples(criterion({ failWhen, threshold }), values.map((v) => ({ labels: {}, value: v })), at);
    expect(judged).toEqual({ criterion: 'error-ratio', at, value, outcome });
  });
});

describe('analyseRound', () => {
  it.each([
    { outcomes: ['fail', 'fail'], verdict: 'running', streak: 2 },
    { outcomes: ['fail', 'fail', 'fail'], verdict: 'failed', streak: 3 },
    { outcomes: ['fail', 'fail', 'pass', 'fail', 'fail'], verdict: 'running', streak: 2 },
    { outcomes: ['fail', 'inconclusive', 'fail', 'error', 'fail'], verdict: 'failed', streak: 3 },
    { outcomes: ['inconclusive', 'inconclusive', 'inconclusive', 'inconclusive'], verdict: 'running', streak: 0 },
    { outcomes: ['inconclusive', 'inconclusive', 'inconclusive', 'inconclusive', 'inconclusive'], verdict: 'inconclusive', streak: 0 },
    { outcomes: ['error', 'error', 'error', 'error', 'error'], verdict: 'error', streak: 0 },
    { outcomes: ['error', 'error', 'inconclusive', 'error', 'error', 'error'], verdict: 'running', streak: 0 },
    { outcomes: ['inconclusive', 'inconclusive', 'error', 'inconclusive', 'inconclusive', 'inconclusive'], verdict: 'inconclusive', streak: 0 },
  ] as const)('$outcomes -> $verdict', ({ outcomes, verdict, streak }) => {
    const last = run(outcomes).at(-1) as AnalysisState;
    expect(last.verdict).toBe(verdict);
    expect(last.criteria[0]?.failureStreak).toBe(streak);
    expect(last.round).toBe(outcomes.length);
  });

  it('keeps the failed streak as the evidence, and stays decided', () => {
    const states = run(['pass', 'fail', 'fail', 'fail', 'pass']);
    const decided = states[3] as AnalysisState;
    expect(decided.decidedBy).toBe('error-ratio');
    expect(decided.criteria[0]?.failures.map((entry) => entry.outcome)).toEqual(['fail', 'fail', 'fail']);
    expect(states[4]).toBe(decided);
  });

  it('fails the analysis on the worst criterion: a failure outranks an error in the same round', () => {
    const specs = [criterion({ name: 'errors', consecutiveFailures: 1 }), criterion({ name: 'latency' })];
    let state = startAnalysis(specs);
    for (let round = 0; round < 5; round += 1) state = analyseRound(state, [measurement('pass', 'errors'), measurement('error', 'latency')], defaultAnalysisLimits);
    expect(state.verdict).toBe('error');
    const both = analyseRound(analyseRound(startAnalysis(specs), [measurement('fail', 'errors'), measurement('error', 'latency')], { ...defaultAnalysisLimits, consecutiveErrorLimit: 0 }), [], defaultAnalysisLimits);
    expect(both).toMatchObject({ verdict: 'failed', decidedBy: 'errors' });
  });

  it('records a round when an outcome changed, not when it repeats', () => {
    const states = [startAnalysis([criterion()]), ...run(['pass', 'pass', 'fail', 'fail', 'pass'])];
    const changed = states.slice(1).map((state, index) => roundChangedOutcomes(states[index] as AnalysisState, state));
    expect(changed).toEqual([true, false, true, false, true]);
  });
});

describe('analysis properties', () => {
  const outcomes = fc.array(fc.constantFrom<MeasurementOutcome>('pass', 'fail', 'inconclusive', 'error'), { maxLength: 40 });
  const limit = fc.integer({ min: 1, max: 6 });

  it('never fails before consecutiveFailures failed measurements without a pass between them', () => {
    fc.assert(
      fc.property(outcomes, limit, (sequence, consecutiveFailures) => {
        const states = run(sequence, criterion({ consecutiveFailures }));
        const failedAt = states.findIndex((state) => state.verdict === 'failed');
        if (failedAt < 0) return;
        const conclusive = sequence.slice(0, failedAt + 1).filter((outcome) => outcome === 'pass' || outcome === 'fail');
        expect(conclusive.slice(-consecutiveFailures)).toEqual(Array(consecutiveFailures).fill('fail'));
        expect(conclusive.length).toBeGreaterThanOrEqual(consecutiveFailures);
      }),
    );
  });

  it('fails as soon as consecutiveFailures failures come without a pass, unless another limit decided first', () => {
    fc.assert(
      fc.property(outcomes, limit, (sequence, consecutiveFailures) => {
        const states = run(sequence, criterion({ consecutiveFailures }));
        let streak = 0;
        for (const [index, outcome] of sequence.entries()) {
          if (states[index]?.verdict !== 'running' && states[index]?.verdict !== 'failed') return;
          if (outcome === 'pass') streak = 0;
          if (outcome === 'fail') streak += 1;
          if (streak >= consecutiveFailures) {
            expect(states[index]?.verdict).toBe('failed');
            return;
          }
        }
      }),
    );
  });

  it('a single pass resets the failure streak', () => {
    fc.assert(
      fc.property(outcomes, (sequence) => {
        const states = run([...sequence, 'pass'], criterion({ consecutiveFailures: 1_000 }));
        // a decided analysis takes no more rounds (five rounds without data, or errors, decide it)
        if (states.at(-2)?.verdict !== undefined && states.at(-2)?.verdict !== 'running') return;
        expect(states.at(-1)?.criteria[0]?.failureStreak).toBe(0);
        expect(states.at(-1)?.criteria[0]?.failures).toEqual([]);
      }),
    );
  });

  it('counts every measurement exactly once', () => {
    fc.assert(
      fc.property(outcomes, (sequence) => {
        const last = run(sequence, criterion({ consecutiveFailures: 1_000 })).at(-1);
        if (!last || last.verdict !== 'running') return;
        const counts = last.criteria[0]?.counts;
        expect(Object.values(counts ?? {}).reduce((sum, count) => sum + count, 0)).toBe(sequence.length);
      }),
    );
  });
});
