import type { LedgerEvent } from '../ledger/types.ts';

/** Where ledger events come from, told apart by their CloudEvents `source` (and, for pushes, the actor). */
export const connectorIds = ['github', 'alertmanager', 'pagerduty', 'cloudevents', 'kubernetes', 'git', 'terraform', 'cli', 'steadyops'] as const;
export type ConnectorId = (typeof connectorIds)[number];

const sourcePrefixes: ReadonlyArray<readonly [string, ConnectorId]> = [
  ['/github/', 'github'],
  ['/alertmanager/', 'alertmanager'],
  ['/pagerduty/', 'pagerduty'],
  ['/kubernetes/', 'kubernetes'],
  ['/git/', 'git'],
  ['/terraform/', 'terraform'],
  ['/steadyops/', 'steadyops'],
];

/**
 * Pure: the connector an event came through. The mapped connectors set their own source prefix; other
 * events keep the sender's source, so they are CLI pushes when a `cli:` actor appended them and
 * CloudEvents over HTTP (/hooks/cloudevents or POST /api/v1/events, with a token) otherwise.
 */
export function connectorOf(event: Pick<LedgerEvent, 'source' | 'actor'>): ConnectorId {
  const found = sourcePrefixes.find(([prefix]) => event.source.startsWith(prefix));
  if (found) return found[1];
  return event.actor.startsWith('cli:') ? 'cli' : 'cloudevents';
}

export interface LastEvent {
  readonly seq: number;
  readonly type: string;
  readonly source: string;
  /** the event's own time */
  readonly time: string;
  /** when the ledger received it */
  readonly receivedAt: string;
}

export interface ConnectorActivity {
  readonly id: ConnectorId;
  readonly lastEvent: LastEvent | null;
  /** events received in the 24 hours before now (per minute: counted from the minute 24 h ago) */
  readonly last24h: number;
}

const minuteMs = 60_000;
const dayMinutes = 24 * 60;

/**
 * The latest event and per-minute receive counts of each connector, folded from ledger events in
 * sequence order; memory stays bounded (at most 1,440 minutes per connector).
 */
export class ConnectorTally {
  private readonly last = new Map<ConnectorId, LastEvent>();
  private readonly minutes = new Map<ConnectorId, Map<number, number>>();

  add(event: LedgerEvent): void {
    const id = connectorOf(event);
    this.last.set(id, { seq: event.seq, type: event.type, source: event.source, time: event.time, receivedAt: event.ingested_at });
    const minute = Math.floor(Date.parse(event.ingested_at) / minuteMs);
    const counts = this.minutes.get(id) ?? new Map<number, number>();
    counts.set(minute, (counts.get(minute) ?? 0) + 1);
    this.minutes.set(id, counts);
  }

  /** every connector, in catalogue order; forgets minutes older than a day */
  snapshot(now: Date): ConnectorActivity[] {
    const oldest = Math.floor(now.getTime() / minuteMs) - dayMinutes;
    return connectorIds.map((id) => {
      const counts = this.minutes.get(id);
      let last24h = 0;
      for (const [minute, count] of counts ?? []) {
        if (minute < oldest) counts!.delete(minute);
        else last24h += count;
      }
      return { id, lastEvent: this.last.get(id) ?? null, last24h };
    });
  }
}
