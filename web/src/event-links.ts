/** Links from a figure to the ledger events behind it: the event's own page, or the Changes page filtered to them. */
import { changesLink, typePrefix } from './changes-filter.ts';

/** The event's page (with its inclusion proof). */
export function eventLink(event: { readonly id: string; readonly source: string }): string {
  return `/events/${encodeURIComponent(event.id)}?source=${encodeURIComponent(event.source)}`;
}

/** The event's page when only its ledger sequence number is known (the API takes `seq:N` as an id). */
export function eventSeqLink(seq: number): string {
  return `/events/${encodeURIComponent(`seq:${seq}`)}`;
}

/** The Changes page with the event of this seq at the top (the rows below it are older). */
export function seqLink(seq: number, filter: { service?: string; type?: string } = {}): string {
  return changesLink({ since: '365d', before: String(seq + 1), ...filter });
}

/** The alert events a "firing" count was read from: every alert event of the window, of one owning team when it has one. */
export function alertEventsLink(since: string, owner?: string): string {
  return changesLink({ since, type: typePrefix('alert'), ...(owner && owner !== 'unowned' ? { team: owner } : {}) });
}

/** The audit runs behind the Audit page's counts: each run is recorded as one `audit.completed` event. */
export const auditRunsLink = changesLink({ since: '30d', type: 'dev.steadyops.audit.completed' });

/** The risk acceptances behind the risk-accepted count (an acceptance lasts at most 180 days). */
export const riskAcceptancesLink = changesLink({ since: '365d', type: 'dev.steadyops.audit.risk.accepted' });
