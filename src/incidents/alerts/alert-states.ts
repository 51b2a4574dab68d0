import type { LedgerEvent } from '../../ledger/types.ts';

export const alertEventTypes = ['dev.steadyops.alert.firing', 'dev.steadyops.alert.resolved', 'dev.steadyops.alert.acknowledged'] as const;

export type AlertStateName = 'firing' | 'acknowledged' | 'resolved';

/** The current state of one alert (one fingerprint), folded from its ledger events. */
export interface AlertState {
  readonly fingerprint: string;
  readonly alertname: string;
  readonly state: AlertStateName;
  /** when the current state began: the alert's start while firing or acknowledged, its end once resolved */
  readonly since: string;
  readonly startsAt: string;
  readonly acknowledgedAt?: string;
  readonly acknowledgedBy?: string;
  /** the newest event of the alert, which routing reads (labels, annotations, service) */
  readonly latest: LedgerEvent;
}

interface AlertData {
  alertname?: unknown;
  fingerprint?: unknown;
  startsAt?: unknown;
  endsAt?: unknown;
  acknowledgedAt?: unknown;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function isAlertEvent(event: LedgerEvent): boolean {
  return (alertEventTypes as readonly string[]).includes(event.type);
}

function byTimeThenSeq(left: LedgerEvent, right: LedgerEvent): number {
  return Date.parse(left.time) - Date.parse(right.time) || left.seq - right.seq;
}

function next(previous: AlertState | undefined, event: LedgerEvent): AlertState | undefined {
  const data = (event.data ?? {}) as AlertData;
  const fingerprint = text(data.fingerprint);
  if (!fingerprint) return previous;
  const alertname = text(data.alertname) ?? previous?.alertname ?? '(unnamed)';
  const startsAt = text(data.startsAt) ?? previous?.startsAt ?? event.time;
  if (event.type === 'dev.steadyops.alert.firing') {
    const sameFiring = previous && previous.state !== 'resolved' && previous.startsAt === startsAt;
    return sameFiring ? { ...previous, alertname, latest: event } : { fingerprint, alertname, state: 'firing', since: startsAt, startsAt, latest: event };
  }
  if (event.type === 'dev.steadyops.alert.resolved') {
    return { fingerprint, alertname, state: 'resolved', since: text(data.endsAt) ?? event.time, startsAt, latest: event };
  }
  if (previous?.state === 'resolved') return { ...previous, latest: event };
  return {
    fingerprint,
    alertname,
    state: 'acknowledged',
    since: previous?.since ?? startsAt,
    startsAt,
    acknowledgedAt: text(data.acknowledgedAt) ?? event.time,
    acknowledgedBy: event.actor,
    latest: event,
  };
}

/**
 * Folds alert events (any order) into the current state per fingerprint: firing, acknowledged
 * (firing, and someone has it) or resolved. An acknowledgement after the resolve changes nothing.
 */
export function alertStates(events: readonly LedgerEvent[]): AlertState[] {
  const states = new Map<string, AlertState>();
  for (const event of [...events].filter(isAlertEvent).sort(byTimeThenSeq)) {
    const fingerprint = text((event.data as AlertData | undefined)?.fingerprint);
    if (!fingerprint) continue;
    const state = next(states.get(fingerprint), event);
    if (state) states.set(fingerprint, state);
  }
  return [...states.values()].sort((left, right) => Date.parse(right.since) - Date.parse(left.since) || left.fingerprint.localeCompare(right.fingerprint));
}
