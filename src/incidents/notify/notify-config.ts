/** Where notifications go besides each team's chat webhook (`Team.spec.chat.url`). */
export interface NotifyConfig {
  /** PagerDuty Events API v2: page-severity alerts trigger (and resolve) an alert on this integration */
  readonly pagerduty?: { readonly routingKey: string; readonly url: string };
  /** a Slack-compatible webhook for page alerts of services nobody owns (not in the model, or no service at all) */
  readonly unownedChatUrl?: string;
}

export const pagerDutyEnqueueUrl = 'https://events.pagerduty.com/v2/enqueue';

/**
 * STEADYOPS_PAGERDUTY_ROUTING_KEY (+ STEADYOPS_PAGERDUTY_URL to point elsewhere, e.g. a test receiver) and
 * STEADYOPS_UNOWNED_CHAT_URL.
 */
export function notifyConfigFromEnv(env: NodeJS.ProcessEnv): NotifyConfig {
  const routingKey = env.STEADYOPS_PAGERDUTY_ROUTING_KEY?.trim();
  const unowned = env.STEADYOPS_UNOWNED_CHAT_URL?.trim();
  return {
    ...(routingKey ? { pagerduty: { routingKey, url: env.STEADYOPS_PAGERDUTY_URL?.trim() || pagerDutyEnqueueUrl } } : {}),
    ...(unowned ? { unownedChatUrl: unowned } : {}),
  };
}
