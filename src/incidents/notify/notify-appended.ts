import type { Ledger, LedgerEvent } from '../../ledger/types.ts';
import type { Clock } from '../../lib/clock.ts';
import type { ResolvedModel } from '../../model/resolve.ts';
import { createNotifier, type NotificationOutcome, type Notifier, type Send } from './create-notifier.ts';
import { fetchSend } from './fetch-send.ts';
import { notifyConfigFromEnv } from './notify-config.ts';

export interface NotifyAppendedDeps {
  readonly ledger: Ledger;
  readonly model: ResolvedModel | undefined;
  readonly clock: Clock;
  readonly env: NodeJS.ProcessEnv;
  /** default: fetch */
  readonly send?: Send;
}

/**
 * The notifier for the CLI in local mode (no server following the ledger): pass it as the incident service's
 * `notify`, and `await notifier.idle()` before closing the ledger. With --server the server notifies; do not.
 */
export function createLocalNotifier(deps: NotifyAppendedDeps): Notifier {
  return createNotifier({
    ledger: deps.ledger,
    model: () => deps.model,
    clock: deps.clock,
    send: deps.send ?? fetchSend,
    config: notifyConfigFromEnv(deps.env),
    // one short CLI run: two quick retries rather than the server's patient ones
    retry: { attempts: 3, baseMs: 250 },
  });
}

/** After an append resolved in local mode: sends what the stored events call for, records the outcomes, then resolves. */
export async function notifyAppended(events: readonly LedgerEvent[], deps: NotifyAppendedDeps): Promise<NotificationOutcome[]> {
  const notifier = createLocalNotifier(deps);
  const outcomes: NotificationOutcome[] = [];
  for (const event of events) outcomes.push(...(await notifier.notify(event)));
  return outcomes;
}
