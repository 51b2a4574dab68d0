import type { Ledger, LedgerEvent } from '../ledger/types.ts';
import { incidentIdOf, incidentTypePrefix } from './incident-state.ts';
import { ledgerPages, readAllPages } from './read-ledger-pages.ts';

/** Where the incident service's own events come from; (source, id) makes each write idempotent. */
export const incidentSource = '/steadyops/incidents';

/** How far before a declaration from an alert (`fromAlert`) the alert may have started firing. */
export const fromAlertLookbackMs = 7 * 86_400_000;

const declaredType = 'dev.steadyops.incident.declared';
const incidentNumber = /^INC-(\d+)$/;

/** The declaration of `incidentId`, newest first through the declarations only (one per incident). */
export async function findDeclaration(ledger: Ledger, incidentId: string): Promise<LedgerEvent | undefined> {
  for await (const page of ledgerPages(ledger, { types: [declaredType] })) {
    const found = page.find((event) => incidentIdOf(event) === incidentId);
    if (found) return found;
  }
  return undefined;
}

/** Every event of one incident: incident events from its declaration on, filtered by its id. */
export async function readIncidentEvents(ledger: Ledger, incidentId: string): Promise<LedgerEvent[]> {
  const declared = await findDeclaration(ledger, incidentId);
  if (!declared) return [];
  const events = await readAllPages(ledger, { types: [`${incidentTypePrefix}*`], since: new Date(declared.time) });
  return events.filter((event) => incidentIdOf(event) === incidentId);
}

/** Every incident event since `since` (all of them without), for lists. */
export async function readAllIncidentEvents(ledger: Ledger, since?: Date): Promise<LedgerEvent[]> {
  return readAllPages(ledger, { types: [`${incidentTypePrefix}*`], ...(since ? { since } : {}) });
}

/** The next free `INC-<n>`: one more than the highest number ever declared. */
export async function nextIncidentId(ledger: Ledger): Promise<string> {
  let highest = 0;
  for await (const page of ledgerPages(ledger, { types: [declaredType] })) {
    for (const event of page) {
      const match = incidentNumber.exec(incidentIdOf(event) ?? '');
      if (match) highest = Math.max(highest, Number(match[1]));
    }
  }
  return `INC-${highest + 1}`;
}

/** The latest firing of the alert with this fingerprint within `lookbackMs` of `now`. */
export async function findFiringAlert(ledger: Ledger, fingerprint: string, now: Date, lookbackMs: number): Promise<LedgerEvent | undefined> {
  const window = { types: ['dev.steadyops.alert.firing'], since: new Date(now.getTime() - lookbackMs), until: now };
  for await (const page of ledgerPages(ledger, window)) {
    const found = page.find((event) => (event.data as { fingerprint?: unknown } | undefined)?.fingerprint === fingerprint);
    if (found) return found;
  }
  return undefined;
}
