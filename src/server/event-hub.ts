import type { Ledger, LedgerEvent } from '../ledger/types.ts';

export type EventListener = (events: readonly LedgerEvent[]) => void;

export interface Subscription {
  /** the ledger size when the listener joined: it receives every event after this sequence number */
  readonly head: number;
  unsubscribe(): void;
}

/**
 * In-process fan-out of newly appended ledger events to live readers (the SSE stream). The ledger knows
 * nothing of it: the server pokes the hub after its own appends, and while anyone listens the hub also
 * polls the ledger head, so events appended by other processes (the CLI, a replica) arrive too.
 */
export interface EventHub {
  subscribe(listener: EventListener): Promise<Subscription>;
  /** something may have been appended: read the head now */
  poke(): void;
  /** the number of live listeners */
  listeners(): number;
  close(): void;
}

export interface EventHubOptions {
  /** how often the head is read while someone listens; default 1 s */
  readonly pollMs?: number;
  /** events read per query while catching up; default 1,000 */
  readonly batch?: number;
}

export function createEventHub(ledger: Ledger, options: EventHubOptions = {}): EventHub {
  const pollMs = options.pollMs ?? 1000;
  const batch = options.batch ?? 1000;
  const listeners = new Set<EventListener>();
  let cursor: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  let pokeQueued = false;

  // every read of the head and every delivery runs in this one queue, so listeners see events in order, once
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const result = queue.then(task);
    queue = result.catch(() => undefined);
    return result;
  };

  const catchUp = async (): Promise<void> => {
    if (cursor === undefined || listeners.size === 0) return;
    const head = await ledger.size();
    while (cursor < head) {
      const events = await ledger.readAfter(cursor, Math.min(batch, head - cursor));
      if (events.length === 0) return;
      cursor = events[events.length - 1]!.seq;
      for (const listener of listeners) deliver(listener, events);
    }
  };

  const stopPolling = (): void => {
    if (timer) clearInterval(timer);
    timer = undefined;
    cursor = undefined;
  };

  const hub: EventHub = {
    subscribe: (listener) =>
      serial(async () => {
        if (cursor === undefined) cursor = await ledger.size();
        listeners.add(listener);
        if (!timer) timer = setInterval(() => hub.poke(), pollMs).unref();
        return {
          head: cursor,
          unsubscribe: () => {
            listeners.delete(listener);
            if (listeners.size === 0) stopPolling();
          },
        };
      }),
    poke() {
      if (pokeQueued || listeners.size === 0) return;
      pokeQueued = true;
      // a failed read (the database restarting) is retried on the next poll
      void serial(async () => {
        pokeQueued = false;
        await catchUp();
      }).catch(() => undefined);
    },
    listeners: () => listeners.size,
    close() {
      listeners.clear();
      stopPolling();
    },
  };
  return hub;
}

function deliver(listener: EventListener, events: readonly LedgerEvent[]): void {
  try {
    listener(events);
  } catch {
    // one broken reader must not stop the others
  }
}
