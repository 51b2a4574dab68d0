import { dependentsOf, findDatastore, findService, resolveSubject, type ResolvedModel, type ResolvedTeam } from '../../model/resolve.ts';
import type { Control, FindingDraft } from '../control.ts';
import type { CodeownersFact } from '../facts.ts';
import { byName, groupBy, ledgerEvents, plural, sinceText, typeCounts } from './ledger-history.ts';
import { modelFinding, productionServices } from './model-finding.ts';

/** OWN: who answers for each service, datastore and change. */
export const ownershipControls: readonly Control[] = [
  {
    id: 'OWN-001',
    title: 'Team owns production systems but has no on-call',
    domain: 'ownership',
    severity: 'high',
    risk: 'When a service or datastore of this team breaks at night, nobody is scheduled to answer; the page goes to whoever notices, or to no one.',
    detection: 'A Team in the ownership model that owns at least one production Service or a Datastore and declares no spec.oncall (neither a rotation nor an external schedule).',
    remediation: 'Give the team an on-call rotation in the model, or point it at the schedule your paging tool already has.',
    example: ['spec:', '  oncall:', '    schedule: { provider: pagerduty, id: P7IDENT }'].join('\n'),
    effort: 'S',
    soc2: ['CC7.3', 'CC7.4'],
    needs: ['model'],
    evaluate: (facts) => {
      const model = facts.model?.model;
      if (!model) return [];
      return model.teams
        .filter((team) => team.oncall === undefined)
        .flatMap((team) => {
          const services = productionServices(facts).filter((service) => service.owner === team.name).map((service) => service.name);
          const datastores = model.datastores.filter((datastore) => datastore.owner === team.name).map((datastore) => datastore.name);
          if (services.length + datastores.length === 0) return [];
          const owned = [...services, ...datastores].join(', ');
          return [modelFinding(facts, { kind: 'Team', name: team.name }, `${team.name} owns ${owned} but declares no spec.oncall rotation or schedule.`, { team: team.name })];
        });
    },
  },
  {
    id: 'OWN-002',
    title: 'Tier-1 services rest on one person',
    domain: 'ownership',
    severity: 'high',
    risk: 'The team that owns a tier-1 service has one member, or one person on its on-call rotation: holidays, sick days and resignations leave the service without anyone who knows it.',
    detection: 'A Team owning at least one tier-1 production Service whose spec.members, or whose spec.oncall.rotation.members, count fewer than two people.',
    remediation: 'Add a second person to the team and to its rotation, or move the tier-1 services to a team that can cover them around the clock.',
    example: ['spec:', '  members:', '    - { name: Mei Chen, email: mei.chen@example.com }', '    - { name: Omar Haddad, email: omar.haddad@example.com }', '  oncall:', '    rotation: { members: [mei.chen@example.com, omar.haddad@example.com], period: 1w, handoff: "09:00", start: "2026-01-05" }'].join('\n'),
    effort: 'M',
    soc2: ['CC1.4', 'CC9.1'],
    needs: ['model'],
    evaluate: (facts) =>
      (facts.model?.model.teams ?? []).flatMap((team) => {
        const tier1 = productionServices(facts).filter((service) => service.owner === team.name && service.tier === 1);
        const thin = thinCoverage(team);
        if (tier1.length === 0 || thin === undefined) return [];
        const names = tier1.map((service) => service.name).join(', ');
        return [modelFinding(facts, { kind: 'Team', name: team.name }, `${team.name} owns tier-1 ${names} with ${thin}.`, { team: team.name })];
      }),
  },
  {
    id: 'OWN-003',
    title: 'Ledger records changes to things the model does not know',
    domain: 'ownership',
    severity: 'medium',
    risk: 'Deploys, alerts or access land on a subject no Service, Datastore or Team in the model names: nobody owns those changes, no gate or SLO covers them, and they fall out of every report.',
    detection: 'Ledger events whose subject resolves to no Service, Datastore or Team of the ownership model (bare names or service/NAME, datastore/NAME, team/NAME); one finding per unknown subject with its event counts.',
    remediation: 'Add the missing Service or Datastore to the model with its owner, or fix the connector mapping that names it (e.g. the Deployment or alert label it resolves from).',
    example: ['apiVersion: steadyops.dev/v1', 'kind: Service', 'metadata: { name: legacy-billing }', 'spec: { owner: payments, tier: 2 }'].join('\n'),
    effort: 'S',
    soc2: ['CC3.2', 'CC7.1'],
    needs: ['model', 'ledger'],
    evaluate: (facts) => {
      const model = facts.model?.model;
      if (!model) return [];
      const unknown = groupBy(ledgerEvents(facts), (event) => (event.subject && !resolveSubject(model, event.subject) ? event.subject : undefined));
      return byName([...unknown], ([subject]) => subject).map(([subject, events]) => ({
        resource: `Ledger subject ${subject}`,
        evidence: `${plural(events.length, 'event')} ${sinceText(facts)} (${typeCounts(events)}) concern ${subject}, which no Service, Datastore or Team in the model names; latest ${events[events.length - 1]!.type} at ${events[events.length - 1]!.time}.`,
      }));
    },
  },
  {
    id: 'OWN-004',
    title: 'CODEOWNERS does not match the ownership model',
    domain: 'ownership',
    severity: 'medium',
    risk: 'The people who review changes to a service are not the team the model pages for it, or are nobody the model knows: the reviewers of a risky change are not the ones who will be woken by it.',
    detection: 'CODEOWNERS owners are matched to model teams: @org/team by team name, @login by a member\'s github login, an e-mail by a member\'s email. Found: an owner that matches no team or member; and a path naming a service (a path segment equal to the service name, or its spec.repo.path) whose known owners include nobody from the service\'s owning team.',
    remediation: 'Make CODEOWNERS name the owning team of each service path (GitHub team slug = model team name), or fix the owner in the model.',
    example: '/services/checkout-api/   @northwind/payments',
    effort: 'S',
    soc2: ['CC1.3'],
    needs: ['model'],
    evaluate: (facts) => (facts.model && facts.codeowners ? codeownersFindings(facts.model.model, facts.codeowners) : []),
  },
  {
    id: 'OWN-005',
    title: 'Service has no release policy',
    domain: 'ownership',
    severity: 'medium',
    risk: 'Nothing decides whether a release of this service may go out: it ships during incidents, with its error budget spent, or inside a freeze, and no gate decision is recorded.',
    detection: 'A production Service in the ownership model without spec.releasePolicy.',
    remediation: 'Reference a ReleasePolicy from the service (and run `steadyops gate` before its production deploy).',
    example: ['spec:', '  releasePolicy: tier1-guarded'].join('\n'),
    effort: 'S',
    soc2: ['CC8.1'],
    needs: ['model'],
    evaluate: (facts) =>
      productionServices(facts)
        .filter((service) => service.releasePolicy === undefined)
        .map((service) =>
          modelFinding(facts, { kind: 'Service', name: service.name }, `${service.name} (tier ${service.tier}, owned by ${service.owner}) names no spec.releasePolicy.`, {
            service: service.name,
            team: service.owner,
          }),
        ),
  },
  {
    id: 'OWN-006',
    title: 'Critical dependency is less critical than the service relying on it',
    domain: 'ownership',
    severity: 'medium',
    risk: 'A service marks a dependency critical, yet that dependency sits in a lower tier: it gets less redundancy, slower on-call and looser release rules than the service that goes down with it.',
    detection: 'A production Service whose spec.dependsOn entry is critical: true and names a Service or Datastore with a higher tier number (less critical) than the service\'s own tier; datastores without a tier are skipped.',
    remediation: 'Raise the dependency to the tier of its most critical dependent (and give it the SLOs, drills and policies of that tier), or stop marking the dependency critical by adding a fallback.',
    example: ['kind: Datastore', 'metadata: { name: session-redis }', 'spec:', '  tier: 1'].join('\n'),
    effort: 'M',
    soc2: ['CC3.2', 'CC9.1'],
    needs: ['model'],
    evaluate: (facts) => {
      const model = facts.model?.model;
      if (!model) return [];
      return productionServices(facts).flatMap((service) =>
        (service.dependsOn ?? [])
          .filter((dependency) => dependency.critical === true)
          .flatMap((dependency) => {
            const target = dependency.service
              ? { kind: 'Service' as const, name: dependency.service, tier: findService(model, dependency.service)?.tier }
              : dependency.datastore
                ? { kind: 'Datastore' as const, name: dependency.datastore, tier: findDatastore(model, dependency.datastore)?.tier }
                : undefined;
            if (!target || target.tier === undefined || target.tier <= service.tier) return [];
            const others = dependentsOf(model, target.name).filter((dependent) => dependent.tier === service.tier).length;
            return [
              modelFinding(
                facts,
                { kind: 'Service', name: service.name, resource: `Service ${service.name} -> ${target.kind} ${target.name}` },
                `${service.name} (tier ${service.tier}) depends critically on ${target.kind.toLowerCase()} ${target.name}, which is tier ${target.tier}${others > 1 ? `; ${others} tier-${service.tier} services depend on it` : ''}.`,
                { service: service.name, team: service.owner },
              ),
            ];
          }),
      );
    },
  },
];

/** How a team is one person deep: its members, or its on-call rotation; undefined when it has two or more of each. */
function thinCoverage(team: ResolvedTeam): string | undefined {
  if (team.members.length < 2) return plural(team.members.length, 'member');
  const rotation = team.oncall?.rotation?.members.length;
  return rotation !== undefined && rotation < 2 ? `an on-call rotation of ${plural(rotation, 'person', 'people')}` : undefined;
}

/** The model teams a CODEOWNERS owner stands for: `@org/team`, `@login`, or an e-mail. */
export function teamsOfOwner(model: ResolvedModel, owner: string): string[] {
  const handle = owner.replace(/^@/, '').toLowerCase();
  const slash = handle.indexOf('/');
  if (slash >= 0) return model.teams.filter((team) => team.name === handle.slice(slash + 1)).map((team) => team.name);
  return model.teams
    .filter((team) => team.members.some((member) => member.email.toLowerCase() === handle || member.github?.toLowerCase() === handle))
    .map((team) => team.name);
}

function codeownersFindings(model: ResolvedModel, codeowners: CodeownersFact): FindingDraft[] {
  const unknownOwners = new Map<string, { line: number; paths: number }>();
  const mismatches: FindingDraft[] = [];
  for (const entry of codeowners.entries) {
    const known = entry.owners.filter((owner) => teamsOfOwner(model, owner).length > 0);
    for (const owner of entry.owners.filter((candidate) => !known.includes(candidate))) {
      const seen = unknownOwners.get(owner);
      unknownOwners.set(owner, { line: seen?.line ?? entry.line, paths: (seen?.paths ?? 0) + 1 });
    }
    const service = serviceOfPath(model, entry.pattern);
    if (!service || known.length === 0 || known.some((owner) => teamsOfOwner(model, owner).includes(service.owner))) continue;
    mismatches.push({
      resource: `CODEOWNERS ${entry.pattern}`,
      location: { file: codeowners.file, line: entry.line },
      evidence: `CODEOWNERS gives ${entry.pattern} to ${entry.owners.join(' ')}; the model says ${service.owner} owns ${service.name}.`,
      service: service.name,
      team: service.owner,
    });
  }
  const owners = byName([...unknownOwners], ([owner]) => owner).map(([owner, { line, paths }]) => ({
    resource: `CODEOWNERS owner ${owner}`,
    location: { file: codeowners.file, line },
    evidence: `${owner} owns ${plural(paths, 'path')} in CODEOWNERS (first at line ${line}) but is no team or team member in the model.`,
  }));
  return [...owners, ...mismatches];
}

function serviceOfPath(model: ResolvedModel, pattern: string) {
  const trimmed = pattern.replace(/^\/+|\/+$/g, '');
  const segments = trimmed.split('/');
  return model.services.find(
    (service) => segments.includes(service.name) || (service.repo?.path !== undefined && service.repo.path.replace(/^\/+|\/+$/g, '') === trimmed),
  );
}
