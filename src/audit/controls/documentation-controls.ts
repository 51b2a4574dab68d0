import { describeChange } from '../../changes/describe-change.ts';
import type { ResolvedService } from '../../model/resolve.ts';
import type { Control, FindingDraft } from '../control.ts';
import type { AuditFacts } from '../facts.ts';
import { byName, groupBy, last, plural, sinceText, typeCounts } from './ledger-history.ts';
import { manualChanges } from './manual-changes.ts';
import { modelFinding, ownerOf, productionServices } from './model-finding.ts';

/** A runbook reference in the repository (not a URL), without `./` and `#anchor`. */
export function runbookPath(reference: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(reference)) return undefined;
  return reference.replace(/#.*$/, '').replace(/^\.?\//, '');
}

/** Every runbook reference of a service: its runbooks and its alert routes. */
function runbookReferences(service: ResolvedService): Array<{ path: string; from: string }> {
  const fromRunbooks = (service.runbooks ?? []).flatMap((runbook) => (runbook.path ? [{ path: runbook.path, from: `runbook "${runbook.name}"` }] : []));
  const fromRoutes = (service.alerts ?? []).flatMap((route) => (route.runbook ? [{ path: route.runbook, from: `alert ${route.alertname}` }] : []));
  return [...fromRunbooks, ...fromRoutes].flatMap((reference) => {
    const path = runbookPath(reference.path);
    return path ? [{ path, from: reference.from }] : [];
  });
}

function missingRunbooks(facts: AuditFacts): FindingDraft[] {
  const present = new Set(facts.runbooks.map((file) => file.replace(/^\.?\//, '')));
  return (facts.model?.model.services ?? []).flatMap((service) => {
    const missing = groupBy(
      runbookReferences(service).filter((reference) => !present.has(reference.path)),
      (reference) => reference.path,
    );
    return [...missing].map(([path, references]) =>
      modelFinding(
        facts,
        { kind: 'Service', name: service.name, resource: `Service ${service.name} runbook ${path}` },
        `${service.name} points its ${references.map((reference) => reference.from).join(', ')} at ${path}, which is not in the repository.`,
        { service: service.name, team: service.owner },
      ),
    );
  });
}

/** DOC: what responders read, and what the record says about every change. */
export const documentationControls: readonly Control[] = [
  {
    id: 'DOC-001',
    title: 'Model points to a runbook that does not exist',
    domain: 'documentation',
    severity: 'medium',
    risk: 'The alert links the responder to a runbook file that was moved or never written: the link 404s at the moment it is needed.',
    detection: 'A repository path (not a URL) in a Service\'s spec.runbooks[].path or spec.alerts[].runbook that is not among the runbook files the scan found (Markdown files in runbook folders); one finding per service and path.',
    remediation: 'Write the runbook at that path, or fix the path in the model.',
    example: ['spec:', '  runbooks:', '    - { name: Checkout API, path: runbooks/checkout-api.md }'].join('\n'),
    effort: 'S',
    soc2: ['CC7.4'],
    needs: ['model'],
    evaluate: missingRunbooks,
  },
  {
    id: 'DOC-002',
    title: 'Paging alert route has no runbook or no first action',
    domain: 'documentation',
    severity: 'medium',
    risk: 'A page wakes someone with no runbook to read or no first step to take: response depends on memory and on who is on call.',
    detection: 'A Service alert route (spec.alerts) with severity page that lacks a runbook or a firstAction.',
    remediation: 'Give every paging route both: the runbook to read and the first safe action to take.',
    example: ['spec:', '  alerts:', '    - alertname: LedgerPostingFailures', '      severity: page', '      runbook: runbooks/ledger-service.md', '      firstAction: "Stop the billing-scheduler CronJob, then check core-postgres locks."'].join('\n'),
    effort: 'S',
    soc2: ['CC7.4'],
    needs: ['model'],
    evaluate: (facts) =>
      productionServices(facts).flatMap((service) =>
        (service.alerts ?? [])
          .filter((route) => route.severity === 'page')
          .flatMap((route) => {
            const missing = [route.runbook ? undefined : 'runbook', route.firstAction?.trim() ? undefined : 'firstAction'].filter((part) => part !== undefined);
            if (missing.length === 0) return [];
            return [
              modelFinding(
                facts,
                { kind: 'Service', name: service.name, resource: `Alert route ${service.name}/${route.alertname}` },
                `${service.name} pages on ${route.alertname} without ${missing.join(' or ')}.`,
                { service: service.name, team: service.owner },
              ),
            ];
          }),
      ),
  },
  {
    id: 'DOC-003',
    title: 'Tier-1 service has no runbook',
    domain: 'documentation',
    severity: 'medium',
    risk: 'Nobody has written down how to diagnose, roll back or fail over this critical service: recovery depends on the one person who knows.',
    detection: 'A tier-1 production Service with no spec.runbooks entry and no alert route naming a runbook.',
    remediation: 'Write a runbook (symptoms, dashboards, rollback, failover, escalation) and reference it from the service.',
    example: ['spec:', '  runbooks:', '    - { name: Payments gateway, path: runbooks/payments-gateway.md }'].join('\n'),
    effort: 'M',
    soc2: ['CC7.4', 'CC7.5'],
    needs: ['model'],
    evaluate: (facts) =>
      productionServices(facts)
        .filter((service) => service.tier === 1 && (service.runbooks ?? []).length === 0 && !(service.alerts ?? []).some((route) => route.runbook))
        .map((service) =>
          modelFinding(facts, { kind: 'Service', name: service.name }, `${service.name} (tier 1, owned by ${service.owner}) has no runbook, neither in spec.runbooks nor on an alert route.`, {
            service: service.name,
            team: service.owner,
          }),
        ),
  },
  {
    id: 'DOC-004',
    title: 'Manual production changes without a change record',
    domain: 'documentation',
    severity: 'high',
    risk: 'Someone changed production configuration, infrastructure or a workload by hand: the fix is undocumented, unreviewed and will be overwritten by the next deploy, and nobody can tell what changed when the next incident starts.',
    detection:
      'Production dev.steadyops.config.changed and dev.steadyops.infra.applied events, and workload changes recorded by the Kubernetes watcher (actor system:kubernetes), that name no commit, url, changeId, ticket or pullRequest and have no deploy, rollback, rollout, gate decision, release approval, merge, reported change or release-branch pipeline run for the same service (and environment) from 2h before to 30m after. One finding per service and environment, with counts and the latest example.',
    remediation: 'Make the change through the pipeline (GitOps or a deploy), or record it: a change.reported event with a ticket, or the commit it came from.',
    example: [
      'kubectl -n payments annotate configmap checkout-api steadyops.dev/change=CHG-1042   # then apply from git:',
      'git commit -am "Raise HTTP_TIMEOUT_MS for checkout-api (CHG-1042)" && git push   # the deploy records it',
    ].join('\n'),
    effort: 'M',
    soc2: ['CC8.1', 'CC7.1'],
    needs: ['ledger'],
    evaluate: (facts) => {
      const groups = groupBy(manualChanges(facts), (change) => `${change.target}\u0000${change.environment}`);
      return byName([...groups], ([key]) => key).map(([, changes]) => {
        const latest = last(changes)!;
        const team = ownerOf(facts, latest.service);
        return {
          resource: `Changes to ${latest.target} in ${latest.environment}`,
          evidence: `${plural(changes.length, 'change')} to ${latest.target} in ${latest.environment} ${sinceText(facts)} with no deploy, pipeline run or change record around ${changes.length === 1 ? 'it' : 'them'} (${typeCounts(changes.map((change) => change.event))}); latest: ${describeChange(latest.event)} by ${latest.event.actor} at ${latest.event.time}.`,
          ...(latest.service && team ? { service: latest.service } : {}),
          ...(team ? { team } : {}),
        };
      });
    },
  },
];
