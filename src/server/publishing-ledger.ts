import type { Ledger } from '../ledger/types.ts';
import type { EventHub } from './event-hub.ts';

/** Wraps a ledger so appends through it poke the hub once they are durable; all else passes through. */
export function publishingLedger(ledger: Ledger, hub: EventHub): Ledger {
  const append: Ledger['append'] = async (events) => {
    const outcomes = await ledger.append(events);
    if (outcomes.some((outcome) => !outcome.duplicate)) hub.poke();
    return outcomes;
  };
  return new Proxy(ledger, {
    get(target, property) {
      if (property === 'append') return append;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
