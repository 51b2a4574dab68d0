import type { LedgerEvent } from '../../ledger/types.ts';
import { findService, findTeam, resolveSubject, type ResolvedModel, type ResolvedService } from '../../model/resolve.ts';
import type { AlertState, AlertStateName } from './alert-states.ts';
import { onCallAt, type OnCall } from './on-call-at.ts';

export type AlertRoute = NonNullable<ResolvedService['alerts']>[number];
export type Missing = 'owner' | 'runbook' | 'firstAction';

/** Annotations that say where the runbook is. */
export const runbookAnnotationNames = ['runbook_url', 'runbook', 'runbookUrl', 'runbook_link'];
/** Annotations that say what to do first (a summary says what is wrong, not what to do). */
export const firstActionAnnotationNames = ['first_action', 'firstAction', 'action', 'remediation'];

/** What an alert needs to reach a person who knows what to do: the facts routing reads. */
export interface AlertFacts {
  readonly alertname: string;
  readonly severity?: string;
  /** the service the alert names: the event's service or subject, or its `service` label */
  readonly service?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** An alert resolved to its owner, on-call person, runbook and first action. */
export interface Routing {
  readonly alertname: string;
  readonly severity: string;
  readonly service?: string;
  readonly team?: string;
  readonly onCall: OnCall;
  readonly runbook?: string;
  readonly firstAction?: string;
  /** what the alert lacks to reach someone who knows what to do */
  readonly missing: readonly Missing[];
}

export interface RoutedAlert extends Routing {
  readonly fingerprint: string;
  readonly state: AlertStateName;
  readonly since: string;
  readonly startsAt: string;
  readonly acknowledgedAt?: string;
  readonly acknowledgedBy?: string;
  readonly environment?: string;
}

/** The model's route for an alertname, and the service declaring it. */
export function modelRouteOf(model: ResolvedModel, alertname: string): { service: ResolvedService; route: AlertRoute } | undefined {
  for (const service of model.services) {
    const route = service.alerts?.find((entry) => entry.alertname === alertname);
    if (route) return { service, route };
  }
  return undefined;
}

function firstAnnotation(annotations: Readonly<Record<string, string>>, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = annotations[name]?.trim();
    if (value) return value;
  }
  return undefined;
}

/** Severities that ask nobody to act, so they need no runbook or first action. */
export function isInformational(severity: string | undefined): boolean {
  return ['info', 'none'].includes(severity?.toLowerCase() ?? '');
}

/**
 * Routes an alert through the model (pure): its service, the owning team, who is on call at `at`,
 * and the runbook and first action (the model route first, the alert's own annotations second).
 */
export function routeAlertFacts(facts: AlertFacts, model: ResolvedModel, at: Date): Routing {
  const modelRoute = modelRouteOf(model, facts.alertname);
  const named = [facts.service, facts.labels['service']].find((name) => name !== undefined && findService(model, name.replace(/^service\//, '')));
  const service = named ? findService(model, named.replace(/^service\//, '')) : modelRoute?.service;
  const labelledTeam = [facts.labels['team'], facts.labels['owner']].find((name) => name !== undefined && findTeam(model, name));
  // an alert about a datastore (or a team) belongs to its owner
  const subjectOwner = facts.service ? resolveSubject(model, facts.service)?.owner : undefined;
  const team = service?.owner ?? subjectOwner ?? labelledTeam;
  const teamEntry = team ? findTeam(model, team) : undefined;
  const route = service?.alerts?.find((entry) => entry.alertname === facts.alertname) ?? modelRoute?.route;
  const severity = route?.severity ?? facts.severity ?? 'none';
  const runbook = route?.runbook ?? firstAnnotation(facts.annotations, runbookAnnotationNames);
  const firstAction = route?.firstAction?.trim() || firstAnnotation(facts.annotations, firstActionAnnotationNames);
  const actionable = !isInformational(severity);
  const missing: Missing[] = [
    ...(team ? [] : ['owner' as const]),
    ...(runbook || !actionable ? [] : ['runbook' as const]),
    ...(firstAction || !actionable ? [] : ['firstAction' as const]),
  ];
  return {
    alertname: facts.alertname,
    severity,
    ...(service ? { service: service.name } : {}),
    ...(team ? { team } : {}),
    onCall: teamEntry ? onCallAt(teamEntry, at) : { kind: 'none', text: team ? `team ${team} is not in the model` : 'no owning team' },
    ...(runbook ? { runbook } : {}),
    ...(firstAction ? { firstAction } : {}),
    missing,
  };
}

function record(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** The routing facts of a ledger alert event (its payload `alert` fields). */
export function alertFactsOfEvent(event: LedgerEvent): AlertFacts {
  const data = (event.data ?? {}) as Record<string, unknown>;
  const labels = record(data.labels);
  const service = typeof data.service === 'string' ? data.service : event.subject;
  return {
    alertname: typeof data.alertname === 'string' ? data.alertname : (labels['alertname'] ?? '(unnamed)'),
    ...(typeof data.severity === 'string' ? { severity: data.severity } : {}),
    ...(service ? { service } : {}),
    labels,
    annotations: record(data.annotations),
  };
}

/** Routes a ledger alert event, with the on-call person at the alert's own time. */
export function routeAlert(event: LedgerEvent, model: ResolvedModel): Routing {
  return routeAlertFacts(alertFactsOfEvent(event), model, new Date(event.time));
}

/** Routes the current state of an alert: the on-call person when it started firing. */
export function routeAlertState(state: AlertState, model: ResolvedModel): RoutedAlert {
  const routing = routeAlertFacts(alertFactsOfEvent(state.latest), model, new Date(state.startsAt));
  const environment = state.latest.environment ?? (state.latest.data as { environment?: unknown } | undefined)?.environment;
  return {
    ...routing,
    fingerprint: state.fingerprint,
    state: state.state,
    since: state.since,
    startsAt: state.startsAt,
    ...(state.acknowledgedAt ? { acknowledgedAt: state.acknowledgedAt } : {}),
    ...(state.acknowledgedBy ? { acknowledgedBy: state.acknowledgedBy } : {}),
    ...(typeof environment === 'string' ? { environment } : {}),
  };
}
