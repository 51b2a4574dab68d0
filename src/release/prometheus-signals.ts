import type { PrometheusAlert } from '../connectors/prometheus/prometheus-client.ts';
import type { FiringAlert } from './types.ts';

/**
 * Pure: the alerts Prometheus' rules have firing, as gate signals. The service comes from the
 * `service` label (the label `slo rules` puts on every SLO alert), the severity from `severity`.
 */
export function prometheusAlertSignals(alerts: readonly PrometheusAlert[]): FiringAlert[] {
  return alerts
    .filter((alert) => alert.state === 'firing')
    .map((alert) => ({
      alertname: alert.labels.alertname ?? '(unnamed)',
      severity: alert.labels.severity ?? 'none',
      service: alert.labels.service ?? '',
      startsAt: alert.activeAt ?? '',
    }));
}
