import type { LedgerEvent } from '../ledger/types.ts';
import type { Approval, FiringAlert, GateOverride, GateSignals, OpenIncident, RecentDeploy, RestoreVerification } from './types.ts';

type Data = Readonly<Record<string, unknown>>;

const dataOf = (event: LedgerEvent): Data => (typeof event.data === 'object' && event.data !== null ? (event.data as Data) : {});
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** The release a gate reads the ledger for. */
export interface ReleaseKey {
  readonly service: string;
  readonly environment: string;
  readonly version: string;
}

/** What the ledger says about a release beyond the gate signals: its last deny and any override of it. */
export interface ReleaseHistory {
  readonly lastDeny?: { seq: number; at: string; policy?: string };
  readonly override?: GateOverride;
}

/**
 * Pure: the gate signals the ledger can answer, from its events (oldest first): alerts still firing
 * (fired, not resolved since), incidents still open, the latest verified restore per datastore,
 * this service's deploys to this environment, and approvals of this version (for this environment
 * or for any). Error budgets come from Prometheus.
 */
export function signalsFromEvents(events: readonly LedgerEvent[], release: ReleaseKey): GateSignals {
  const { service, environment } = release;
  const approvals: Approval[] = [];
  const firing = new Map<string, FiringAlert>();
  const incidents = new Map<string, OpenIncident>();
  const restores = new Map<string, RestoreVerification>();
  const recentDeploys: RecentDeploy[] = [];
  for (const event of events) {
    const data = dataOf(event);
    switch (event.type) {
      case 'dev.steadyops.alert.firing': {
        const fingerprint = text(data.fingerprint);
        if (fingerprint) {
          firing.set(fingerprint, {
            alertname: text(data.alertname) ?? '(unnamed)',
            severity: text(data.severity) ?? 'none',
            service: event.subject ?? text(data.service) ?? '',
            startsAt: text(data.startsAt) ?? event.time,
          });
        }
        break;
      }
      case 'dev.steadyops.alert.resolved':
        firing.delete(text(data.fingerprint) ?? '');
        break;
      case 'dev.steadyops.incident.declared': {
        const id = text(data.incidentId);
        const services = Array.isArray(data.services) ? data.services.filter((name): name is string => typeof name === 'string') : [];
        if (id) incidents.set(id, { id, severity: text(data.severity) ?? 'sev4', services });
        break;
      }
      case 'dev.steadyops.incident.resolved':
        incidents.delete(text(data.incidentId) ?? '');
        break;
      case 'dev.steadyops.restore.drill.verified': {
        const datastore = text(data.datastore) ?? event.subject;
        if (datastore) restores.set(datastore, { datastore, verifiedAt: event.time });
        break;
      }
      case 'dev.steadyops.deploy.finished':
        if (event.subject === service && event.environment === environment) recentDeploys.push({ at: event.time });
        break;
      case 'dev.steadyops.release.approved': {
        const approval = approvalOf(data, event.time, release);
        if (approval) approvals.push(approval);
        break;
      }
      default:
        break;
    }
  }
  return {
    firingAlerts: [...firing.values()],
    openIncidents: [...incidents.values()],
    restores: [...restores.values()],
    recentDeploys,
    approvals,
  };
}

function approvalOf(data: Data, at: string, release: ReleaseKey): Approval | undefined {
  const approver = text(data.approver);
  const forRelease = data.service === release.service && data.version === release.version;
  const forEnvironment = data.environment === undefined || data.environment === release.environment;
  if (!approver || !forRelease || !forEnvironment) return undefined;
  return { approver, at, ...(text(data.comment) ? { comment: text(data.comment) } : {}) };
}

/** Pure: the release's latest deny decision and the override that answers it, from events oldest first. */
export function releaseHistory(events: readonly LedgerEvent[], release: ReleaseKey): ReleaseHistory {
  let lastDeny: ReleaseHistory['lastDeny'];
  let override: GateOverride | undefined;
  for (const event of events) {
    const data = dataOf(event);
    if (data.service !== release.service || data.environment !== release.environment || data.version !== release.version) continue;
    if (event.type === 'dev.steadyops.gate.decided' && data.decision === 'deny') {
      lastDeny = { seq: event.seq, at: event.time, ...(text(data.policy) ? { policy: text(data.policy) } : {}) };
    } else if (event.type === 'dev.steadyops.gate.overridden') {
      override = { seq: event.seq, at: event.time, by: text(data.overriddenBy) ?? event.actor, reason: text(data.reason) ?? '' };
    }
  }
  return { ...(lastDeny ? { lastDeny } : {}), ...(override ? { override } : {}) };
}
