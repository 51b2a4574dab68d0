import type { LedgerEvent } from '../ledger/types.ts';

/** Told about every incident event the incident service wrote, after its append resolved. */
export interface IncidentNotifier {
  incidentChanged(event: LedgerEvent): void;
}
