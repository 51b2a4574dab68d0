import type { FastifyInstance } from 'fastify';
import { createNotifier, type Send, type RetryPolicy } from '../incidents/notify/create-notifier.ts';
import { teamChatUrl } from '../incidents/notify/notifications-for.ts';
import type { NotifyConfig } from '../incidents/notify/notify-config.ts';
import type { Ledger } from '../ledger/types.ts';
import type { Clock } from '../lib/clock.ts';
import type { ResolvedModel } from '../model/resolve.ts';
import type { EventHub } from './event-hub.ts';

export interface NotificationSettings {
  readonly config: NotifyConfig;
  readonly send: Send;
  readonly retry?: RetryPolicy;
}

export interface NotificationFollowerDeps {
  readonly hub: EventHub;
  readonly ledger: Ledger;
  readonly clock: Clock;
  readonly model: { current(): ResolvedModel | undefined };
  readonly settings: NotificationSettings;
}

/** how long shutdown waits for deliveries still retrying */
const shutdownWaitMs = 5_000;

/** Anything to notify: a team chat webhook in the model, PagerDuty or the unowned-alerts chat. */
export function hasNotificationTargets(model: ResolvedModel | undefined, config: NotifyConfig): boolean {
  return Boolean(config.pagerduty || config.unownedChatUrl || model?.teams.some((team) => teamChatUrl(model, team.name)));
}

/**
 * Notifies for every event appended after the server started, by anyone (this server's routes and hooks, the
 * CLI, another replica), once per server: the notifier follows the event hub. Without anything to notify it
 * does not subscribe at all. Delivery runs in the background; the server waits for it when it closes.
 */
export async function followNotifications(app: FastifyInstance, deps: NotificationFollowerDeps): Promise<void> {
  if (!hasNotificationTargets(deps.model.current(), deps.settings.config)) return;
  const notifier = createNotifier({
    ledger: deps.ledger,
    model: () => deps.model.current(),
    clock: deps.clock,
    send: deps.settings.send,
    config: deps.settings.config,
    ...(deps.settings.retry ? { retry: deps.settings.retry } : {}),
    onError: (error) => app.log.error({ err: error }, 'recording a notification failed'),
  });
  const subscription = await deps.hub.subscribe((events) => notifier.handle(events));
  app.addHook('onClose', async () => {
    subscription.unsubscribe();
    // deliveries still retrying get a few seconds; shutdown must not wait on a webhook that is down
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), shutdownWaitMs)));
    if (await Promise.race([notifier.idle().then(() => false), gaveUp])) app.log.warn(`notifications still being delivered after ${shutdownWaitMs / 1000} s were dropped at shutdown`);
    clearTimeout(timer);
  });
}
