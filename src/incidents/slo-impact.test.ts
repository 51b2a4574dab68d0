import { describe, expect, it } from 'vitest';
import { SteadyopsError } from '../lib/errors.ts';
import { emptyModel, type ResolvedModel } from '../model/resolve.ts';
import type { SloStatus } from '../slo/slo-status.ts';
import { applyTransition, declareTransition } from './incident-state.ts';
import { measureSloImpact, type SloStatusAt } from './slo-impact.ts';

const declaredAt = new Date('2026-11-20T10:00:00Z');
const resolvedAt = new Date('2026-11-20T11:00:00Z');
const incident = applyTransition(
  declareTransition({ incidentId: 'INC-3', title: 'slow', severity: 'sev2', services: ['checkout-api'] }, declaredAt, 'cli:ana').state,
  { kind: 'resolve' },
  resolvedAt,
  'cli:ana',
).state;

const model = (slos: boolean): ResolvedModel =>
  ({
    ...emptyModel(),
    services: [{ name: 'checkout-api', labels: {}, annotations: {}, owner: 't', tier: 1, lifecycle: 'production', ...(slos ? { slos: [{ name: 'availability' }] } : {}) }],
  }) as ResolvedModel;

/** Budget left falls from 0.9 at the declaration to 0.75 at the resolution. */
const budgets: SloStatusAt = (clock) => ({
  status: async (_model, query) => {
    const at = clock.now().getTime();
    const budgetRemaining = at === declaredAt.getTime() ? 0.9 : at === resolvedAt.getTime() ? 0.75 : undefined;
    return [{ service: query.service ?? '', slo: 'availability', environment: 'production', budgetRemaining } as SloStatus];
  },
});

describe('measureSloImpact', () => {
  it('is the budget left at the declaration minus the budget left at the resolution', async () => {
    const impact = await measureSloImpact(budgets, model(true), incident, new Date('2026-11-21T00:00:00Z'));
    expect(impact).toEqual({ measured: true, slos: [{ service: 'checkout-api', slo: 'availability', environment: 'production', budgetBurnedPercent: expect.closeTo(15, 6) }] });
  });

  it('says why it has no SLO data', async () => {
    const now = new Date('2026-11-21T00:00:00Z');
    expect(await measureSloImpact(undefined, model(true), incident, now)).toEqual({ measured: false, reason: 'no SLO data (no Prometheus configured)' });
    expect(await measureSloImpact(budgets, model(false), incident, now)).toEqual({ measured: false, reason: 'no SLO data (the affected services declare no SLOs)' });
    const down: SloStatusAt = () => ({
      status: async () => {
        throw new SteadyopsError('SO_E_UNREACHABLE', { target: 'http://prom:9090', detail: 'ECONNREFUSED' });
      },
    });
    expect(await measureSloImpact(down, model(true), incident, now)).toEqual({ measured: false, reason: 'no SLO data (could not reach http://prom:9090: ECONNREFUSED)' });
  });
});
