import { changeKindOf } from '../ledger/event-types.ts';
import type { LedgerEvent } from '../ledger/types.ts';

/** One line a person reads at 2 a.m.: what happened, in the words of the payload. */
export function describeChange(event: LedgerEvent): string {
  const data = (typeof event.data === 'object' && event.data !== null ? event.data : {}) as Record<string, unknown>;
  const pick = (...keys: string[]): string | undefined => {
    for (const key of keys) {
      const value = data[key];
      if (typeof value === 'string' || typeof value === 'number') return String(value);
    }
    return undefined;
  };
  const verb = event.type.split('.').slice(2).join(' ');
  const parts = [
    verb,
    pick('version', 'toVersion', 'alertname', 'title', 'role', 'flag', 'key', 'workspace', 'ref', 'message'),
    pick('reason', 'status', 'outcome', 'severity'),
  ].filter((part): part is string => Boolean(part));
  return parts.join(' — ').slice(0, 120);
}

export { changeKindOf };
