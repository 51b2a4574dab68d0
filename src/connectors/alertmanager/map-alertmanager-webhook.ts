import type { EventToAppend } from '../../ledger/types.ts';
import type { SubjectResolver } from '../resolve-subject.ts';
import { isZeroTime, type AlertmanagerAlert, type AlertmanagerWebhook } from './alertmanager-webhook.ts';

/** A label key whose value names the service, or a namespace + deployment label pair. */
export type SubjectLabelRule = string | { readonly namespace: string; readonly deployment: string };

/** Tried in order; the first label that resolves to a subject wins. */
export const defaultSubjectLabels: readonly SubjectLabelRule[] = [
  'service',
  'job',
  { namespace: 'namespace', deployment: 'deployment' },
];

export const alertmanagerActor = 'system:alertmanager';

export interface AlertmanagerMappingOptions {
  readonly resolve: SubjectResolver;
  readonly subjectLabels?: readonly SubjectLabelRule[];
}

/**
 * Pure: one event per alert of the notification (Alertmanager groups them; the ledger does not).
 * The id `fingerprint:startsAt:status` is the same on every repeat of a notification, so
 * Alertmanager's re-sends are acknowledged as duplicates instead of stored again.
 */
export function mapAlertmanagerWebhook(webhook: AlertmanagerWebhook, options: AlertmanagerMappingOptions): EventToAppend[] {
  const source = `/alertmanager/${sourceName(webhook)}`;
  const rules = options.subjectLabels ?? defaultSubjectLabels;
  return webhook.alerts.map((alert) => {
    const subject = subjectOf(alert.labels, rules, options.resolve);
    return {
      actor: alertmanagerActor,
      event: {
        specversion: '1.0',
        id: `${alert.fingerprint}:${alert.startsAt}:${alert.status}`,
        source,
        type: alert.status === 'firing' ? 'dev.steadyops.alert.firing' : 'dev.steadyops.alert.resolved',
        ...(subject === undefined ? {} : { subject }),
        time: alert.status === 'resolved' && alert.endsAt ? alert.endsAt : alert.startsAt,
        datacontenttype: 'application/json',
        data: alertData(alert, webhook, subject),
      },
    };
  });
}

function alertData(alert: AlertmanagerAlert, webhook: AlertmanagerWebhook, subject: string | undefined) {
  const environment = alert.labels['environment'] ?? alert.labels['env'];
  return {
    alertname: alert.labels['alertname'] || '(unnamed)',
    fingerprint: alert.fingerprint,
    severity: alert.labels['severity'] || 'none',
    labels: alert.labels,
    annotations: alert.annotations,
    startsAt: alert.startsAt,
    ...(alert.endsAt && !isZeroTime(alert.endsAt) ? { endsAt: alert.endsAt } : {}),
    ...(subject === undefined ? {} : { service: subject }),
    ...(environment ? { environment } : {}),
    ...(alert.generatorURL && URL.canParse(alert.generatorURL) ? { generatorURL: alert.generatorURL } : {}),
    receiver: webhook.receiver,
    groupKey: webhook.groupKey,
  };
}

/** The Alertmanager's host (several Alertmanagers stay apart), else the receiver name. */
export function sourceName(webhook: Pick<AlertmanagerWebhook, 'externalURL' | 'receiver'>): string {
  const host = URL.canParse(webhook.externalURL) ? new URL(webhook.externalURL).host : '';
  return host || encodeURIComponent(webhook.receiver);
}

export function subjectOf(
  labels: Readonly<Record<string, string>>,
  rules: readonly SubjectLabelRule[],
  resolve: SubjectResolver,
): string | undefined {
  for (const rule of rules) {
    const subject =
      typeof rule === 'string'
        ? labels[rule] && resolve({ name: labels[rule] })
        : labels[rule.deployment] && resolve({ deployment: labels[rule.deployment], namespace: labels[rule.namespace] });
    if (subject) return subject;
  }
  return undefined;
}
