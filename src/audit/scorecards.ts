import type { ResolvedModel } from '../model/resolve.ts';
import type { MaturityLevel, Scorecard } from './audit-report.ts';
import { severities, type Control, type Severity } from './control.ts';
import { datastoresOfService, teamOfFinding } from './finding-subjects.ts';
import type { RunSnapshot, SnapshotFinding } from './run-snapshot.ts';

export const maturityLevels: readonly MaturityLevel[] = ['none', 'bronze', 'silver', 'gold'];

/**
 * What a level asks of a service or a team, on top of every level below it. A control "passes" for a
 * subject when it applied in the run and has no open finding about that subject; risk-accepted findings
 * do not block (accepting a risk is an approver's recorded decision), controls that did not apply do.
 */
export interface LevelRule {
  readonly level: Exclude<MaturityLevel, 'none'>;
  /** no open finding of this severity about the subject (lower levels already rule out the ones above) */
  readonly noOpen: Severity;
  /** the subject is in the ownership model, so it has an owner */
  readonly inModel?: boolean;
  /** team-wide controls that must pass for the owning team (for a team: itself) */
  readonly teamPasses?: readonly string[];
  /** controls that must pass for the service itself */
  readonly servicePasses?: readonly string[];
  /** controls that must pass for every datastore the service depends on (for a team: the ones it owns) */
  readonly datastoresPass?: readonly string[];
}

export const levelRules: readonly LevelRule[] = [
  // bronze: nothing critical, and someone owns it and is on call for it
  { level: 'bronze', noOpen: 'critical', inModel: true, teamPasses: ['OWN-001'] },
  // silver: nothing high, has SLOs and rollback criteria
  { level: 'silver', noOpen: 'high', servicePasses: ['OBS-001', 'OBS-002', 'REL-001'] },
  // gold: nothing medium, and the restores of its data are drilled and verified in time
  { level: 'gold', noOpen: 'medium', datastoresPass: ['BAK-001', 'BAK-002', 'BAK-003', 'BAK-004'] },
];

export interface ScorecardInput {
  readonly current: RunSnapshot;
  /** earlier runs of the same repository, oldest first */
  readonly previous?: readonly RunSnapshot[];
  readonly model?: ResolvedModel;
  readonly catalog: readonly Control[];
}

/** One scorecard per production service and per team, services first, each by name. */
export function buildScorecards(input: ScorecardInput): Scorecard[] {
  const titles = new Map(input.catalog.map((control) => [control.id, control.title]));
  const runs = [...(input.previous ?? []), input.current];
  const { services, teams } = subjectsOf(input.current, input.model);
  const serviceCards = services.map((service) => {
    const assessments = runs.map((run) => assessService(run, service, input.model, titles));
    return card('service', service, assessments, input.current.findings.filter((finding) => finding.service === service));
  });
  const teamCards = teams.map((team) => {
    const assessments = runs.map((run) => assessTeam(run, team, input.model, titles));
    return card('team', team, assessments, input.current.findings.filter((finding) => teamOfFinding(finding, input.model) === team));
  });
  return [...serviceCards, ...teamCards];
}

interface Assessment {
  readonly level: MaturityLevel;
  readonly blockers: readonly string[];
}

function card(kind: Scorecard['kind'], name: string, assessments: readonly Assessment[], findings: readonly SnapshotFinding[]): Scorecard {
  const current = assessments[assessments.length - 1]!;
  return { kind, name, level: current.level, openFindings: countBySeverity(findings), nextLevelBlockers: current.blockers, trend: assessments.map((entry) => entry.level) };
}

function subjectsOf(run: RunSnapshot, model: ResolvedModel | undefined): { services: string[]; teams: string[] } {
  if (model) {
    return {
      services: model.services.filter((service) => service.lifecycle === 'production').map((service) => service.name).sort(),
      teams: model.teams.map((team) => team.name).sort(),
    };
  }
  const named = (pick: (finding: SnapshotFinding) => string | undefined) => [...new Set(run.findings.flatMap((finding) => pick(finding) ?? []))].sort();
  return { services: named((finding) => finding.service), teams: named((finding) => finding.team) };
}

/** The highest level whose rule, and every rule below it, has no blockers; the blockers of the next one. */
function climb(blockersOf: (rule: LevelRule) => string[]): Assessment {
  let level: MaturityLevel = 'none';
  for (const rule of levelRules) {
    const blockers = blockersOf(rule);
    if (blockers.length > 0) return { level, blockers };
    level = rule.level;
  }
  return { level, blockers: [] };
}

type Titles = ReadonlyMap<string, string>;

function assessService(run: RunSnapshot, service: string, model: ResolvedModel | undefined, titles: Titles): Assessment {
  const entry = model?.services.find((candidate) => candidate.name === service);
  const own = run.findings.filter((finding) => finding.service === service);
  const datastores = model ? datastoresOfService(model, service) : [];
  return climb((rule) => [
    ...severityBlockers(own, rule.noOpen),
    ...(rule.inModel && !entry ? [`${service} is not in the ownership model, so nobody owns it`] : []),
    ...(entry ? controlBlockers(run, rule.teamPasses, titles, (finding) => isTeamWide(finding, entry.owner), `team ${entry.owner}`) : []),
    ...controlBlockers(run, rule.servicePasses, titles, (finding) => finding.service === service),
    ...datastores.flatMap((datastore) => controlBlockers(run, rule.datastoresPass, titles, (finding) => finding.datastore === datastore, `datastore ${datastore}`)),
  ]);
}

/** A team is no higher than its own team-wide findings allow, nor than its lowest production service. */
function assessTeam(run: RunSnapshot, team: string, model: ResolvedModel | undefined, titles: Titles): Assessment {
  const datastores = (model?.datastores ?? []).filter((datastore) => datastore.owner === team).map((datastore) => datastore.name);
  const services = (model?.services ?? []).filter((service) => service.owner === team && service.lifecycle === 'production').map((service) => service.name);
  // findings about its production services count through those services' levels
  const own = run.findings.filter((finding) => teamOfFinding(finding, model) === team && !services.includes(finding.service ?? ''));
  const serviceLevels = services.map((service) => ({ service, level: assessService(run, service, model, titles).level }));
  return climb((rule) => [
    ...severityBlockers(own, rule.noOpen),
    ...(rule.inModel && !model?.teams.some((entry) => entry.name === team) ? [`team ${team} is not in the ownership model`] : []),
    ...controlBlockers(run, rule.teamPasses, titles, (finding) => isTeamWide(finding, team)),
    ...datastores.flatMap((datastore) => controlBlockers(run, rule.datastoresPass, titles, (finding) => finding.datastore === datastore, `datastore ${datastore}`)),
    ...serviceLevels.filter((entry) => rank(entry.level) < rank(rule.level)).map((entry) => `service ${entry.service} is ${entry.level === 'none' ? 'below bronze' : entry.level}`),
  ]);
}

function isTeamWide(finding: SnapshotFinding, team: string): boolean {
  return finding.service === undefined && finding.team === team;
}

function severityBlockers(findings: readonly SnapshotFinding[], severity: Severity): string[] {
  const open = findings.filter((finding) => finding.severity === severity);
  if (open.length === 0) return [];
  const controls = [...new Set(open.map((finding) => finding.controlId))].sort();
  return [`${open.length} open ${severity} finding${open.length === 1 ? '' : 's'} (${controls.join(', ')})`];
}

function controlBlockers(run: RunSnapshot, controls: readonly string[] | undefined, titles: Titles, concerns: (finding: SnapshotFinding) => boolean, where?: string): string[] {
  const prefix = where ? `${where}: ` : '';
  return (controls ?? []).flatMap((id) => {
    const name = `${id} (${titles.get(id) ?? 'unknown control'})`;
    if (run.notApplicable.includes(id)) return [`${prefix}${name} could not be checked: it did not apply in this run`];
    return run.findings.some((finding) => finding.controlId === id && concerns(finding)) ? [`${prefix}${name} fails`] : [];
  });
}

function rank(level: MaturityLevel): number {
  return maturityLevels.indexOf(level);
}

/** Every severity, zero included. */
export function countBySeverity(findings: readonly { readonly severity: Severity }[]): Record<Severity, number> {
  const counts = Object.fromEntries(severities.map((severity) => [severity, 0])) as Record<Severity, number>;
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}
