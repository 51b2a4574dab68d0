import { stringify } from 'yaml';
import { parseDuration } from '../lib/duration.ts';
import type { ResolvedModel, ResolvedService } from '../model/resolve.ts';
import { windowPlaceholder } from '../model/check-promql.ts';
import {
  type AlertSeverity,
  type BurnWindow,
  burnThreshold,
  burnWindows,
  errorBudget,
  promDuration,
} from './burn-rate.ts';

type Slo = NonNullable<ResolvedService['slos']>[number];

export interface RecordingRule {
  record: string;
  expr: string;
  labels: Record<string, string>;
}

export interface AlertingRule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  rules: Array<RecordingRule | AlertingRule>;
}

export interface RuleFile {
  groups: RuleGroup[];
}

/** How long a burn must hold before the alert fires; the short window already guards against blips. */
const alertFor: Record<AlertSeverity, string> = { page: '2m', ticket: '15m' };

/** Prometheus rule file (YAML) for every SLO in the model: one group per SLO, services sorted by name. */
export function generateRules(model: ResolvedModel): string {
  // lineWidth 0: never fold long PromQL expressions
  return stringify(buildRuleFile(model), { lineWidth: 0 });
}

export function buildRuleFile(model: ResolvedModel): RuleFile {
  const services = [...model.services].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { groups: services.flatMap((service) => (service.slos ?? []).map((slo) => sloGroup(service, slo))) };
}

export function sloGroup(service: ResolvedService, slo: Slo): RuleGroup {
  const periodMs = parseDuration(slo.period);
  const windows = burnWindows(periodMs);
  const labels = sloLabels(service, slo);
  const ranges = distinctRanges(windows, periodMs);
  const recordings: RecordingRule[] = ranges.map((ms) => ({
    record: errorRatioName(ms),
    expr: errorRatioExpr(slo, promDuration(ms)),
    labels,
  }));
  recordings.push({ record: 'slo:objective:ratio', expr: `vector(${Number((slo.objective / 100).toPrecision(12))})`, labels });
  recordings.push({ record: 'slo:error_budget:ratio', expr: `vector(${errorBudget(slo.objective)})`, labels });
  const alerts = (['page', 'ticket'] as const).map((severity) =>
    burnAlert(service, slo, labels, windows.filter((window) => window.severity === severity), severity),
  );
  return { name: `slo:${service.name}:${slo.name}`, rules: [...recordings, ...alerts] };
}

function sloLabels(service: ResolvedService, slo: Slo): Record<string, string> {
  return { service: service.name, slo: slo.name, owner: service.owner, tier: String(service.tier) };
}

/** Every burn window plus the whole period (for budget remaining), shortest first. */
export function distinctRanges(windows: readonly BurnWindow[], periodMs: number): number[] {
  const all = new Set<number>([periodMs]);
  for (const window of windows) {
    all.add(window.shortMs);
    all.add(window.longMs);
  }
  return [...all].sort((a, b) => a - b);
}

export function errorRatioName(ms: number): string {
  return `slo:sli_error:ratio_rate${promDuration(ms)}`;
}

function errorRatioExpr(slo: Slo, range: string): string {
  const { errors, good, total } = slo.sli.ratio;
  const totalExpr = total.replace(windowPlaceholder, range);
  if (errors !== undefined) return `(${errors.replace(windowPlaceholder, range)}) / (${totalExpr})`;
  return `1 - ((${(good ?? '').replace(windowPlaceholder, range)}) / (${totalExpr}))`;
}

function burnAlert(
  service: ResolvedService,
  slo: Slo,
  labels: Record<string, string>,
  windows: readonly BurnWindow[],
  severity: AlertSeverity,
): AlertingRule {
  const selector = `{service="${service.name}",slo="${slo.name}"}`;
  const conditions = windows.map((window) => {
    const threshold = burnThreshold(window.factor, slo.objective);
    return (
      `(${errorRatioName(window.longMs)}${selector} > ${threshold}` +
      ` and ${errorRatioName(window.shortMs)}${selector} > ${threshold})`
    );
  });
  const alert = alertName(service.name, slo.name);
  const runbook = runbookFor(service, alert, severity);
  const budgetShare = windows.map((window) => `${window.factor}x over ${promDuration(window.longMs)}`).join(' or ');
  return {
    alert,
    expr: conditions.join(' or '),
    for: alertFor[severity],
    labels: { ...labels, severity },
    annotations: {
      summary: `${service.name} is burning the error budget of SLO ${slo.name} (${slo.objective}% over ${slo.period})`,
      description:
        `The ${slo.name} error ratio burns the budget faster than ${budgetShare}` +
        ` (long and short window both above the threshold). Owner: ${service.owner}.`,
      ...(runbook !== undefined ? { runbook_url: runbook } : {}),
    },
  };
}

/** e.g. checkout-api + availability -> CheckoutApiAvailabilityBudgetBurn (a valid metric name). */
export function alertName(service: string, slo: string): string {
  const pascal = `${service}-${slo}`
    .split('-')
    .filter((part) => part !== '')
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join('');
  return `${/^\d/.test(pascal) ? 'Slo' : ''}${pascal}BudgetBurn`;
}

/** The route for this very alert, else a route of the same severity, else the service's first runbook. */
function runbookFor(service: ResolvedService, alert: string, severity: AlertSeverity): string | undefined {
  const routes = (service.alerts ?? []).filter((route) => route.runbook !== undefined);
  const route =
    routes.find((candidate) => candidate.alertname === alert && (candidate.severity ?? severity) === severity) ??
    routes.find((candidate) => candidate.severity === severity);
  if (route?.runbook !== undefined) return route.runbook;
  const first = service.runbooks?.[0];
  return first?.url ?? first?.path;
}
