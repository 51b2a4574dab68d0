import { routeAlert } from '../../incidents/alerts/route-alert.ts';
import type { ResolvedModel, ResolvedService } from '../../model/resolve.ts';
import type { Control, FindingDraft } from '../control.ts';
import type { AlertRuleFact, AuditFacts } from '../facts.ts';
import { annotationOf, isPagingRule, routeOf, ruleResource, servicesInExpr, serviceOfRule } from './alert-routing.ts';
import { byName, dataOf, environmentOfEvent, groupBy, isProductionEnvironment, last, ledgerEvents, ofType, plural, sinceText, textOf } from './ledger-history.ts';
import { modelFinding, ownerOf, productionServices } from './model-finding.ts';

const sloExample = [
  'spec:',
  '  slos:',
  '    - name: availability',
  '      objective: 99.5',
  '      sli:',
  '        ratio:',
  "          errors: 'sum(rate(http_requests_total{service=\"billing-scheduler\",code=~\"5..\"}[{{.window}}]))'",
  "          total: 'sum(rate(http_requests_total{service=\"billing-scheduler\"}[{{.window}}]))'",
].join('\n');

/** Annotations that say where the runbook is. */
export const runbookAnnotations = ['runbook_url', 'runbook', 'runbookUrl', 'runbook_link'];
/** Annotations that say what to do first (a summary or description says what is wrong, not what to do). */
export const firstActionAnnotations = ['first_action', 'firstAction', 'action', 'remediation'];
/** Alerts meant to fire all the time (Alertmanager's dead man's switch, kube-prometheus' inhibitor). */
const alwaysFiring = ['Watchdog', 'InfoInhibitor', 'DeadMansSwitch'];

function withoutSlo(facts: AuditFacts, tiers: readonly number[]): FindingDraft[] {
  return productionServices(facts)
    .filter((service) => tiers.includes(service.tier) && (service.slos?.length ?? 0) === 0)
    .map((service) =>
      modelFinding(facts, { kind: 'Service', name: service.name }, `${service.name} (tier ${service.tier}, owned by ${service.owner}) declares no spec.slos.`, {
        service: service.name,
        team: service.owner,
      }),
    );
}

function hasSlo(model: ResolvedModel, name: string): boolean {
  return (model.services.find((service) => service.name === name)?.slos?.length ?? 0) > 0;
}

function isLive(model: ResolvedModel, name: string): ResolvedService | undefined {
  return model.services.find((service) => service.name === name && service.lifecycle === 'production');
}

function ruleFinding(facts: AuditFacts, rule: AlertRuleFact, evidence: string): FindingDraft {
  const service = serviceOfRule(facts.model?.model, rule);
  const team = rule.labels['team'] ?? ownerOf(facts, service);
  return { resource: ruleResource(rule), location: rule.location, evidence, ...(service ? { service } : {}), ...(team ? { team } : {}) };
}

/** OBS: what tells the owners their service is hurting customers, and what they do then. */
export const observabilityControls: readonly Control[] = [
  {
    id: 'OBS-001',
    title: 'Tier-1 service has no SLO',
    domain: 'observability',
    severity: 'high',
    risk: 'Nobody has agreed how reliable this critical service must be, so alerts cannot tell a blip from a breach, error budgets cannot slow releases, and customer impact is found by customers.',
    detection: 'A tier-1 production Service in the ownership model without spec.slos.',
    remediation: 'Declare at least one SLO with a ratio SLI; `steadyops slo rules` then generates its recording and burn-rate alert rules.',
    example: sloExample,
    effort: 'M',
    soc2: ['CC7.2', 'A1.1'],
    needs: ['model'],
    evaluate: (facts) => withoutSlo(facts, [1]),
  },
  {
    id: 'OBS-002',
    title: 'Service has no SLO',
    domain: 'observability',
    severity: 'medium',
    risk: 'Without an objective, the error-budget check of the release gate has nothing to read and nobody can say whether the service is healthy enough to ship.',
    detection: 'A tier-2 or tier-3 production Service in the ownership model without spec.slos (tier 1 is OBS-001).',
    remediation: 'Declare an SLO for the service, even a loose one; tighten it once you have a month of data.',
    example: sloExample,
    effort: 'S',
    soc2: ['CC7.2', 'A1.1'],
    needs: ['model'],
    evaluate: (facts) => withoutSlo(facts, [2, 3]),
  },
  {
    id: 'OBS-003',
    title: "Tier-1 SLO pages no one",
    domain: 'observability',
    severity: 'high',
    risk: 'The SLO of a critical service can burn through its budget while every alert about it is a ticket: the owners learn about the outage the next working day.',
    detection: 'A tier-1 production Service with spec.slos whose model alert routes include none with severity page, and no Prometheus alerting rule attributed to it (service label, selector or route) carries severity page or critical.',
    remediation: 'Route a burn-rate alert for the SLO as a page (generate it with `steadyops slo rules`) and give it a runbook and a first action.',
    example: ['spec:', '  alerts:', '    - alertname: CheckoutApiAvailabilityBurnRate', '      severity: page', '      runbook: runbooks/checkout-api.md', '      firstAction: "Check `steadyops changes --since 30m --service checkout-api`."'].join('\n'),
    effort: 'S',
    soc2: ['CC7.2', 'CC7.3'],
    needs: ['model'],
    evaluate: (facts) =>
      productionServices(facts)
        .filter((service) => service.tier === 1 && (service.slos?.length ?? 0) > 0)
        .filter((service) => !(service.alerts ?? []).some((route) => route.severity === 'page'))
        .filter((service) => !facts.alertRules.some((rule) => serviceOfRule(facts.model?.model, rule) === service.name && isPagingRule(facts.model?.model, rule)))
        .map((service) =>
          modelFinding(
            facts,
            { kind: 'Service', name: service.name },
            `${service.name} has ${plural(service.slos!.length, 'SLO')} (${service.slos!.map((slo) => slo.name).join(', ')}) but ${plural((service.alerts ?? []).length, 'alert route')} and no alert rule at severity page.`,
            { service: service.name, team: service.owner },
          ),
        ),
  },
  {
    id: 'OBS-004',
    title: 'Alerts watch a service that has no SLO',
    domain: 'observability',
    severity: 'medium',
    risk: 'Alerts on a service without an objective fire on guessed thresholds: they page for noise and stay quiet for slow burns, and nobody can say which alerts matter.',
    detection: 'Prometheus alerting rules attributed to a production model Service (its service label, a service/app/job selector in the expression, or the model route for the alertname) whose Service declares no spec.slos; one finding per service, listing its rules.',
    remediation: 'Declare an SLO for the service and replace threshold alerts with burn-rate alerts on it (`steadyops slo rules`).',
    example: sloExample,
    effort: 'M',
    soc2: ['CC7.2'],
    needs: ['model', 'alertRules'],
    evaluate: (facts) => {
      const model = facts.model?.model;
      if (!model) return [];
      const rules = groupBy(facts.alertRules, (rule) => serviceOfRule(model, rule));
      return byName([...rules], ([name]) => name)
        .filter(([name]) => isLive(model, name) && !hasSlo(model, name))
        .map(([name, list]) => {
          const team = ownerOf(facts, name);
          return {
            resource: `Service ${name}`,
            location: list[0]!.location,
            evidence: `${plural(list.length, 'alerting rule')} (${list.map((rule) => rule.alert).join(', ')}) watch ${name}, which declares no SLO.`,
            service: name,
            ...(team ? { team } : {}),
          };
        });
    },
  },
  {
    id: 'OBS-005',
    title: 'Dashboard shows a service that has no SLO',
    domain: 'observability',
    severity: 'low',
    risk: 'A dashboard without an objective shows lines without a verdict: during an incident people argue about whether the graph looks bad instead of reading the budget.',
    detection: 'A Grafana dashboard whose panel queries select a production model Service (service, app, job label) or whose title names one, where that Service declares no spec.slos; one finding per dashboard.',
    remediation: 'Declare an SLO for the service and add its error-budget panel to the dashboard.',
    example: sloExample,
    effort: 'S',
    soc2: ['CC7.2'],
    needs: ['model', 'dashboards'],
    evaluate: (facts) => {
      const model = facts.model?.model;
      if (!model) return [];
      return facts.dashboards.flatMap((dashboard) => {
        const shown = new Set([...dashboard.panels.flatMap((panel) => panel.exprs.flatMap((expr) => servicesInExpr(model, expr))), ...servicesInTitle(model, dashboard.title)]);
        const missing = [...shown].filter((name) => isLive(model, name) && !hasSlo(model, name)).sort();
        if (missing.length === 0) return [];
        const owner = missing.length === 1 ? ownerOf(facts, missing[0]) : undefined;
        return [
          {
            resource: `Dashboard ${dashboard.title}`,
            location: dashboard.location,
            evidence: `Dashboard "${dashboard.title}" shows ${missing.join(', ')}, which ${missing.length === 1 ? 'declares' : 'declare'} no SLO.`,
            ...(missing.length === 1 ? { service: missing[0]! } : {}),
            ...(owner ? { team: owner } : {}),
          },
        ];
      });
    },
  },
  {
    id: 'OBS-006',
    title: 'Alert rule has no owner',
    domain: 'observability',
    severity: 'medium',
    risk: 'When this alert fires nobody in particular is responsible: it lands in a shared channel, everyone assumes someone else has it, and it is silenced rather than fixed.',
    detection: 'A Prometheus alerting rule with no team or owner label, no service label or selector naming a model Service, and no model alert route for its alertname.',
    remediation: 'Route the alert from the owning Service in the model (spec.alerts), or label it with the owning team.',
    example: ['- alert: QueueBacklog', '  expr: max(queue_depth{service="notification-worker"}) > 10000', '  labels:', '    severity: ticket', '    team: growth'].join('\n'),
    effort: 'S',
    soc2: ['CC7.2', 'CC7.3'],
    needs: ['alertRules'],
    evaluate: (facts) =>
      facts.alertRules
        .filter((rule) => !rule.labels['team'] && !rule.labels['owner'] && serviceOfRule(facts.model?.model, rule) === undefined)
        .map((rule) =>
          ruleFinding(facts, rule, `${rule.alert} (group ${rule.group}) has no team or owner label, no service the model knows, and no model alert route.`),
        ),
  },
  {
    id: 'OBS-007',
    title: 'Alert rule has no runbook',
    domain: 'observability',
    severity: 'medium',
    risk: 'The responder paged by this alert has nothing to read: diagnosis starts from scratch at 3 a.m. and depends on who happens to be on call.',
    detection: `A Prometheus alerting rule (severity not info or none) without a ${runbookAnnotations.join(', ')} annotation and without a model alert route that names a runbook for its alertname.`,
    remediation: 'Add a runbook_url annotation, or route the alert in the model with its runbook.',
    example: ['- alert: CheckoutHighErrorRate', '  annotations:', '    runbook_url: https://github.com/northwind/ops/blob/main/runbooks/checkout-api.md'].join('\n'),
    effort: 'S',
    soc2: ['CC7.4'],
    needs: ['alertRules'],
    evaluate: (facts) =>
      facts.alertRules
        .filter((rule) => !['info', 'none'].includes(rule.labels['severity']?.toLowerCase() ?? ''))
        .filter((rule) => !annotationOf(rule, runbookAnnotations) && !routeOf(facts.model?.model, rule.alert)?.route.runbook)
        .map((rule) => ruleFinding(facts, rule, `${rule.alert} (group ${rule.group}) has no runbook annotation and no model route with a runbook.`)),
  },
  {
    id: 'OBS-008',
    title: 'Paging alert rule has no first action',
    domain: 'observability',
    severity: 'medium',
    risk: 'The person woken up knows what is wrong but not what to do first: minutes go into orienting before anyone mitigates, while customers wait.',
    detection: `A Prometheus alerting rule that pages (severity label page or critical, or a model route at severity page) with no model route firstAction and no ${firstActionAnnotations.join(', ')} annotation. A summary or description says what is wrong, not what to do, so it does not count.`,
    remediation: 'Write the first safe step (roll back, fail over, switch a flag off) in the model route, or as a first_action annotation.',
    example: ['spec:', '  alerts:', '    - alertname: PaymentsAuthorisationErrors', '      severity: page', '      firstAction: "Check the acquirer status page, then fail over to the secondary acquirer."'].join('\n'),
    effort: 'S',
    soc2: ['CC7.4'],
    needs: ['alertRules'],
    evaluate: (facts) =>
      facts.alertRules
        .filter((rule) => isPagingRule(facts.model?.model, rule))
        .filter((rule) => !annotationOf(rule, firstActionAnnotations) && !routeOf(facts.model?.model, rule.alert)?.route.firstAction?.trim())
        .map((rule) => ruleFinding(facts, rule, `${rule.alert} (group ${rule.group}) pages but neither a model route firstAction nor a first_action annotation says what to do first.`)),
  },
  {
    id: 'OBS-009',
    title: 'Alert fires in production but no service routes it',
    domain: 'observability',
    severity: 'medium',
    risk: 'An alert keeps firing that the ownership model does not know: no runbook, no first action and no owner stand behind it, and the release gate cannot weigh it.',
    detection: `Production dev.steadyops.alert.firing events in the ledger whose alertname no Service in the model routes (spec.alerts); ${alwaysFiring.join(', ')} are ignored. One finding per alertname with its count.`,
    remediation: 'Route the alert from its owning Service with severity, runbook and first action, or delete the rule if nobody acts on it.',
    example: ['spec:', '  alerts:', '    - { alertname: KafkaConsumerLag, severity: ticket, runbook: runbooks/notification-worker.md }'].join('\n'),
    effort: 'S',
    soc2: ['CC7.2', 'CC7.3'],
    needs: ['model', 'ledger'],
    evaluate: (facts) => {
      const model = facts.model?.model;
      const firing = ofType(ledgerEvents(facts), 'dev.steadyops.alert.firing').filter((event) => isProductionEnvironment(model, environmentOfEvent(event)));
      const unrouted = groupBy(firing, (event) => {
        const alertname = textOf(dataOf(event), 'alertname');
        return alertname && !alwaysFiring.includes(alertname) && !routeOf(model, alertname) ? alertname : undefined;
      });
      return byName([...unrouted], ([name]) => name).map(([alertname, events]) => {
        const service = textOf(dataOf(last(events)!), 'service') ?? last(events)!.subject;
        const team = ownerOf(facts, service);
        return {
          resource: `Alert ${alertname}`,
          evidence: `${alertname} fired ${plural(events.length, 'time')} ${sinceText(facts)}${service ? ` (latest on ${service})` : ''}, last at ${last(events)!.time}; no Service in the model routes it.`,
          ...(service && model?.services.some((entry) => entry.name === service) ? { service } : {}),
          ...(team ? { team } : {}),
        };
      });
    },
  },
  {
    id: 'OBS-010',
    title: 'Paging alert fired in production without owner, runbook or first action',
    domain: 'observability',
    severity: 'medium',
    risk: 'The alert really woke someone, but routing it through the model finds no owning team, no runbook or no first action: the page went to whoever happened to see it, with nothing to go on.',
    detection: `Production dev.steadyops.alert.firing events at severity page or critical (the model route's severity first), routed the way \`steadyops alerts\` routes them (service, owner, model route, then the ${runbookAnnotations[0]} and first_action annotations), that lack an owner, a runbook or a first action; ${alwaysFiring.join(', ')} are ignored. One finding per alertname.`,
    remediation: 'Route the alert from its owning Service with a runbook and a first action (`steadyops alerts --gaps` lists what each alert lacks).',
    example: ['spec:', '  alerts:', '    - alertname: PaymentsAuthorisationErrors', '      severity: page', '      runbook: runbooks/payments-gateway.md', '      firstAction: "Check the acquirer status page, then fail over to the secondary acquirer."'].join('\n'),
    effort: 'S',
    soc2: ['CC7.3', 'CC7.4'],
    needs: ['model', 'ledger'],
    evaluate: (facts) => {
      const model = facts.model?.model;
      if (!model) return [];
      const pages = ofType(ledgerEvents(facts), 'dev.steadyops.alert.firing')
        .filter((event) => isProductionEnvironment(model, environmentOfEvent(event)))
        .map((event) => ({ event, routing: routeAlert(event, model) }))
        .filter(({ routing }) => ['page', 'critical'].includes(routing.severity.toLowerCase()) && routing.missing.length > 0 && !alwaysFiring.includes(routing.alertname));
      const byAlert = groupBy(pages, ({ routing }) => routing.alertname);
      return byName([...byAlert], ([name]) => name).map(([alertname, list]) => {
        const { event, routing } = last(list)!;
        return {
          resource: `Alert ${alertname}`,
          evidence: `${alertname} paged ${plural(list.length, 'time')} in production ${sinceText(facts)}, last at ${event.time}; routed through the model it has no ${routing.missing.map((part) => (part === 'firstAction' ? 'first action' : part)).join(', no ')}.`,
          ...(routing.service ? { service: routing.service } : {}),
          ...(routing.team ? { team: routing.team } : {}),
        };
      });
    },
  },
];

function servicesInTitle(model: ResolvedModel, title: string): string[] {
  const lower = title.toLowerCase();
  return model.services
    .filter((service) => new RegExp(`(^|[^a-z0-9-])${service.name}($|[^a-z0-9-])`).test(lower))
    .map((service) => service.name);
}
