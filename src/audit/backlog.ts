import type { LedgerEvent } from '../ledger/types.ts';
import type { ResolvedModel } from '../model/resolve.ts';
import { milestones, type BacklogItem, type Milestone } from './audit-report.ts';
import { severities, type Domain, type Effort, type Severity } from './control.ts';
import { deploysOf, eventsOfLastDays, incidentsOf, isProductionEnvironment, plural } from './controls/ledger-history.ts';
import { compareStrings } from './controls/plain-values.ts';
import { datastoreOfFinding, teamOfFinding, transitiveDependents, type ModelNode } from './finding-subjects.ts';
import type { Finding } from './run-audit.ts';

// priority = severity weight x blast radius x likelihood / effort (docs/audit.md has a worked example)

/** Roughly "how much worse is the next severity": a critical counts as two and a half highs. */
export const severityWeights: Readonly<Record<Severity, number>> = { low: 1, medium: 3, high: 8, critical: 20 };
export const effortWeights: Readonly<Record<Effort, number>> = { S: 1, M: 2, L: 4 };
export const tierWeights: Readonly<Record<1 | 2 | 3, number>> = { 1: 3, 2: 2, 3: 1 };
/** between tier 2 and 3: without a model nobody has said how critical it is */
export const unknownTierWeight = 1.5;
export const likelihoodWindowDays = 30;
/** each incident in the window adds 0.5, counted up to 3 */
export const incidentStep = 0.5;
export const maxIncidentsCounted = 3;
/** production deploys in the window add log2(1 + deploys) / 10, at most 0.5 (31 deploys) */
export const maxChangeFactor = 0.5;

export interface BacklogContext {
  readonly model?: ResolvedModel;
  /** ledger history, any order; only the last 30 days count */
  readonly events?: readonly LedgerEvent[];
  readonly now: Date;
}

export interface Exposure {
  readonly tierWeight: number;
  readonly dependents: number;
  readonly blastRadius: number;
  /** "tier-1 service checkout-api with 4 dependents" */
  readonly description: string;
}

export interface Likelihood {
  readonly incidents: number;
  readonly deploys: number;
  readonly likelihood: number;
  /** "1 incident and 7 production deploys in 30 days" */
  readonly description: string;
}

export const stabilizingDomains: readonly Domain[] = ['release', 'backup', 'runtime', 'access', 'database', 'incident', 'infrastructure', 'ownership'];
/** controls about evidence the ledger should hold (records, drills, revocations), whatever their domain */
export const evidenceControls: readonly string[] = ['ACC-007', 'ACC-008', 'BAK-006', 'BAK-007', 'DOC-004'];

export interface MilestoneRule {
  readonly milestone: Milestone;
  readonly severities?: readonly Severity[];
  readonly domains?: readonly Domain[];
  readonly controls?: readonly string[];
  /** why findings matching the rule sit in the milestone, for the `why` sentence */
  readonly reason: string;
}

/** First match wins; the last rule catches everything else (low severity, and high documentation findings). */
export const milestoneRules: readonly MilestoneRule[] = [
  { milestone: 'stabilize', severities: ['critical'], reason: 'critical findings come first, whatever their domain' },
  { milestone: 'measure', controls: evidenceControls, reason: 'the fix is evidence the ledger should hold' },
  { milestone: 'measure', domains: ['observability'], reason: 'SLOs and alerting make reliability measurable' },
  { milestone: 'stabilize', severities: ['high'], domains: stabilizingDomains, reason: 'a high-risk gap in how production runs' },
  { milestone: 'document', domains: ['documentation', 'ownership'], reason: 'documentation and ownership hygiene' },
  { milestone: 'measure', severities: ['medium'], reason: 'slower recovery or weaker evidence, fixed once the worst gaps are closed' },
  { milestone: 'document', reason: 'hygiene' },
];

export function milestoneOf(finding: Pick<Finding, 'controlId' | 'severity' | 'domain'>): { milestone: Milestone; reason: string } {
  const rule = milestoneRules.find(
    (candidate) =>
      (!candidate.severities || candidate.severities.includes(finding.severity)) &&
      (!candidate.domains || candidate.domains.includes(finding.domain)) &&
      (!candidate.controls || candidate.controls.includes(finding.controlId)),
  );
  return { milestone: rule!.milestone, reason: rule!.reason };
}

export function blastRadiusOf(tierWeight: number, dependents: number): number {
  return tierWeight * (1 + Math.log2(1 + dependents));
}

export function likelihoodOf(incidents: number, deploys: number): number {
  return 1 + incidentStep * Math.min(incidents, maxIncidentsCounted) + Math.min(maxChangeFactor, Math.log2(1 + deploys) / 10);
}

export function priorityOf(factors: BacklogItem['factors']): number {
  return (factors.severityWeight * factors.blastRadius * factors.likelihood) / factors.effortWeight;
}

/** Open findings (risk-accepted ones are left out) as the ordered backlog: milestone by milestone, highest priority first. */
export function buildBacklog(findings: readonly Finding[], context: BacklogContext): BacklogItem[] {
  const history = ledgerHistory(context);
  const scored = findings
    .filter((finding) => finding.status === 'open')
    .map((finding) => scoreFinding(finding, context.model, history));
  return rank(scored.sort(compareItems));
}

export interface BacklogFilter {
  readonly team?: string;
  readonly limit?: number;
}

/** Keeps the order, renumbers the ranks from 1. */
export function filterBacklog(items: readonly BacklogItem[], filter: BacklogFilter, model?: ResolvedModel): BacklogItem[] {
  const kept = filter.team === undefined ? items : items.filter((item) => teamOfFinding(item.finding, model) === filter.team);
  return rank(filter.limit === undefined ? kept : kept.slice(0, filter.limit));
}

function rank(items: readonly BacklogItem[]): BacklogItem[] {
  return items.map((item, index) => ({ ...item, rank: index + 1 }));
}

function compareItems(a: BacklogItem, b: BacklogItem): number {
  return (
    milestones.indexOf(a.milestone) - milestones.indexOf(b.milestone) ||
    b.priority - a.priority ||
    severities.indexOf(b.finding.severity) - severities.indexOf(a.finding.severity) ||
    compareStrings(a.finding.controlId, b.finding.controlId) ||
    compareStrings(a.finding.resource, b.finding.resource) ||
    compareStrings(a.finding.fingerprint, b.finding.fingerprint)
  );
}

interface History {
  readonly incidents: ReadonlyMap<string, number>;
  readonly deploys: ReadonlyMap<string, number>;
}

/** Incidents declared and production deploys per service over the last 30 days. */
function ledgerHistory(context: BacklogContext): History | undefined {
  if (!context.events) return undefined;
  const recent = eventsOfLastDays(context.events, context.now, likelihoodWindowDays);
  const incidents = new Map<string, number>();
  for (const incident of incidentsOf(recent)) {
    if (!incident.declared) continue;
    for (const service of new Set(incident.services)) incidents.set(service, (incidents.get(service) ?? 0) + 1);
  }
  const deploys = new Map<string, number>();
  for (const deploy of deploysOf(recent)) {
    if (isProductionEnvironment(context.model, deploy.environment)) deploys.set(deploy.service, (deploys.get(deploy.service) ?? 0) + 1);
  }
  return { incidents, deploys };
}

function scoreFinding(finding: Finding, model: ResolvedModel | undefined, history: History | undefined): BacklogItem {
  const exposure = exposureOf(finding, model);
  const likely = likelihoodFor(concernedServices(finding, model), history);
  const factors = {
    severityWeight: severityWeights[finding.severity],
    blastRadius: round(exposure.blastRadius),
    likelihood: round(likely.likelihood),
    effortWeight: effortWeights[finding.effort],
  };
  const priority = round(priorityOf({ ...factors, blastRadius: exposure.blastRadius, likelihood: likely.likelihood }));
  const placed = milestoneOf(finding);
  const why =
    `${finding.severity} (weight ${factors.severityWeight}) x ${exposure.description} (blast radius ${factors.blastRadius}) x ${likely.description} (likelihood ${factors.likelihood})` +
    ` / effort ${finding.effort} (${factors.effortWeight}) = priority ${priority}; ${placed.milestone}: ${placed.reason}.`;
  return { rank: 0, finding, milestone: placed.milestone, priority, factors, why };
}

/** Blast radius of what the finding concerns: its service, its datastore, else the worst of its team's services. */
export function exposureOf(finding: Pick<Finding, 'resource' | 'service' | 'team'>, model: ResolvedModel | undefined): Exposure {
  const service = finding.service ? model?.services.find((entry) => entry.name === finding.service) : undefined;
  if (service) return exposure(tierWeights[service.tier], model!, { kind: 'service', name: service.name }, `tier-${service.tier} service ${service.name}`);
  if (finding.service) return exposure(unknownTierWeight, undefined, undefined, `service ${finding.service} (not in the model, tier unknown)`);
  const datastoreName = datastoreOfFinding(finding);
  const datastore = datastoreName ? model?.datastores.find((entry) => entry.name === datastoreName) : undefined;
  if (datastore) {
    const weight = datastore.tier ? tierWeights[datastore.tier] : unknownTierWeight;
    return exposure(weight, model!, { kind: 'datastore', name: datastore.name }, `${datastore.tier ? `tier-${datastore.tier}` : 'untiered'} datastore ${datastore.name}`);
  }
  const team = finding.team;
  const teamServices = team && model ? model.services.filter((entry) => entry.owner === team) : [];
  if (teamServices.length > 0) {
    const worst = teamServices
      .map((entry) => exposure(tierWeights[entry.tier], model!, { kind: 'service', name: entry.name }, `tier-${entry.tier} service ${entry.name}`))
      .reduce((best, candidate) => (candidate.blastRadius > best.blastRadius ? candidate : best));
    return { ...worst, description: `team ${team}, whose riskiest service is ${worst.description}` };
  }
  return exposure(unknownTierWeight, undefined, undefined, team ? `team ${team} (no services in the model)` : 'no service or team known');
}

function exposure(tierWeight: number, model: ResolvedModel | undefined, node: ModelNode | undefined, subject: string): Exposure {
  const dependents = model && node ? transitiveDependents(model, node).length : 0;
  const description = model && node ? `${subject} with ${plural(dependents, 'dependent')}` : subject;
  return { tierWeight, dependents, blastRadius: blastRadiusOf(tierWeight, dependents), description };
}

/** The services whose incidents and deploys make the finding likelier to bite. */
function concernedServices(finding: Pick<Finding, 'resource' | 'service' | 'team'>, model: ResolvedModel | undefined): string[] {
  if (finding.service) return [finding.service];
  const datastore = datastoreOfFinding(finding);
  if (datastore && model?.datastores.some((entry) => entry.name === datastore)) return transitiveDependents(model, { kind: 'datastore', name: datastore });
  return finding.team && model ? model.services.filter((entry) => entry.owner === finding.team).map((entry) => entry.name) : [];
}

/** The likeliest of the concerned services (1 without a ledger or without services). */
function likelihoodFor(services: readonly string[], history: History | undefined): Likelihood {
  const unknown = { incidents: 0, deploys: 0, likelihood: 1 };
  if (!history) return { ...unknown, description: 'no ledger history' };
  if (services.length === 0) return { ...unknown, description: 'no service to count incidents and deploys of' };
  return services
    .map((service) => {
      const incidents = history.incidents.get(service) ?? 0;
      const deploys = history.deploys.get(service) ?? 0;
      const description = `${plural(incidents, 'incident')} and ${plural(deploys, 'production deploy')} in ${likelihoodWindowDays} days`;
      return { incidents, deploys, likelihood: likelihoodOf(incidents, deploys), description };
    })
    .reduce((best, candidate) => (candidate.likelihood > best.likelihood ? candidate : best));
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
