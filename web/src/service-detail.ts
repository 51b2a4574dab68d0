/** The service detail page's logic, kept pure for unit tests: model lookups, on-call, deploy history, findings. */
import type { LedgerEvent, ModelDatastore, ModelService, ModelTeam, OwnershipModel } from './api-types.ts';
import { parseDuration } from './format.ts';

export interface DetailDependency {
  readonly service?: string;
  readonly datastore?: string;
  readonly external?: string;
  readonly critical?: boolean;
}

export interface DetailService extends ModelService {
  readonly title?: string;
  readonly description?: string;
  readonly lifecycle?: string;
  readonly repo?: { readonly url: string; readonly path?: string; readonly branch?: string };
  readonly dependsOn?: readonly DetailDependency[];
  readonly runbooks?: ReadonlyArray<{ readonly name: string; readonly url?: string; readonly path?: string }>;
  readonly slos?: ReadonlyArray<{ readonly name: string; readonly objective: number; readonly period?: string; readonly description?: string }>;
  readonly releasePolicy?: string;
  readonly environments?: readonly string[];
}

export interface DetailTeam extends ModelTeam {
  readonly timezone?: string;
  readonly members?: ReadonlyArray<{ readonly name: string; readonly email: string; readonly github?: string; readonly role?: 'lead' | 'member' }>;
  readonly oncall?: {
    readonly rotation?: { readonly members: readonly string[]; readonly period: string; readonly handoff: string; readonly start: string };
    readonly schedule?: { readonly provider: string; readonly id: string; readonly url?: string };
  };
  readonly chat?: { readonly channel: string; readonly url?: string };
}

export function findService(model: OwnershipModel, name: string): DetailService | undefined {
  return model.services.find((service) => service.name === name) as DetailService | undefined;
}

export function findTeam(model: OwnershipModel, name: string): DetailTeam | undefined {
  return model.teams.find((team) => team.name === name) as DetailTeam | undefined;
}

export interface DependencyRow {
  readonly kind: 'service' | 'datastore' | 'external';
  readonly name: string;
  readonly critical: boolean;
  /** a service or datastore the model defines (so it can be linked) */
  readonly known: boolean;
}

export function dependencyRows(service: DetailService, model: OwnershipModel): DependencyRow[] {
  return (service.dependsOn ?? []).map((dependency) => {
    const critical = dependency.critical === true;
    if (dependency.service !== undefined) return { kind: 'service', name: dependency.service, critical, known: model.services.some((s) => s.name === dependency.service) };
    if (dependency.datastore !== undefined) return { kind: 'datastore', name: dependency.datastore, critical, known: model.datastores.some((d) => d.name === dependency.datastore) };
    return { kind: 'external', name: dependency.external ?? '?', critical, known: false };
  });
}

/** The services that depend on this one. */
export function dependents(name: string, model: OwnershipModel): string[] {
  return (model.services as readonly DetailService[]).filter((service) => (service.dependsOn ?? []).some((dependency) => dependency.service === name)).map((service) => service.name);
}

/** The datastores the service uses, as the model defines them. */
export function serviceDatastores(service: DetailService, model: OwnershipModel): ModelDatastore[] {
  const names = new Set((service.dependsOn ?? []).flatMap((dependency) => (dependency.datastore ? [dependency.datastore] : [])));
  return model.datastores.filter((datastore) => names.has(datastore.name));
}

/** Milliseconds to add to a UTC wall-clock reading to get that wall-clock time in `timeZone` (its offset). */
function zoneOffset(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(utcMs));
  const get = (type: string): number => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - Math.floor(utcMs / 1000) * 1000;
}

/** `2025-01-06` at `10:00` in `Europe/Lisbon` as a UTC instant. */
export function zonedTime(date: string, time: string, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const guess = Date.UTC(y, m - 1, d, hh, mm);
  let zone = 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    zone = timeZone;
  } catch {
    // unknown zone: read the handoff as UTC
  }
  const first = guess - zoneOffset(guess, zone);
  return guess - zoneOffset(first, zone);
}

export interface OnCallNow {
  readonly member: string;
  readonly until: Date;
  readonly next: string | undefined;
}

/** Who is on call now from a rotation (members take turns of `period`, handing off at `handoff` in the team's time zone). */
export function onCallNow(team: DetailTeam, now: Date): OnCallNow | undefined {
  const rotation = team.oncall?.rotation;
  if (!rotation || rotation.members.length === 0) return undefined;
  const period = parseDuration(rotation.period);
  if (period === undefined || period <= 0) return undefined;
  const start = zonedTime(rotation.start, rotation.handoff, team.timezone ?? 'UTC');
  if (Number.isNaN(start)) return undefined;
  const turns = Math.floor((now.getTime() - start) / period);
  const size = rotation.members.length;
  const index = ((turns % size) + size) % size;
  const nameOf = (email: string): string => team.members?.find((member) => member.email === email)?.name ?? email;
  return { member: nameOf(rotation.members[index] as string), until: new Date(start + (turns + 1) * period), next: size > 1 ? nameOf(rotation.members[(index + 1) % size] as string) : undefined };
}

export const deployHistoryTypes = 'dev.steadyops.deploy.*,dev.steadyops.gate.*,dev.steadyops.rollback.*';

export interface HistoryRow {
  readonly event: LedgerEvent;
  readonly kind: 'deploy' | 'gate' | 'rollback' | 'other';
  /** what happened, in a few words */
  readonly what: string;
  readonly detail: string;
  readonly tone: 'ok' | 'warn' | 'bad' | 'neutral';
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** One row of the deploy history: deploys with their version, gate decisions with the checks that failed, rollbacks with from → to and why. */
export function historyRow(event: LedgerEvent): HistoryRow {
  const data = record(event.data);
  const verb = event.type.split('.').pop() ?? '';
  if (event.type.startsWith('dev.steadyops.gate.')) {
    const decision = str(data.decision) ?? verb;
    const checks = Array.isArray(data.checks) ? data.checks.map(record) : [];
    const failed = checks.filter((check) => str(check.outcome) !== undefined && check.outcome !== 'pass').map((check) => `${str(check.type) ?? '?'} ${str(check.outcome)}`);
    const parts = [str(data.version), str(data.policy) ? `policy ${str(data.policy)}` : undefined, str(data.mode) === 'shadow' ? 'shadow mode' : undefined, failed.length > 0 ? failed.join(', ') : checks.length > 0 ? `${checks.length} checks passed` : undefined];
    return { event, kind: 'gate', what: `gate ${decision}`, detail: parts.filter(Boolean).join(' · '), tone: decision === 'allow' ? 'ok' : decision === 'deny' ? 'bad' : 'warn' };
  }
  if (event.type.startsWith('dev.steadyops.rollback.')) {
    const from = str(data.fromVersion);
    const to = str(data.toVersion);
    const outcome = str(data.outcome);
    const parts = [from && to ? `${from} → ${to}` : (to ?? from), outcome, data.automatic === true ? 'automatic' : undefined, str(data.reason)];
    return { event, kind: 'rollback', what: `rollback ${verb}`, detail: parts.filter(Boolean).join(' · '), tone: outcome !== undefined && outcome !== 'succeeded' ? 'bad' : 'warn' };
  }
  if (event.type.startsWith('dev.steadyops.deploy.')) {
    const version = str(data.version);
    const previous = str(data.previousVersion);
    const parts = [previous && version ? `${previous} → ${version}` : version, str(data.strategy), str(data.outcome)];
    const failed = verb === 'failed' || (str(data.outcome) !== undefined && data.outcome !== 'succeeded' && data.outcome !== 'success');
    return { event, kind: 'deploy', what: `deploy ${verb}`, detail: parts.filter(Boolean).join(' · '), tone: failed ? 'bad' : verb === 'finished' ? 'ok' : 'neutral' };
  }
  return { event, kind: 'other', what: event.type, detail: '', tone: 'neutral' };
}

export interface ServiceFinding {
  readonly fingerprint: string;
  readonly controlId: string;
  readonly title: string;
  readonly severity: 'low' | 'medium' | 'high' | 'critical';
  readonly status: string;
  readonly resource: string;
  readonly evidence: string;
  readonly service?: string;
  readonly location?: { readonly file: string; readonly line?: number };
}

const severityRank: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/** The open findings of one service in an audit report, most severe first. */
export function openFindingsOf(report: { readonly run?: { readonly findings?: readonly ServiceFinding[] } } | null | undefined, service: string): ServiceFinding[] {
  return (report?.run?.findings ?? [])
    .filter((finding) => finding.service === service && finding.status === 'open')
    .sort((a, b) => (severityRank[a.severity] ?? 9) - (severityRank[b.severity] ?? 9) || a.controlId.localeCompare(b.controlId));
}
