import { fixedClock, type Clock } from '../lib/clock.ts';
import { isSteadyopsError } from '../lib/errors.ts';
import type { ResolvedModel } from '../model/resolve.ts';
import type { SloStatus } from '../slo/slo-status.ts';
import type { IncidentState } from './incident-types.ts';

export interface SloBudgetBurn {
  readonly service: string;
  readonly slo: string;
  readonly environment: string;
  /** percent of the period's error budget spent between declaration and resolution; undefined without data */
  readonly budgetBurnedPercent: number | undefined;
}

/** The SLO budget an incident burned, or why it is not known. */
export type SloImpact = { readonly measured: true; readonly slos: readonly SloBudgetBurn[] } | { readonly measured: false; readonly reason: string };

/** Pure: budget left at the declaration minus budget left at the end, per SLO. */
export function sloBudgetBurns(before: readonly SloStatus[], after: readonly SloStatus[]): SloBudgetBurn[] {
  return after.map((end) => {
    const start = before.find((candidate) => candidate.service === end.service && candidate.slo === end.slo && candidate.environment === end.environment);
    const burned =
      start?.budgetRemaining === undefined || end.budgetRemaining === undefined ? undefined : Math.max(0, (start.budgetRemaining - end.budgetRemaining) * 100);
    return { service: end.service, slo: end.slo, environment: end.environment, budgetBurnedPercent: burned };
  });
}

/** SLO status of the given services as seen at the clock's time (an `SloStatusService` built on that clock). */
export type SloStatusAt = (clock: Clock) => { status(model: ResolvedModel, query: { service?: string }): Promise<SloStatus[]> };

/**
 * Optional: the SLO budget the incident burned, from Prometheus, evaluating each SLO at the declaration
 * and at the resolution (or now). No SLOs, no Prometheus or an unreachable one say so instead.
 */
export async function measureSloImpact(statusAt: SloStatusAt | undefined, model: ResolvedModel | undefined, incident: IncidentState, now: Date): Promise<SloImpact> {
  if (!statusAt || !model) return { measured: false, reason: 'no SLO data (no Prometheus configured)' };
  const withSlos = incident.services.filter((name) => model.services.some((service) => service.name === name && (service.slos?.length ?? 0) > 0));
  if (withSlos.length === 0) return { measured: false, reason: 'no SLO data (the affected services declare no SLOs)' };
  const end = incident.resolvedAt ? new Date(incident.resolvedAt) : now;
  const statuses = async (at: Date): Promise<SloStatus[]> =>
    (await Promise.all(withSlos.map((service) => statusAt(fixedClock(at)).status(model, { service })))).flat();
  try {
    const [before, after] = await Promise.all([statuses(new Date(incident.declaredAt)), statuses(end)]);
    const slos = sloBudgetBurns(before, after);
    if (slos.every((slo) => slo.budgetBurnedPercent === undefined)) return { measured: false, reason: 'no SLO data (Prometheus returned no samples for the incident)' };
    return { measured: true, slos };
  } catch (error) {
    if (isSteadyopsError(error)) return { measured: false, reason: `no SLO data (${error.message})` };
    throw error;
  }
}
