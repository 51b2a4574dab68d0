import { createHash } from 'node:crypto';
import type { Ledger, LedgerEvent } from '../../ledger/types.ts';
import type { Clock } from '../../lib/clock.ts';
import type { ResolvedModel } from '../../model/resolve.ts';
import type { IncidentNotifier } from '../incident-notifier.ts';
import { notificationsFor, type Delivery } from './notifications-for.ts';
import type { NotifyConfig } from './notify-config.ts';

/** The part of `fetch` the notifier uses; tests and the CLI pass their own. */
export type Send = (url: string, init: { method: 'POST'; headers: Record<string, string>; body: string }) => Promise<{ readonly ok: boolean; readonly status: number }>;

export interface RetryPolicy {
  /** tries in all, the first included */
  readonly attempts: number;
  /** the wait before the second try; each later wait doubles, with up to 50% random jitter taken off */
  readonly baseMs: number;
}

export const defaultRetry: RetryPolicy = { attempts: 4, baseMs: 500 };

export interface NotifierDeps {
  readonly ledger: Ledger;
  readonly model: () => ResolvedModel | undefined;
  readonly clock: Clock;
  readonly send: Send;
  readonly retry?: RetryPolicy;
  readonly config?: NotifyConfig;
  /** waits between tries; tests may pass one that does not wait */
  readonly sleep?: (ms: number) => Promise<void>;
  /** told when recording an outcome itself failed (the ledger unreachable); never throws */
  readonly onError?: (error: unknown) => void;
}

export interface NotificationOutcome {
  readonly channel: Delivery['channel'];
  readonly target: string;
  readonly delivered: boolean;
  readonly attempts: number;
  readonly status?: number;
  readonly error?: string;
}

export interface Notifier extends IncidentNotifier {
  /** sends what one event calls for and records each outcome; resolves when done, never rejects */
  notify(event: LedgerEvent): Promise<NotificationOutcome[]>;
  /** queues events for notification in the background, in order */
  handle(events: readonly LedgerEvent[]): void;
  /** resolves once every queued event has been notified and recorded */
  idle(): Promise<void>;
}

export const notifierActor = 'system:notifier';
export const notificationSource = '/steadyops/notifications';
const claimSource = '/steadyops/notifications/claims';

/** One notification: the event it is about, where it goes. */
function notificationId(event: LedgerEvent, delivery: Delivery): string {
  return `${event.source}#${event.id}:${delivery.channel}:${delivery.target}`;
}

/**
 * Delivers the notifications of ledger events (see `notificationsFor`) with retries and exponential backoff,
 * and records each outcome as a `dev.steadyops.notification.delivered`/`.failed` event. A failing webhook
 * never reaches the caller: errors are caught and recorded.
 */
export function createNotifier(deps: NotifierDeps): Notifier {
  const retry = deps.retry ?? defaultRetry;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let queue: Promise<unknown> = Promise.resolve();

  const deliver = async (delivery: Delivery): Promise<NotificationOutcome> => {
    let last: { status?: number; error: string } = { error: 'not sent' };
    for (let attempt = 1; attempt <= retry.attempts; attempt++) {
      if (attempt > 1) await sleep(backoffMs(retry, attempt));
      try {
        const response = await deps.send(delivery.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(delivery.body) });
        if (response.ok) return { channel: delivery.channel, target: delivery.target, delivered: true, attempts: attempt, status: response.status };
        last = { status: response.status, error: `HTTP ${response.status}` };
        if (!isRetryable(response.status)) return failed(delivery, attempt, last);
      } catch (error) {
        last = { error: withoutUrl(errorText(error), delivery.url) };
      }
    }
    return failed(delivery, retry.attempts, last);
  };

  const record = async (event: LedgerEvent, delivery: Delivery, outcome: NotificationOutcome): Promise<void> => {
    const type = outcome.delivered ? 'dev.steadyops.notification.delivered' : 'dev.steadyops.notification.failed';
    await deps.ledger.append([
      {
        actor: notifierActor,
        event: {
          specversion: '1.0',
          id: notificationId(event, delivery),
          source: notificationSource,
          type,
          ...(event.subject ? { subject: event.subject } : {}),
          time: deps.clock.now().toISOString(),
          datacontenttype: 'application/json',
          data: {
            channel: delivery.channel,
            target: delivery.target,
            destination: destinationOf(delivery.url),
            forEvent: { seq: event.seq, id: event.id, type: event.type },
            attempts: outcome.attempts,
            ...(outcome.status !== undefined ? { status: outcome.status } : {}),
            ...(outcome.error !== undefined ? { error: outcome.error } : {}),
          },
        },
      },
    ]);
  };

  /**
   * Takes the notification on: false when another replica (or an earlier run of this one) already has. The
   * ledger's idempotent (source, id) is the lock, so each notification is sent at most once.
   */
  const claim = async (event: LedgerEvent, delivery: Delivery): Promise<boolean> => {
    const [outcome] = await deps.ledger.append([
      {
        actor: notifierActor,
        event: {
          specversion: '1.0',
          id: notificationId(event, delivery),
          source: claimSource,
          type: 'dev.steadyops.notification.claimed',
          ...(event.subject ? { subject: event.subject } : {}),
          time: deps.clock.now().toISOString(),
          datacontenttype: 'application/json',
          data: { channel: delivery.channel, target: delivery.target, forEvent: { seq: event.seq, id: event.id, type: event.type } },
        },
      },
    ]);
    return outcome !== undefined && !outcome.duplicate;
  };

  const notify = async (event: LedgerEvent): Promise<NotificationOutcome[]> => {
    try {
      const deliveries = notificationsFor(event, deps.model(), deps.config);
      const outcomes = await Promise.all(
        deliveries.map(async (delivery) => {
          if (!(await claim(event, delivery))) return undefined;
          const outcome = await deliver(delivery);
          await record(event, delivery, outcome).catch((error: unknown) => deps.onError?.(error));
          return outcome;
        }),
      );
      return outcomes.filter((outcome) => outcome !== undefined);
    } catch (error) {
      deps.onError?.(error);
      return [];
    }
  };

  const enqueue = (events: readonly LedgerEvent[]): void => {
    queue = queue.then(async () => {
      for (const event of events) await notify(event);
    });
  };

  return {
    notify,
    handle: enqueue,
    incidentChanged: (event) => enqueue([event]),
    idle: async () => {
      // events queued while waiting are waited for too
      for (let seen: Promise<unknown> | undefined; seen !== queue; ) {
        seen = queue;
        await seen;
      }
    },
  };
}

function failed(delivery: Delivery, attempts: number, last: { status?: number; error: string }): NotificationOutcome {
  return { channel: delivery.channel, target: delivery.target, delivered: false, attempts, ...(last.status !== undefined ? { status: last.status } : {}), error: last.error };
}

/** A 4xx other than 408 (timeout) and 429 (rate limited) will not change by sending it again. */
function isRetryable(status: number): boolean {
  return status >= 500 || status === 408 || status === 429 || status < 400;
}

export function backoffMs(retry: RetryPolicy, attempt: number): number {
  const full = retry.baseMs * 2 ** (attempt - 2);
  return Math.round(full * (1 - Math.random() * 0.5));
}

/** Webhook URLs carry their secret in the path: the ledger gets the host and a digest of the path only. */
export function destinationOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}/${createHash('sha256').update(parsed.pathname + parsed.search).digest('hex').slice(0, 12)}`;
  } catch {
    return 'invalid-url';
  }
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}

function withoutUrl(message: string, url: string): string {
  return message.split(url).join(destinationOf(url)) || 'send failed';
}
