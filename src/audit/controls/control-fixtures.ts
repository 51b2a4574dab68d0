// Test-only: small builders for model entries, ledger events and facts, shared by the controls' tests.
import type { LedgerEvent } from '../../ledger/types.ts';
import {
  emptyModel,
  type ResolvedAccessRole,
  type ResolvedDatastore,
  type ResolvedModel,
  type ResolvedReleasePolicy,
  type ResolvedService,
  type ResolvedTeam,
} from '../../model/resolve.ts';
import { emptyFacts, type AuditFacts } from '../facts.ts';
import { auditNow } from './control-cases.ts';

const named = { labels: {}, annotations: {} };

export const service = (name: string, extra: Partial<ResolvedService> = {}): ResolvedService => ({
  name,
  ...named,
  owner: 'payments',
  tier: 1,
  lifecycle: 'production',
  ...extra,
});

export const team = (name: string, emails: readonly string[] = [`a@${name}.example`, `b@${name}.example`], extra: Partial<ResolvedTeam> = {}): ResolvedTeam => ({
  name,
  ...named,
  timezone: 'UTC',
  members: emails.map((email) => ({ name: email, email, github: email.split('@')[0]! })),
  oncall: { schedule: { provider: 'pagerduty', id: `P-${name}` } },
  ...extra,
});

export const datastore = (name: string, extra: Partial<ResolvedDatastore> = {}): ResolvedDatastore => ({
  name,
  ...named,
  engine: 'postgresql',
  owner: 'platform',
  tier: 1,
  backup: { schedule: '0 2 * * *', rpo: '24h', retention: '14d' },
  restoreDrill: { every: '30d', rto: '1h' },
  ...extra,
});

export const policy = (name: string, extra: Partial<ResolvedReleasePolicy> = {}): ResolvedReleasePolicy => ({
  name,
  ...named,
  mode: 'enforce',
  onError: 'deny',
  checks: [
    { type: 'errorBudget', minRemaining: 0.1 },
    { type: 'approvals', minApprovals: 1, allowAuthor: false },
  ],
  ...extra,
});

export const accessRole = (name: string, extra: Partial<ResolvedAccessRole> = {}): ResolvedAccessRole => ({
  name,
  ...named,
  grants: [{ system: 'database', resource: 'core-postgres', permissions: ['select'] }],
  approvers: { teams: ['platform'] },
  minApprovals: 1,
  maxDuration: '4h',
  breakGlass: { allowed: true },
  ...extra,
});

export const withModel = (model: Partial<ResolvedModel>, facts: Partial<AuditFacts> = {}): AuditFacts => ({
  ...emptyFacts(),
  ...facts,
  model: { model: { ...emptyModel(), ...model }, locations: new Map() },
});

/** `hoursAgo` before the tests' audit time. */
export const hoursAgo = (hours: number): string => new Date(auditNow.getTime() - hours * 3_600_000).toISOString();
export const daysAgoAt = (days: number): string => hoursAgo(days * 24);

let seq = 0;

/** A ledger event `hours` before the audit time; `short` is the type without `dev.steadyops.`. */
export function ledgerEvent(
  short: string,
  hours: number,
  data: Record<string, unknown>,
  extra: { subject?: string; actor?: string; environment?: string } = {},
): LedgerEvent {
  seq += 1;
  const environment = extra.environment ?? (typeof data.environment === 'string' ? data.environment : undefined);
  const subject = extra.subject ?? (typeof data.service === 'string' ? data.service : undefined);
  return {
    seq,
    specversion: '1.0',
    id: `evt-${seq}`,
    source: '/test',
    type: `dev.steadyops.${short}`,
    ...(subject ? { subject } : {}),
    time: hoursAgo(hours),
    data,
    actor: extra.actor ?? 'system:test',
    ...(environment ? { environment } : {}),
    ingested_at: hoursAgo(hours),
    leaf_hash: '',
  };
}

/** Facts with a ledger of these events (sorted oldest first) over the 90 days before the audit time. */
export function withLedger(events: readonly LedgerEvent[], base: AuditFacts = emptyFacts()): AuditFacts {
  return {
    ...base,
    ledger: {
      since: daysAgoAt(90),
      until: auditNow.toISOString(),
      events: [...events].sort((a, b) => Date.parse(a.time) - Date.parse(b.time) || a.seq - b.seq),
    },
  };
}
