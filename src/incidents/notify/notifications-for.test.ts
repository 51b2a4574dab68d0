import { describe, expect, it } from 'vitest';
import { pagerDutyAlertEvent } from '../../connectors/pagerduty/pagerduty-event.ts';
import { notificationsFor } from './notifications-for.ts';
import { declared, notifyModel, pageAlert, storedEvent } from './notify-fixtures.ts';

const chat = 'http://127.0.0.1:9/hooks/T000/B000/secret';
const model = notifyModel(chat);
const pagerduty = { routingKey: 'R0UT1NGKEY', url: 'http://127.0.0.1:9/v2/enqueue' };
const config = { pagerduty, unownedChatUrl: 'http://127.0.0.1:9/unowned' };

const targets = (deliveries: ReturnType<typeof notificationsFor>) => deliveries.map((delivery) => `${delivery.channel}:${delivery.target}`);

describe('notificationsFor', () => {
  const cases = [
    { name: 'declared: the owning team', event: declared(), expected: ['chat:payments'] },
    { name: 'declared on services of two teams: only teams with a webhook', event: declared(['checkout-api', 'auth-service']), expected: ['chat:payments'] },
    { name: 'an update without a new severity is not news', event: storedEvent('incident.updated', { incidentId: 'INC-9', message: 'still looking' }, { subject: 'checkout-api' }), expected: [] },
    { name: 'a severity change', event: storedEvent('incident.updated', { incidentId: 'INC-9', message: 'worse', severity: 'sev1' }, { subject: 'checkout-api' }), expected: ['chat:payments'] },
    { name: 'resolved', event: storedEvent('incident.resolved', { incidentId: 'INC-9', summary: 'rolled back' }, { subject: 'checkout-api' }), expected: ['chat:payments'] },
    { name: 'acknowledged is not notified', event: storedEvent('incident.acknowledged', { incidentId: 'INC-9', by: 'ana' }, { subject: 'checkout-api' }), expected: [] },
    { name: 'a page alert of an owned service: PagerDuty', event: pageAlert('checkout-api'), expected: ['pagerduty:pagerduty'] },
    { name: 'a page alert nobody owns: the unowned chat and PagerDuty', event: pageAlert('mystery-svc'), expected: ['chat:unowned', 'pagerduty:pagerduty'] },
    { name: 'a critical alert with no service at all', event: pageAlert(undefined, 'firing', 'critical'), expected: ['chat:unowned', 'pagerduty:pagerduty'] },
    { name: 'a resolved page alert resolves PagerDuty only', event: pageAlert('mystery-svc', 'resolved'), expected: ['pagerduty:pagerduty'] },
    { name: 'a ticket alert pages nobody', event: pageAlert('mystery-svc', 'firing', 'ticket'), expected: [] },
    { name: 'an alert PagerDuty sent is not sent back', event: { ...pageAlert('checkout-api'), source: '/pagerduty/abc123' }, expected: [] },
    { name: 'a deploy is not notified', event: storedEvent('deploy.finished', { service: 'checkout-api', environment: 'production', version: 'v1' }), expected: [] },
  ];

  it.each(cases)('$name', ({ event, expected }) => {
    expect(targets(notificationsFor(event, model, config))).toEqual(expected);
  });

  it('sends nothing without a model or configuration, and never to reserved example domains', () => {
    expect(notificationsFor(declared(), undefined)).toEqual([]);
    expect(notificationsFor(pageAlert('mystery-svc'), model)).toEqual([]);
    expect(notificationsFor(declared(), notifyModel('https://northwindpay.slack.example/archives/C01'))).toEqual([]);
  });

  it('writes a Slack message with text and blocks, escaping mrkdwn', () => {
    const [delivery] = notificationsFor(declared(), model);
    expect(delivery).toMatchObject({ url: chat, body: { text: expect.stringContaining('Incident INC-9 declared (sev1): Checkout <errors> & timeouts') } });
    const body = delivery!.body as { blocks: Array<{ type: string; text?: { text: string } }> };
    expect(body.blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
    expect(body.blocks[0]!.text!.text).toContain('Checkout &lt;errors&gt; &amp; timeouts');
    expect(body.blocks[0]!.text!.text).toContain('Services: checkout-api');
  });

  it('writes PagerDuty Events API v2 trigger and resolve bodies with one dedup_key', () => {
    const trigger = notificationsFor(pageAlert('checkout-api'), model, config)[0]!.body;
    const resolve = notificationsFor(pageAlert('checkout-api', 'resolved'), model, config)[0]!.body;
    expect(pagerDutyAlertEvent.safeParse(trigger).success).toBe(true);
    expect(pagerDutyAlertEvent.safeParse(resolve).success).toBe(true);
    expect(trigger).toMatchObject({
      routing_key: 'R0UT1NGKEY',
      event_action: 'trigger',
      dedup_key: 'steadyops:f00dfeed',
      payload: { summary: 'Checkout 5xx above 2%', source: 'checkout-api', severity: 'critical', component: 'checkout-api', group: 'payments', class: 'CheckoutErrorRate', custom_details: { environment: 'production' } },
    });
    expect(resolve).toEqual({ routing_key: 'R0UT1NGKEY', event_action: 'resolve', dedup_key: 'steadyops:f00dfeed' });
  });
});
