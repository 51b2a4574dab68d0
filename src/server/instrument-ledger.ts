import type { Ledger } from '../ledger/types.ts';
import type { ServerMetrics } from './plugins/metrics.ts';

/** Wraps a ledger so every append is timed and its outcomes counted; all else passes through. */
export function instrumentLedger(ledger: Ledger, metrics: ServerMetrics): Ledger {
  const append: Ledger['append'] = async (events) => {
    const stopTimer = metrics.ledgerAppendDuration.startTimer();
    try {
      const outcomes = await ledger.append(events);
      const duplicates = outcomes.filter((outcome) => outcome.duplicate).length;
      if (outcomes.length > duplicates) metrics.ledgerAppends.inc({ outcome: 'stored' }, outcomes.length - duplicates);
      if (duplicates > 0) metrics.ledgerAppends.inc({ outcome: 'duplicate' }, duplicates);
      return outcomes;
    } finally {
      stopTimer();
    }
  };
  return new Proxy(ledger, {
    get(target, property) {
      if (property === 'append') return append;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
