import type { LedgerEvent } from '../../ledger/types.ts';
import type { ResolvedReleasePolicy, ResolvedService } from '../../model/resolve.ts';
import type { ReleaseCheck } from '../../model/schema.ts';
import type { Control, FindingDraft } from '../control.ts';
import type { AuditFacts } from '../facts.ts';
import {
  HOUR_MS,
  byName,
  dataOf,
  environmentOfEvent,
  groupBy,
  last,
  ledgerEvents,
  ofType,
  plural,
  productionDeploys,
  serviceOf,
  sinceText,
  textOf,
  timeOf,
  type DeployRecord,
} from './ledger-history.ts';
import { modelFinding, ownerOf, productionServices } from './model-finding.ts';

/** A gate decision counts for a deploy that starts within this long after it. */
export const gateValidityMs = 6 * HOUR_MS;
/** REL-007: at least this many attributed production deploys ... */
export const minAttributedDeploys = 5;
/** ... of which one person ran at least this share. */
export const onePersonShare = 0.7;
/** REL-009: this many overrides of one service's gate in the window is routine. */
export const routineOverrides = 3;

const gateExample = [
  '# .github/workflows/deploy.yml, before the production deploy step',
  '- name: Release gate',
  '  run: steadyops gate check --service checkout-api --env production --release "${{ github.ref_name }}" --format github',
].join('\n');

function policyOf(facts: AuditFacts, service: ResolvedService): ResolvedReleasePolicy | undefined {
  return facts.model?.model.releasePolicies.find((policy) => policy.name === service.releasePolicy);
}

/** As the gate decides it: a check is enforced unless it or its policy is in shadow. */
function isEnforced(policy: ResolvedReleasePolicy, check: ReleaseCheck): boolean {
  return policy.mode !== 'shadow' && check.mode !== 'shadow';
}

function enforces(policy: ResolvedReleasePolicy, type: ReleaseCheck['type']): boolean {
  return policy.checks.some((check) => check.type === type && isEnforced(policy, check));
}

function gateEvents(facts: AuditFacts): LedgerEvent[] {
  return ofType(ledgerEvents(facts), 'dev.steadyops.gate.decided', 'dev.steadyops.gate.overridden');
}

function sameRelease(event: LedgerEvent, deploy: DeployRecord): boolean {
  return serviceOf(event) === deploy.service && environmentOfEvent(event) === deploy.environment;
}

/** One finding per service and environment for a list of deploys, with the latest as example. */
function perDeployTarget(facts: AuditFacts, deploys: readonly DeployRecord[], evidence: (deploys: DeployRecord[]) => string): FindingDraft[] {
  const groups = groupBy(deploys, (deploy) => `${deploy.service}\u0000${deploy.environment}`);
  return byName([...groups], ([key]) => key).map(([, list]) => {
    const { service, environment } = list[0]!;
    const team = ownerOf(facts, service);
    return { resource: `Deploys of ${service} to ${environment}`, evidence: evidence(list), ...(team ? { service, team } : {}) };
  });
}

function deployText(deploy: DeployRecord): string {
  return `${deploy.version ?? 'a version'} at ${new Date(deploy.at).toISOString()}`;
}

/** REL-002..009: release policies as written, and what the ledger shows of releases going out. */
export const releaseHistoryControls: readonly Control[] = [
  {
    id: 'REL-002',
    title: 'Tier-1 release policy does not enforce an error budget and approvals',
    domain: 'release',
    severity: 'high',
    risk: 'A critical service can ship while its error budget is spent, or without a second person looking at the release: the two cheapest brakes on a bad release are off.',
    detection: 'A tier-1 production Service whose ReleasePolicy has no enforced (not shadow) errorBudget check, or no enforced approvals check.',
    remediation: 'Add both checks to the policy of tier-1 services, in enforce mode.',
    example: ['spec:', '  checks:', '    - { type: errorBudget, minRemaining: 0.1 }', '    - { type: approvals, minApprovals: 1, allowAuthor: false }'].join('\n'),
    effort: 'S',
    soc2: ['CC8.1'],
    needs: ['model'],
    evaluate: (facts) =>
      productionServices(facts).flatMap((service) => {
        const policy = policyOf(facts, service);
        if (service.tier !== 1 || !policy) return [];
        const missing = (['errorBudget', 'approvals'] as const).filter((type) => !enforces(policy, type));
        if (missing.length === 0) return [];
        return [
          modelFinding(facts, { kind: 'Service', name: service.name }, `${service.name} (tier 1) releases under ${policy.name}, which enforces no ${missing.join(' and no ')} check.`, {
            service: service.name,
            team: service.owner,
          }),
        ];
      }),
  },
  {
    id: 'REL-003',
    title: 'Release policy enforces nothing',
    domain: 'release',
    severity: 'medium',
    risk: 'Every check of the policy runs in shadow: the gate records what it would have said, and every release goes out anyway.',
    detection: 'A ReleasePolicy used by at least one production Service whose mode is shadow, or all of whose checks are in shadow mode.',
    remediation: 'Once the shadow decisions look right in the ledger, switch the checks that matter to enforce.',
    example: ['spec:', '  mode: enforce', '  checks:', '    - { type: openIncidents, severities: [sev1, sev2] }', '    - { type: errorBudget, minRemaining: 0.05, mode: shadow }'].join('\n'),
    effort: 'S',
    soc2: ['CC8.1'],
    needs: ['model'],
    evaluate: (facts) =>
      (facts.model?.model.releasePolicies ?? []).flatMap((policy) => {
        const users = productionServices(facts).filter((service) => service.releasePolicy === policy.name);
        if (users.length === 0 || policy.checks.some((check) => isEnforced(policy, check))) return [];
        const why = policy.mode === 'shadow' ? 'is in shadow mode' : `runs all ${plural(policy.checks.length, 'check')} in shadow`;
        return [modelFinding(facts, { kind: 'ReleasePolicy', name: policy.name }, `${policy.name} ${why}; it gates ${users.map((service) => service.name).join(', ')}.`)];
      }),
  },
  {
    id: 'REL-004',
    title: 'Production deploys without a gate decision',
    domain: 'release',
    severity: 'high',
    risk: 'Releases reach production without the release gate being asked: incidents, spent budgets and freezes are not checked, and the change record has a hole exactly where an auditor looks.',
    detection: `Production deploys in the ledger (deploy.started, or a finished/failed deploy without a start) with no dev.steadyops.gate.decided allowing, or gate.overridden, for the same service and environment in the ${gateValidityMs / HOUR_MS}h before. One finding per service and environment.`,
    remediation: 'Run the gate in the pipeline before every production deploy (or as a GitHub deployment protection rule) and fail the job when it denies.',
    example: gateExample,
    effort: 'S',
    soc2: ['CC8.1'],
    needs: ['ledger'],
    evaluate: (facts) => {
      const gates = gateEvents(facts).filter((event) => event.type === 'dev.steadyops.gate.overridden' || dataOf(event).decision === 'allow');
      const deploys = productionDeploys(facts);
      const ungated = deploys.filter((deploy) => !gates.some((gate) => sameRelease(gate, deploy) && timeOf(gate) <= deploy.at && deploy.at - timeOf(gate) <= gateValidityMs));
      return perDeployTarget(facts, ungated, (list) => {
        const total = deploys.filter((deploy) => deploy.service === list[0]!.service && deploy.environment === list[0]!.environment).length;
        return `${list.length} of ${plural(total, 'deploy')} of ${list[0]!.service} to ${list[0]!.environment} ${sinceText(facts)} had no gate decision before them; latest ${deployText(last(list)!)}.`;
      });
    },
  },
  {
    id: 'REL-005',
    title: 'Release shipped after the gate denied it',
    domain: 'release',
    severity: 'high',
    risk: 'The gate said no and the release went out anyway, without the recorded override that would say who decided and why.',
    detection: 'A production deploy of a version whose latest dev.steadyops.gate.decided before it (same service, environment and version) is a deny, with no dev.steadyops.gate.overridden for that version in between. One finding per service and environment.',
    remediation: 'Make the deploy job depend on the gate\'s exit code; when a release must go out anyway, record an override with a reason.',
    example: 'steadyops gate override --service checkout-api --env production --release v2.14.1 --reason "INC-2047 fix; error budget spent by the incident itself"',
    effort: 'S',
    soc2: ['CC8.1'],
    needs: ['ledger'],
    evaluate: (facts) => {
      const gates = gateEvents(facts);
      const forced = productionDeploys(facts).filter((deploy) => {
        if (!deploy.version) return false;
        const before = gates.filter((gate) => sameRelease(gate, deploy) && textOf(dataOf(gate), 'version') === deploy.version && timeOf(gate) <= deploy.at);
        const latest = last(before);
        return latest?.type === 'dev.steadyops.gate.decided' && dataOf(latest).decision === 'deny';
      });
      return perDeployTarget(facts, forced, (list) => `${plural(list.length, 'deploy')} of ${list[0]!.service} to ${list[0]!.environment} went out after a deny with no override; latest ${deployText(last(list)!)}.`);
    },
  },
  {
    id: 'REL-006',
    title: 'Release policy is never evaluated',
    domain: 'release',
    severity: 'high',
    risk: 'The policy exists in the model, but no gate decision under it reached the ledger while its services deployed to production: the gate is not wired into the pipeline, and its checks are documentation.',
    detection: 'A ReleasePolicy whose production Services deployed to production in the audited ledger window, with no dev.steadyops.gate.decided naming the policy.',
    remediation: 'Call the gate from the deploy pipeline of every service using the policy, and record its decisions in the ledger.',
    example: gateExample,
    effort: 'M',
    soc2: ['CC8.1', 'CC4.1'],
    needs: ['model', 'ledger'],
    evaluate: (facts) => {
      const evaluated = new Set(ofType(ledgerEvents(facts), 'dev.steadyops.gate.decided').map((event) => textOf(dataOf(event), 'policy')));
      const deploys = productionDeploys(facts);
      return (facts.model?.model.releasePolicies ?? []).flatMap((policy) => {
        const services = productionServices(facts).filter((service) => service.releasePolicy === policy.name).map((service) => service.name);
        const shipped = deploys.filter((deploy) => services.includes(deploy.service));
        if (evaluated.has(policy.name) || shipped.length === 0) return [];
        const names = [...new Set(shipped.map((deploy) => deploy.service))].sort().join(', ');
        return [modelFinding(facts, { kind: 'ReleasePolicy', name: policy.name }, `${plural(shipped.length, 'production deploy')} of ${names} ${sinceText(facts)}, and no gate decision under ${policy.name}.`)];
      });
    },
  },
  {
    id: 'REL-007',
    title: 'Production deploys depend on one person',
    domain: 'release',
    severity: 'medium',
    risk: 'One person ran most production deploys of this service: when they are away, releases stop or someone unpractised does them, and the knowledge of how to ship is not written down.',
    detection: `Production deploys in the ledger attributed to a person (data.triggeredBy, data.actor or data.deployer, else the event's actor unless it is a system:* account); a service with at least ${minAttributedDeploys} of them where one person ran ${onePersonShare * 100}% or more.`,
    remediation: 'Automate the deploy (a pipeline anyone can trigger after review), and have others on the team run the next releases with the runbook.',
    example: gateExample,
    effort: 'M',
    soc2: ['CC1.4', 'CC9.1'],
    needs: ['ledger'],
    evaluate: (facts) => {
      const byService = groupBy(
        productionDeploys(facts).filter((deploy) => deploy.person !== undefined),
        (deploy) => deploy.service,
      );
      return byName([...byService], ([service]) => service).flatMap(([service, deploys]) => {
        const counts = groupBy(deploys, (deploy) => deploy.person);
        const [person, own] = byName([...counts], ([name]) => name).sort((a, b) => b[1].length - a[1].length)[0]!;
        if (deploys.length < minAttributedDeploys || own.length / deploys.length < onePersonShare) return [];
        const team = ownerOf(facts, service);
        return [
          {
            resource: `Service ${service}`,
            evidence: `${person} ran ${own.length} of ${deploys.length} attributed production deploys of ${service} ${sinceText(facts)} (${Math.round((own.length / deploys.length) * 100)}%).`,
            ...(team ? { service, team } : {}),
          },
        ];
      });
    },
  },
  {
    id: 'REL-008',
    title: 'Service ships migrations without a restore-freshness check',
    domain: 'release',
    severity: 'medium',
    risk: 'A release that migrates the database can go out when the last proven restore is months old: if the migration destroys data, the way back is untested.',
    detection: 'A production Service with spec.migrations whose ReleasePolicy has no enforced restoreFreshness check.',
    remediation: 'Add a restoreFreshness check to the policy, with a maxAge near the datastore\'s drill interval.',
    example: ['spec:', '  checks:', '    - { type: restoreFreshness, maxAge: 35d }'].join('\n'),
    effort: 'S',
    soc2: ['CC8.1', 'A1.3'],
    needs: ['model'],
    evaluate: (facts) =>
      productionServices(facts).flatMap((service) => {
        const policy = policyOf(facts, service);
        if (!service.migrations || !policy || enforces(policy, 'restoreFreshness')) return [];
        const datastore = service.migrations.datastore ? ` on ${service.migrations.datastore}` : '';
        return [
          modelFinding(facts, { kind: 'Service', name: service.name }, `${service.name} ships migrations${datastore} under ${policy.name}, which enforces no restoreFreshness check.`, {
            service: service.name,
            team: service.owner,
          }),
        ];
      }),
  },
  {
    id: 'REL-009',
    title: 'Gate denials are overridden routinely',
    domain: 'release',
    severity: 'medium',
    risk: 'Overrides are meant for emergencies; when a service overrides its gate again and again, the gate has become a formality and the checks no longer hold releases back.',
    detection: `${routineOverrides} or more dev.steadyops.gate.overridden events for the same service and environment in the audited ledger window.`,
    remediation: 'Review why the gate denies (a policy that does not fit, a check that misfires) and fix the policy or the service, instead of overriding.',
    example: "steadyops changes --since 30d --type 'dev.steadyops.gate.*' --service checkout-api",
    effort: 'M',
    soc2: ['CC8.1'],
    needs: ['ledger'],
    evaluate: (facts) => {
      const overrides = groupBy(ofType(ledgerEvents(facts), 'dev.steadyops.gate.overridden'), (event) => `${serviceOf(event) ?? '?'}\u0000${environmentOfEvent(event) ?? '?'}`);
      return byName([...overrides], ([key]) => key)
        .filter(([, events]) => events.length >= routineOverrides)
        .map(([key, events]) => {
          const [service, environment] = key.split('\u0000') as [string, string];
          const people = [...new Set(events.map((event) => textOf(dataOf(event), 'overriddenBy') ?? event.actor))].sort().join(', ');
          const team = ownerOf(facts, service);
          return {
            resource: `Gate of ${service} in ${environment}`,
            evidence: `${plural(events.length, 'override')} of the ${service} gate in ${environment} ${sinceText(facts)} (by ${people}); latest "${textOf(dataOf(last(events)!), 'reason') ?? ''}" at ${last(events)!.time}.`,
            ...(team ? { service, team } : {}),
          };
        });
    },
  },
];
