import type { Ledger, LedgerEvent } from './types.ts';

const seqRefPattern = /^seq:(\d+)$/;

/**
 * Events named by `ref`: `seq:N` is the event with sequence number N, anything else a CloudEvents id
 * (ids are unique per source only, so several can match). `source`, when given, keeps only events from it.
 */
export async function findEventsByRef(
  ledger: Pick<Ledger, 'findById' | 'getBySeq'>,
  ref: string,
  source?: string,
): Promise<LedgerEvent[]> {
  const bySeq = seqRefPattern.exec(ref);
  const candidates = bySeq ? await eventAtSeq(ledger, Number(bySeq[1])) : await ledger.findById(ref);
  return candidates.filter((event) => source === undefined || event.source === source);
}

async function eventAtSeq(ledger: Pick<Ledger, 'getBySeq'>, seq: number): Promise<LedgerEvent[]> {
  // a number past 2^53 names no stored event, and a database bigint column would refuse it
  if (!Number.isSafeInteger(seq)) return [];
  const event = await ledger.getBySeq(seq);
  return event ? [event] : [];
}
