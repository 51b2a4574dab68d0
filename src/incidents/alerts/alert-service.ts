import type { Ledger, LedgerEvent } from '../../ledger/types.ts';
import type { Clock } from '../../lib/clock.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import { emptyModel, findService, findTeam, type ResolvedModel } from '../../model/resolve.ts';
import { ledgerPages, ledgerPageSize } from '../read-ledger-pages.ts';
import { alertGaps, type AlertGap, type AlertRule } from './alert-gaps.ts';
import { alertEventTypes, alertStates } from './alert-states.ts';
import { routeAlertState, type RoutedAlert } from './route-alert.ts';

export interface AlertQuery {
  readonly since: Date;
  readonly firing?: boolean;
  readonly team?: string;
  readonly service?: string;
}

export interface AlertReport {
  readonly at: string;
  readonly since: string;
  readonly alerts: RoutedAlert[];
}

export interface GapReport {
  readonly at: string;
  readonly since: string;
  readonly gaps: AlertGap[];
}

export interface AlertService {
  list(query: AlertQuery): Promise<AlertReport>;
  gaps(query: AlertQuery): Promise<GapReport>;
}

export interface AlertServiceDeps {
  readonly ledger: Pick<Ledger, 'query'>;
  readonly clock: Clock;
  readonly model: { current(): ResolvedModel | undefined };
  /** the alerting rules of the model's repository; without it gaps come from the ledger and the model only */
  readonly alertRules?: () => Promise<readonly AlertRule[]>;
  /** events per ledger page (default 1,000) */
  readonly pageSize?: number;
  /** at most this many alert events are read, newest first (default 50,000) */
  readonly maxEvents?: number;
}

export const defaultAlertWindow = '7d';
/** `--firing` looks at least this far back: an alert firing for weeks is the one most in need of an owner */
export const firingLookbackMs = 30 * 86_400_000;

async function alertEventsSince(deps: AlertServiceDeps, since: Date, until: Date): Promise<LedgerEvent[]> {
  const maxEvents = deps.maxEvents ?? 50_000;
  const events: LedgerEvent[] = [];
  for await (const page of ledgerPages(deps.ledger, { since, until, types: alertEventTypes }, Math.min(deps.pageSize ?? ledgerPageSize, maxEvents))) {
    events.push(...page.slice(0, maxEvents - events.length));
    if (events.length >= maxEvents) break;
  }
  return events;
}

function checkNames(model: ResolvedModel, query: AlertQuery): void {
  if (query.team && !findTeam(model, query.team)) {
    throw new SteadyopsError('SO_E_NOT_FOUND', { what: 'team', id: query.team });
  }
  if (query.service && !findService(model, query.service)) {
    throw new SteadyopsError('SO_E_NOT_FOUND', { what: 'service', id: query.service });
  }
}

function matches(alert: { team?: string; service?: string; state?: string }, query: AlertQuery): boolean {
  return (
    (!query.firing || alert.state === undefined || alert.state !== 'resolved') &&
    (!query.team || alert.team === query.team) &&
    (!query.service || alert.service === query.service)
  );
}

/** Routed alerts from the ledger's recent alert events (a bounded window, read page by page). */
export function createAlertService(deps: AlertServiceDeps): AlertService {
  const routed = async (query: AlertQuery): Promise<{ at: Date; model: ResolvedModel; alerts: RoutedAlert[] }> => {
    const at = deps.clock.now();
    const model = deps.model.current() ?? emptyModel();
    if (deps.model.current()) checkNames(model, query);
    const since = query.firing ? new Date(Math.min(query.since.getTime(), at.getTime() - firingLookbackMs)) : query.since;
    const events = await alertEventsSince(deps, since, at);
    return { at, model, alerts: alertStates(events).map((state) => routeAlertState(state, model)) };
  };
  return {
    async list(query) {
      const { at, alerts } = await routed(query);
      return { at: at.toISOString(), since: query.since.toISOString(), alerts: alerts.filter((alert) => matches(alert, query)) };
    },
    async gaps(query) {
      const { at, model, alerts } = await routed(query);
      const rules = deps.alertRules ? await deps.alertRules() : [];
      const gaps = alertGaps({ alerts, rules, model, at }).filter((gap) => matches(gap, query));
      return { at: at.toISOString(), since: query.since.toISOString(), gaps };
    },
  };
}
