import { describe, expect, it } from 'vitest';
import { SteadyopsError } from '../../lib/errors.ts';
import type { PrometheusClient, Sample } from './prometheus-client.ts';
import { queryBatch } from './query-batch.ts';

const at = new Date('2026-11-26T09:00:00Z');

/** Answers each expression with its own text length, and records every round sent. */
function recordingPrometheus(fail?: string) {
  const rounds: Array<{ environment: string; exprs: readonly string[]; at?: Date }> = [];
  const prometheus = (environment: string): PrometheusClient => ({
    url: `http://${environment}:9090`,
    query: async () => [],
    alerts: async () => [],
    queryRange: async () => [],
    async queryAll(exprs, time) {
      rounds.push({ environment, exprs, ...(time ? { at: time } : {}) });
      if (environment === fail) throw new SteadyopsError('SO_E_UNREACHABLE', { target: `Prometheus at http://${environment}:9090`, detail: 'ECONNREFUSED' });
      return exprs.map((expr): Sample[] => [{ labels: { expr }, value: expr.length }]);
    },
  });
  return { prometheus, rounds };
}

describe('queryBatch', () => {
  it('sends one round per environment and hands the answers back per request, in order', async () => {
    const { prometheus, rounds } = recordingPrometheus();
    const answers = await queryBatch(
      prometheus,
      [
        { environment: 'production', exprs: ['a', 'bb'] },
        { environment: 'staging', exprs: ['ccc'] },
        { environment: 'production', exprs: [] },
        { environment: 'production', exprs: ['dddd'] },
      ],
      at,
    );
    expect(rounds).toEqual([
      { environment: 'production', exprs: ['a', 'bb', 'dddd'], at },
      { environment: 'staging', exprs: ['ccc'], at },
    ]);
    expect(answers.map((answer) => answer.map((samples) => samples[0]?.value))).toEqual([[1, 2], [3], [], [4]]);
  });

  it('names the environment and how to point elsewhere when its Prometheus is unreachable', async () => {
    const { prometheus } = recordingPrometheus('production');
    const error = await queryBatch(prometheus, [{ environment: 'production', exprs: ['up'] }], at).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'SO_E_UNREACHABLE' });
    expect((error as Error).message).toBe(
      "could not reach Prometheus at http://production:9090 (environment production): ECONNREFUSED; check that Prometheus is up and that Environment production's spec.prometheus.url is right, or point at another with --prometheus URL (env STEADYOPS_PROMETHEUS_URL)",
    );
  });
});
