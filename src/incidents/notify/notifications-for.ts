import type { LedgerEvent } from '../../ledger/types.ts';
import { findService, findTeam, type ResolvedModel } from '../../model/resolve.ts';
import { chatMessage, type ChatMessage } from './chat-message.ts';
import type { NotifyConfig } from './notify-config.ts';

export type NotificationChannel = 'chat' | 'pagerduty';

/** One message to send: where, and what. `target` names it in the ledger (a team, `pagerduty`, `unowned`), never the URL. */
export interface Delivery {
  readonly channel: NotificationChannel;
  readonly target: string;
  readonly url: string;
  readonly body: unknown;
}

/** Alerts that page someone. */
const pageSeverities = new Set(['page', 'critical']);

type Data = Readonly<Record<string, unknown>>;

function dataOf(event: LedgerEvent): Data {
  return typeof event.data === 'object' && event.data !== null && !Array.isArray(event.data) ? (event.data as Data) : {};
}

function text(data: Data, key: string): string | undefined {
  const value = data[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The notifications a ledger event calls for. Pure. Incident declared, a severity change, resolved: the chat of
 * each team owning the incident's services. A page alert (severity page or critical) firing or resolving:
 * PagerDuty when configured, and, for a service nobody owns, the unowned-alerts chat.
 */
export function notificationsFor(event: LedgerEvent, model: ResolvedModel | undefined, config: NotifyConfig = {}): Delivery[] {
  switch (event.type) {
    case 'dev.steadyops.incident.declared':
    case 'dev.steadyops.incident.resolved':
      return toTeamChats(event, model);
    case 'dev.steadyops.incident.updated':
      return text(dataOf(event), 'severity') ? toTeamChats(event, model) : [];
    case 'dev.steadyops.alert.firing':
    case 'dev.steadyops.alert.resolved':
      return isPage(event) ? pageAlertDeliveries(event, model, config) : [];
    default:
      return [];
  }
}

function toTeamChats(event: LedgerEvent, model: ResolvedModel | undefined): Delivery[] {
  const data = dataOf(event);
  const services = Array.isArray(data.services) ? data.services.filter((name): name is string => typeof name === 'string') : event.subject ? [event.subject] : [];
  const teams = [...new Set(services.map((service) => (model ? findService(model, service)?.owner : undefined)).filter((team): team is string => team !== undefined))];
  const message = incidentMessage(event, data, services);
  return teams.flatMap((name) => {
    const url = teamChatUrl(model, name);
    return url ? [{ channel: 'chat' as const, target: name, url, body: message }] : [];
  });
}

/** RFC 2606 names (the demo's `northwindpay.slack.example`) never resolve: no point sending there. */
const reservedHost = /\.(example|invalid)$/i;

/** A team's Slack-compatible webhook, unless it points at a reserved example domain. */
export function teamChatUrl(model: ResolvedModel | undefined, team: string): string | undefined {
  const url = model ? findTeam(model, team)?.chat?.url : undefined;
  if (url === undefined) return undefined;
  try {
    return reservedHost.test(new URL(url).hostname) ? undefined : url;
  } catch {
    return undefined;
  }
}

function incidentMessage(event: LedgerEvent, data: Data, services: readonly string[]): ChatMessage {
  const id = text(data, 'incidentId') ?? '(no id)';
  const severity = text(data, 'severity');
  const serviceList = services.join(', ');
  switch (event.type) {
    case 'dev.steadyops.incident.declared':
      return chatMessage(`Incident ${id} declared (${severity ?? 'no severity'}): ${text(data, 'title') ?? ''}`, [
        ['Services', serviceList],
        ['Environment', text(data, 'environment')],
        ['Commander', text(data, 'commander')],
        ['Summary', text(data, 'summary')],
      ], event);
    case 'dev.steadyops.incident.updated':
      return chatMessage(`Incident ${id} is now ${severity}`, [['Update', text(data, 'message')], ['Status', text(data, 'status')], ['Services', serviceList]], event);
    default:
      return chatMessage(`Incident ${id} resolved`, [['Summary', text(data, 'summary')], ['Services', serviceList]], event);
  }
}

function isPage(event: LedgerEvent): boolean {
  const severity = text(dataOf(event), 'severity');
  // an alert PagerDuty itself sent us is not sent back to it
  return severity !== undefined && pageSeverities.has(severity.toLowerCase()) && !event.source.startsWith('/pagerduty/');
}

function pageAlertDeliveries(event: LedgerEvent, model: ResolvedModel | undefined, config: NotifyConfig): Delivery[] {
  const data = dataOf(event);
  const service = text(data, 'service') ?? event.subject;
  const owner = service && model ? findService(model, service)?.owner : undefined;
  const firing = event.type === 'dev.steadyops.alert.firing';
  const unowned =
    !owner && firing && config.unownedChatUrl
      ? [{ channel: 'chat' as const, target: 'unowned', url: config.unownedChatUrl, body: unownedAlertMessage(event, data, service) }]
      : [];
  const pagerduty = config.pagerduty
    ? [{ channel: 'pagerduty' as const, target: 'pagerduty', url: config.pagerduty.url, body: pagerDutyBody(event, data, config.pagerduty.routingKey, service, owner) }]
    : [];
  return [...unowned, ...pagerduty];
}

function unownedAlertMessage(event: LedgerEvent, data: Data, service: string | undefined): ChatMessage {
  return chatMessage(`Page alert ${text(data, 'alertname') ?? '(unnamed)'} is firing and nobody owns ${service ?? 'its service'}`, [
    ['Service', service ? `${service} (not in the ownership model)` : '(the alert names none)'],
    ['Environment', text(data, 'environment')],
    ['Summary', annotation(data, 'summary')],
  ], event);
}

function annotation(data: Data, key: string): string | undefined {
  const annotations = data.annotations;
  return typeof annotations === 'object' && annotations !== null ? text(annotations as Data, key) : undefined;
}

/** PagerDuty Events API v2: a trigger for a firing alert, a resolve with the same dedup_key when it resolves. */
export function pagerDutyBody(event: LedgerEvent, data: Data, routingKey: string, service: string | undefined, team: string | undefined): Record<string, unknown> {
  const dedupKey = `steadyops:${(text(data, 'fingerprint') ?? `${text(data, 'alertname')}:${service ?? ''}`).slice(0, 200)}`;
  if (event.type === 'dev.steadyops.alert.resolved') return { routing_key: routingKey, event_action: 'resolve', dedup_key: dedupKey };
  const alertname = text(data, 'alertname') ?? 'alert';
  const summary = annotation(data, 'summary') ?? `${alertname} firing${service ? ` on ${service}` : ''}${text(data, 'environment') ? ` in ${text(data, 'environment')}` : ''}`;
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey,
    client: 'steadyops',
    payload: {
      summary: summary.slice(0, 1024),
      source: service ?? 'steadyops',
      severity: 'critical',
      timestamp: text(data, 'startsAt') ?? event.time,
      ...(service ? { component: service } : {}),
      ...(team ? { group: team } : {}),
      class: alertname,
      custom_details: {
        alertname,
        severity: text(data, 'severity'),
        ...(text(data, 'environment') ? { environment: text(data, 'environment') } : {}),
        owner: team ?? 'nobody (not in the ownership model)',
        labels: data.labels ?? {},
        ledgerSeq: event.seq,
      },
    },
    ...(text(data, 'generatorURL') ? { links: [{ href: text(data, 'generatorURL'), text: 'Alert source' }] } : {}),
  };
}
