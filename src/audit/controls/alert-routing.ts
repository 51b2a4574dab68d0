import type { ResolvedModel, ResolvedService } from '../../model/resolve.ts';
import type { AlertRuleFact } from '../facts.ts';

export type AlertRoute = NonNullable<ResolvedService['alerts']>[number];

/** Label names whose value, in a PromQL selector, names the service a query watches. */
const serviceLabels = ['service', 'app', 'job', 'app_kubernetes_io_name'];
const matcher = /\b([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|=)\s*"([^"]*)"/g;

/** Model service names a PromQL expression selects by `service="…"` (or app, job; `=~"a|b"` alternatives). */
export function servicesInExpr(model: ResolvedModel, expr: string): string[] {
  const names = new Set<string>();
  for (const [, label, operator, value] of expr.matchAll(matcher)) {
    if (!serviceLabels.includes(label!)) continue;
    for (const candidate of operator === '=~' ? value!.split('|') : [value!]) {
      if (model.services.some((service) => service.name === candidate)) names.add(candidate);
    }
  }
  return [...names].sort();
}

/** The model's route for an alertname, and the service declaring it. */
export function routeOf(model: ResolvedModel | undefined, alertname: string): { service: ResolvedService; route: AlertRoute } | undefined {
  for (const service of model?.services ?? []) {
    const route = service.alerts?.find((entry) => entry.alertname === alertname);
    if (route) return { service, route };
  }
  return undefined;
}

/** The model service an alerting rule belongs to: its `service` label, a selector in its expression, or the model route for its name. */
export function serviceOfRule(model: ResolvedModel | undefined, rule: AlertRuleFact): string | undefined {
  if (!model) return undefined;
  const label = rule.labels['service'];
  if (label !== undefined && model.services.some((service) => service.name === label)) return label;
  return servicesInExpr(model, rule.expr)[0] ?? routeOf(model, rule.alert)?.service.name;
}

/** A rule pages someone: its severity label says so, or the model routes it as a page. */
export function isPagingRule(model: ResolvedModel | undefined, rule: AlertRuleFact): boolean {
  const severity = rule.labels['severity']?.toLowerCase();
  return severity === 'page' || severity === 'critical' || routeOf(model, rule.alert)?.route.severity === 'page';
}

export function annotationOf(rule: AlertRuleFact, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = rule.annotations[name]?.trim();
    if (value) return value;
  }
  return undefined;
}

export function ruleResource(rule: AlertRuleFact): string {
  return `Alert ${rule.alert}`;
}
