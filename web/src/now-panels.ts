import type { LedgerEvent, ModelDatastore, OwnershipModel, SloStatus } from './api-types.ts';
import { parseDuration } from './format.ts';

/** Pure answers behind the Now page's panels, computed from ledger events and the model. */
function dataOf(event: LedgerEvent): Record<string, unknown> {
  return typeof event.data === 'object' && event.data !== null ? (event.data as Record<string, unknown>) : {};
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export interface AccessDecision {
  readonly event: LedgerEvent;
  readonly verb: 'approved' | 'granted' | 'breakglass';
  readonly requester: string;
  /** undefined for break-glass access, which nobody approved beforehand, or when no step of the request names one */
  readonly approver: string | undefined;
  readonly role: string;
  readonly requestId: string | undefined;
}

const accessVerbs = { 'dev.steadyops.access.approved': 'approved', 'dev.steadyops.access.granted': 'granted', 'dev.steadyops.access.breakglass': 'breakglass' } as const;

/**
 * Who approved privileged access: approvals, grants and break-glass, newest first as the ledger gives them,
 * one row per request (its newest step: a grant after its approval).
 */
export function accessDecisions(events: readonly LedgerEvent[]): AccessDecision[] {
  const decisions: AccessDecision[] = [];
  const seen = new Set<string>();
  // a grant may not repeat who approved it: take the approver from any step of the same request
  const approvers = new Map<string, string>();
  for (const event of events) {
    const data = dataOf(event);
    const request = text(data.requestId);
    const approver = text(data.approver) ?? (event.type === 'dev.steadyops.access.approved' ? event.actor : undefined);
    if (request !== undefined && approver !== undefined && !approvers.has(request)) approvers.set(request, approver);
  }
  for (const event of events) {
    const verb = accessVerbs[event.type as keyof typeof accessVerbs];
    if (!verb) continue;
    const data = dataOf(event);
    const request = text(data.requestId);
    if (request !== undefined && seen.has(request)) continue;
    if (request !== undefined) seen.add(request);
    decisions.push({
      event,
      verb,
      requester: text(data.requester) ?? event.actor,
      approver: verb === 'breakglass' ? undefined : (text(data.approver) ?? (request === undefined ? undefined : approvers.get(request)) ?? (verb === 'approved' ? event.actor : undefined)),
      role: text(data.role) ?? '–',
      requestId: text(data.requestId),
    });
  }
  return decisions;
}

export type RestoreState = 'fresh' | 'overdue' | 'never' | 'no-drill-policy';

export interface RestoreStatus {
  readonly datastore: string;
  readonly owner: string;
  readonly every: string | undefined;
  readonly state: RestoreState;
  readonly lastVerified: LedgerEvent | undefined;
  readonly lastFailed: LedgerEvent | undefined;
}

/**
 * When restore was last tested per datastore: the newest verified drill against the model's interval.
 * Red (overdue or never) when older than `restoreDrill.every`; a failed drill does not count as tested.
 */
export function restoreStatuses(datastores: readonly ModelDatastore[], drills: readonly LedgerEvent[], now: Date): RestoreStatus[] {
  return datastores.map((datastore) => {
    const mine = drills.filter((event) => (text(dataOf(event).datastore) ?? event.subject) === datastore.name);
    const lastVerified = newest(mine.filter((event) => event.type === 'dev.steadyops.restore.drill.verified'));
    const lastFailed = newest(mine.filter((event) => event.type === 'dev.steadyops.restore.drill.failed'));
    const every = datastore.restoreDrill?.every;
    const everyMs = every === undefined ? undefined : parseDuration(every);
    let state: RestoreState;
    if (!lastVerified) state = 'never';
    else if (everyMs === undefined) state = 'no-drill-policy';
    else state = now.getTime() - Date.parse(lastVerified.time) > everyMs ? 'overdue' : 'fresh';
    return { datastore: datastore.name, owner: datastore.owner, every, state, lastVerified, lastFailed };
  });
}

function newest(events: readonly LedgerEvent[]): LedgerEvent | undefined {
  let best: LedgerEvent | undefined;
  for (const event of events) if (!best || Date.parse(event.time) > Date.parse(best.time)) best = event;
  return best;
}

/** The longest drill interval in the model, so one query finds every datastore's latest drill. */
export function drillLookback(datastores: readonly ModelDatastore[], fallback = '30d'): string {
  let longest = parseDuration(fallback) as number;
  for (const datastore of datastores) longest = Math.max(longest, parseDuration(datastore.restoreDrill?.every ?? '') ?? 0);
  return `${Math.ceil((longest * 2) / 86_400_000)}d`;
}

export interface FiringAlert {
  readonly event: LedgerEvent;
  readonly alertname: string;
  readonly severity: string;
  readonly service: string | undefined;
  readonly environment: string | undefined;
}

export interface OwnerAlerts {
  readonly owner: string;
  readonly alerts: readonly FiringAlert[];
}

/** Alerts whose newest event (by fingerprint) is `alert.firing`, grouped by the owning team from the model. */
export function firingAlertsByOwner(events: readonly LedgerEvent[], model: OwnershipModel | undefined): OwnerAlerts[] {
  const latest = new Map<string, LedgerEvent>();
  for (const event of events) {
    const key = text(dataOf(event).fingerprint) ?? `${event.source} ${event.id}`;
    const seen = latest.get(key);
    if (!seen || event.seq > seen.seq) latest.set(key, event);
  }
  const owners = new Map<string, FiringAlert[]>();
  for (const event of latest.values()) {
    if (event.type !== 'dev.steadyops.alert.firing') continue;
    const data = dataOf(event);
    const service = text(data.service) ?? event.subject;
    const owner = ownerOf(service, model) ?? 'unowned';
    const alert = { event, alertname: text(data.alertname) ?? event.id, severity: text(data.severity) ?? '–', service, environment: text(data.environment) ?? event.environment };
    owners.set(owner, [...(owners.get(owner) ?? []), alert]);
  }
  return [...owners.entries()]
    .map(([owner, alerts]) => ({ owner, alerts: alerts.sort((a, b) => b.event.seq - a.event.seq) }))
    .sort((a, b) => b.alerts.length - a.alerts.length || a.owner.localeCompare(b.owner));
}

export function ownerOf(subject: string | undefined, model: OwnershipModel | undefined): string | undefined {
  if (!subject || !model) return undefined;
  return model.services.find((service) => service.name === subject)?.owner ?? model.datastores.find((store) => store.name === subject)?.owner;
}

export interface RecentRelease {
  readonly service: string;
  readonly environment: string | undefined;
  readonly version: string | undefined;
  readonly event: LedgerEvent;
}

/** Services with a finished deploy in the window, newest release per service. */
export function recentReleases(events: readonly LedgerEvent[]): RecentRelease[] {
  const byService = new Map<string, RecentRelease>();
  for (const event of events) {
    if (event.type !== 'dev.steadyops.deploy.finished') continue;
    const data = dataOf(event);
    const service = text(data.service) ?? event.subject;
    if (!service || byService.has(service)) continue;
    byService.set(service, { service, environment: text(data.environment) ?? event.environment, version: text(data.version), event });
  }
  return [...byService.values()];
}

/** SLOs burning fastest: highest current burn rate first, those without data last. */
export function fastestBurning(slos: readonly SloStatus[], limit = 5): SloStatus[] {
  const rate = (slo: SloStatus): number => slo.currentBurn?.rate ?? -1;
  return [...slos].sort((a, b) => rate(b) - rate(a)).slice(0, limit);
}

/** GET /api/v1/rollback/check: the verdict on one service's latest release. */
export interface RollbackAnswer {
  readonly service: string;
  readonly release?: { readonly seq: number; readonly id: string; readonly source: string; readonly version?: string; readonly previousVersion?: string; readonly environment?: string };
  readonly verdict: 'safe' | 'data-loss-risk' | 'unknown';
  readonly reason: string;
}

export const rollbackVerdictLabels: Record<RollbackAnswer['verdict'], string> = { safe: 'safe', 'data-loss-risk': 'data loss risk', unknown: 'unknown' };

/** The panel's tone: red when any release would lose data, amber while any is unknown, green when all are safe. */
export function rollbackTone(answers: ReadonlyArray<RollbackAnswer | undefined>): 'ok' | 'warn' | 'bad' | 'unknown' {
  if (answers.length === 0 || answers.some((answer) => answer === undefined)) return 'unknown';
  if (answers.some((answer) => answer?.verdict === 'data-loss-risk')) return 'bad';
  return answers.some((answer) => answer?.verdict === 'unknown') ? 'warn' : 'ok';
}
