import type { Ledger } from '../../ledger/types.ts';
import type { LedgerFacts } from '../facts.ts';
import type { Warn } from './warn.ts';

export const ledgerWindowDays = 90;
export const defaultLedgerLimit = 200_000;

/**
 * The last 90 days of the ledger, oldest first. The ledger answers newest first, so a window larger
 * than `limit` keeps its newest events, and says so.
 */
export async function ledgerFacts(ledger: Ledger, now: Date, warn: Warn, limit = defaultLedgerLimit): Promise<LedgerFacts> {
  const since = new Date(now.getTime() - ledgerWindowDays * 24 * 60 * 60 * 1_000);
  const events = await ledger.query({ since, until: now, limit });
  if (events.length >= limit) {
    warn({ file: 'ledger' }, `the ledger holds more than ${limit} events in the last ${ledgerWindowDays} days; the audit reads the newest ${limit} (from ${events.at(-1)?.time})`);
  }
  return { since: since.toISOString(), until: now.toISOString(), events: events.reverse() };
}
