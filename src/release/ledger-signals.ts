import type { LedgerEvent } from '../ledger/types.ts';
import type { FiringAlert, GateSignals, OpenIncident, RecentDeploy, RestoreVerification } from './types.ts';

type Data = Readonly<Record<string, unknown>>;

const dataOf = (event: LedgerEvent): Data => (typeof event.data === 'object' && event.data !== null ? (event.data as Data) : {});
const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/**
 * Pure: the gate signals the ledger can answer, from its events (oldest first): alerts still firing
 * (fired, not resolved since), incidents still open, the latest verified restore per datastore, and
 * this service's deploys to this environment. Error budgets and approvals come from elsewhere.
 */
export function signalsFromEvents(events: readonly LedgerEvent[], service: string, environment: string): GateSignals {
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
      default:
        break;
    }
  }
  return {
    firingAlerts: [...firing.values()],
    openIncidents: [...incidents.values()],
    restores: [...restores.values()],
    recentDeploys,
  };
}
