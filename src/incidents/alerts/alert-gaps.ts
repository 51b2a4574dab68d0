import type { ResolvedModel } from '../../model/resolve.ts';
import { routeAlertFacts, type Missing, type RoutedAlert } from './route-alert.ts';

/** A Prometheus alerting rule as the repository declares it (the audit's rule readers produce these). */
export interface AlertRule {
  readonly alert: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly location?: { readonly file: string; readonly line?: number };
}

export type GapSource = 'ledger' | 'rule' | 'model';

/** An alert that cannot reach someone who knows what to do, and what it lacks. */
export interface AlertGap {
  readonly alertname: string;
  readonly source: GapSource;
  /** every place the gap was seen: the model route, a rule file, the ledger */
  readonly sources?: readonly GapSource[];
  readonly missing: readonly Missing[];
  readonly service?: string;
  readonly team?: string;
  readonly severity: string;
  /** `file:line` of the rule, or the model service declaring the route */
  readonly where?: string;
}

function ruleGap(rule: AlertRule, model: ResolvedModel, at: Date): AlertGap {
  const routing = routeAlertFacts({ alertname: rule.alert, severity: rule.labels['severity'], labels: rule.labels, annotations: rule.annotations }, model, at);
  const where = rule.location ? `${rule.location.file}${rule.location.line ? `:${rule.location.line}` : ''}` : undefined;
  return {
    alertname: rule.alert,
    source: 'rule',
    missing: routing.missing,
    severity: routing.severity,
    ...(routing.service ? { service: routing.service } : {}),
    ...(routing.team ? { team: routing.team } : {}),
    ...(where ? { where } : {}),
  };
}

function modelGaps(model: ResolvedModel, at: Date): AlertGap[] {
  return model.services.flatMap((service) =>
    (service.alerts ?? []).map((route) => {
      const routing = routeAlertFacts({ alertname: route.alertname, service: service.name, labels: {}, annotations: {} }, model, at);
      return {
        alertname: route.alertname,
        source: 'model' as const,
        missing: routing.missing,
        severity: routing.severity,
        service: service.name,
        ...(routing.team ? { team: routing.team } : {}),
        where: `Service ${service.name} spec.alerts`,
      };
    }),
  );
}

function ledgerGaps(alerts: readonly RoutedAlert[]): AlertGap[] {
  const seen = new Set<string>();
  return alerts.flatMap((alert) => {
    const key = `${alert.alertname}\u0000${alert.service ?? ''}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [
      {
        alertname: alert.alertname,
        source: 'ledger' as const,
        missing: alert.missing,
        severity: alert.severity,
        ...(alert.service ? { service: alert.service } : {}),
        ...(alert.team ? { team: alert.team } : {}),
      },
    ];
  });
}

/**
 * Alerts that lack an owner, a runbook or a first action: those the model routes, those the rule files
 * declare and those that fired (from the ledger). One gap per alertname, from the first of model, rule,
 * ledger that has it, with every source it was seen in; sorted by name.
 */
export function alertGaps(input: { alerts: readonly RoutedAlert[]; rules: readonly AlertRule[]; model: ResolvedModel; at: Date }): AlertGap[] {
  const all = [...modelGaps(input.model, input.at), ...input.rules.map((rule) => ruleGap(rule, input.model, input.at)), ...ledgerGaps(input.alerts)];
  const byName = new Map<string, AlertGap>();
  for (const gap of all.filter((entry) => entry.missing.length > 0)) {
    const first = byName.get(gap.alertname);
    if (!first) byName.set(gap.alertname, { ...gap, sources: [gap.source] });
    else if (!first.sources!.includes(gap.source)) byName.set(gap.alertname, { ...first, sources: [...first.sources!, gap.source] });
  }
  return [...byName.values()].sort((left, right) => left.alertname.localeCompare(right.alertname));
}
