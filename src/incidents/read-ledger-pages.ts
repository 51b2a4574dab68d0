import type { ChangeQuery, Ledger, LedgerEvent } from '../ledger/types.ts';

export const ledgerPageSize = 1_000;

/**
 * Bounded keyset reads: the pages of `query`, newest first, each at most `pageSize` events, until
 * the window is exhausted. Callers stop early by breaking out of the loop.
 */
export async function* ledgerPages(ledger: Pick<Ledger, 'query'>, query: ChangeQuery, pageSize = ledgerPageSize): AsyncGenerator<LedgerEvent[]> {
  let beforeSeq = query.beforeSeq;
  for (;;) {
    const page = await ledger.query({ ...query, limit: pageSize, ...(beforeSeq !== undefined ? { beforeSeq } : {}) });
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    beforeSeq = page[page.length - 1]!.seq;
  }
}

/** Every event of `query` in its window, newest first, read page by page. */
export async function readAllPages(ledger: Ledger, query: ChangeQuery, pageSize = ledgerPageSize): Promise<LedgerEvent[]> {
  const events: LedgerEvent[] = [];
  for await (const page of ledgerPages(ledger, query, pageSize)) events.push(...page);
  return events;
}
