import { ConnectorTally, type ConnectorActivity } from '../connectors/connector-activity.ts';
import type { Ledger } from '../ledger/types.ts';
import type { Clock } from '../lib/clock.ts';

export interface ConnectorActivityReport {
  readonly connectors: readonly ConnectorActivity[];
  /** the ledger size the report is current to */
  readonly head: number;
  /** the tally covers events after this sequence number */
  readonly fromSeq: number;
  /** false when the tallied window starts less than 24 h ago: the counts are lower bounds */
  readonly countsComplete: boolean;
}

export interface ConnectorActivityFollower {
  report(): Promise<ConnectorActivityReport>;
}

export interface FollowerOptions {
  /** the latest events tallied at the first request, and again when the ledger ran this far ahead; default 50,000 */
  readonly window?: number;
  /** events per read; default 1,000 */
  readonly batch?: number;
}

/**
 * Keeps a per-connector tally in memory: seeded at the first request from the latest `window` events (a
 * primary-key range read, whatever the ledger's size), then brought up to the ledger head on each request
 * by reading only the events appended since, by any process. No scan grows with the ledger.
 */
export function createConnectorActivityFollower(ledger: Ledger, clock: Clock, options: FollowerOptions = {}): ConnectorActivityFollower {
  const window = options.window ?? 50_000;
  const batch = options.batch ?? 1000;
  let tally = new ConnectorTally();
  let cursor: number | undefined;
  let fromSeq = 0;
  let windowStartMs = Number.NEGATIVE_INFINITY;
  let queue: Promise<unknown> = Promise.resolve();

  const readUpTo = async (head: number): Promise<void> => {
    while (cursor! < head) {
      const events = await ledger.readAfter(cursor!, Math.min(batch, head - cursor!));
      if (events.length === 0) return;
      if (cursor === fromSeq && fromSeq > 0) windowStartMs = Date.parse(events[0]!.ingested_at);
      for (const event of events) tally.add(event);
      cursor = events[events.length - 1]!.seq;
    }
  };

  const refresh = async (): Promise<ConnectorActivityReport> => {
    const head = await ledger.size();
    if (cursor === undefined || head - cursor > window || head < cursor) {
      tally = new ConnectorTally();
      fromSeq = Math.max(0, head - window);
      cursor = fromSeq;
      windowStartMs = Number.NEGATIVE_INFINITY;
    }
    await readUpTo(head);
    const now = clock.now();
    return {
      connectors: tally.snapshot(now),
      head,
      fromSeq,
      countsComplete: windowStartMs <= now.getTime() - 86_400_000,
    };
  };

  return {
    report() {
      const result = queue.then(refresh);
      queue = result.catch(() => undefined);
      return result;
    },
  };
}
