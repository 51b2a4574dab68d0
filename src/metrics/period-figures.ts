import { followUpStatuses } from '../incidents/followups/follow-up-status.ts';
import type { FollowUpStatus } from '../incidents/followups/types.ts';
import { asLedgerEvent } from './follow-up-inputs.ts';
import { firstCommitOf, type DeployRecord, type IncidentRecord, type Lineage, type Mark } from './lineage.ts';

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** A half-open window (start, end] in epoch ms. */
export interface Window {
  readonly start: number;
  readonly end: number;
}

/** Samples of a duration metric and the seqs they came from. */
export interface Samples {
  readonly values: number[];
  readonly evidence: number[];
}

export interface Count {
  readonly numerator: number;
  readonly denominator: number;
  readonly evidence: number[];
}

/** Everything one period's metrics are computed from. */
export interface PeriodFigures {
  readonly days: number;
  readonly deploys: readonly DeployRecord[];
  readonly leadTimes: Samples;
  readonly withoutLineage: number[];
  readonly failures: Count;
  readonly recoveries: Samples;
  readonly unrecovered: number;
  readonly rework: Count;
  readonly incidents: readonly IncidentRecord[];
  readonly acknowledge: Samples;
  readonly resolve: Samples;
  readonly unresolved: number;
  /** per SLO: percent of its error budget burned by the period's incidents */
  readonly budget: ReadonlyMap<string, { percent: number; evidence: number[] }>;
  readonly followUps: Count;
}

const inWindow = (at: number, window: Window): boolean => at > window.start && at <= window.end;

function group<T>(items: readonly T[], keyOf: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key !== undefined) groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return groups;
}

/** Which deploys, incidents and follow-ups a scope covers. */
export interface ScopeTest {
  service(name: string): boolean;
  incident(record: IncidentRecord): boolean;
}

/** Links from a deploy to what intervened after it, built once for both periods. */
export interface Interventions {
  readonly fixesOfDeploy: ReadonlyMap<string, DeployRecord[]>;
  readonly fixesOfIncident: ReadonlyMap<string, DeployRecord[]>;
  readonly incidentsCausedBy: ReadonlyMap<string, IncidentRecord[]>;
}

export function interventionsOf(lineage: Lineage): Interventions {
  return {
    fixesOfDeploy: group(lineage.deploys, (deploy) => deploy.fixes?.deployId),
    fixesOfIncident: group(lineage.deploys, (deploy) => deploy.fixes?.incidentId),
    incidentsCausedBy: group([...lineage.incidents.values()], (incident) => incident.causedBy?.deployId),
  };
}

export function periodFigures(lineage: Lineage, links: Interventions, window: Window, scope: ScopeTest): PeriodFigures {
  const deploys = lineage.deploys.filter((deploy) => inWindow(deploy.at, window) && scope.service(deploy.service));
  const incidents = [...lineage.incidents.values()]
    .filter((incident) => incident.declared !== undefined && inWindow(incident.declared.at, window) && scope.incident(incident))
    .sort((a, b) => a.declared!.seq - b.declared!.seq);
  const acknowledged = incidents.filter((incident) => incident.acknowledged && incident.acknowledged.at >= incident.declared!.at);
  const resolved = incidents.filter((incident) => incident.resolved && incident.resolved.at >= incident.declared!.at);
  return {
    days: (window.end - window.start) / (24 * HOUR),
    deploys,
    ...deployFigures(deploys, lineage, links),
    incidents,
    acknowledge: {
      values: acknowledged.map((incident) => (incident.acknowledged!.at - incident.declared!.at) / MINUTE),
      evidence: acknowledged.flatMap((incident) => [incident.declared!.seq, incident.acknowledged!.seq]),
    },
    resolve: {
      values: resolved.map((incident) => (incident.resolved!.at - incident.declared!.at) / HOUR),
      evidence: resolved.flatMap((incident) => [incident.declared!.seq, incident.resolved!.seq]),
    },
    unresolved: incidents.length - resolved.length,
    budget: budgetBurned(incidents),
    followUps: followUpCompletion(lineage, window, scope),
  };
}

type DeployFigures = Pick<PeriodFigures, 'leadTimes' | 'withoutLineage' | 'failures' | 'recoveries' | 'unrecovered' | 'rework'>;

/** One pass over the period's deploys (a plain loop: this runs over tens of thousands of deploys). */
function deployFigures(deploys: readonly DeployRecord[], lineage: Lineage, links: Interventions): DeployFigures {
  const leadTimes: Samples = { values: [], evidence: [] };
  const recoveries: Samples = { values: [], evidence: [] };
  const withoutLineage: number[] = [];
  const seqs: number[] = [];
  const failureEvidence: number[] = [];
  let failed = 0;
  let unrecovered = 0;
  let reworked = 0;
  for (const deploy of deploys) {
    seqs.push(deploy.seq);
    if (deploy.fixes !== undefined) reworked += 1;
    const first = firstCommitOf(deploy, lineage);
    if (first !== undefined && first.at <= deploy.at) {
      leadTimes.values.push((deploy.at - first.at) / HOUR);
      leadTimes.evidence.push(deploy.seq, first.seq);
    } else {
      withoutLineage.push(deploy.seq);
    }
    if (!addInterventionEvidence(deploy, lineage, links, failureEvidence)) continue;
    failed += 1;
    const recovered = recoveryOf(deploy, lineage, links);
    if (recovered === undefined) {
      unrecovered += 1;
      continue;
    }
    recoveries.values.push((recovered.at - deploy.at) / HOUR);
    recoveries.evidence.push(deploy.seq, recovered.seq);
  }
  return {
    leadTimes,
    withoutLineage,
    failures: { numerator: failed, denominator: deploys.length, evidence: [...seqs, ...failureEvidence] },
    recoveries,
    unrecovered,
    rework: { numerator: reworked, denominator: deploys.length, evidence: seqs },
  };
}

/**
 * Adds to `evidence` the seqs showing a deploy needed intervention: it failed, was rolled back, was fixed by
 * a later deploy, or caused an incident. True when there was any.
 */
function addInterventionEvidence(deploy: DeployRecord, lineage: Lineage, links: Interventions, evidence: number[]): boolean {
  const before = evidence.length;
  if (deploy.failed) evidence.push(deploy.seq);
  for (const seq of lineage.rollbackEvents.get(deploy.deployId) ?? []) evidence.push(seq);
  for (const fix of links.fixesOfDeploy.get(deploy.deployId) ?? []) evidence.push(fix.seq);
  for (const incident of links.incidentsCausedBy.get(deploy.deployId) ?? []) if (incident.causedBy) evidence.push(incident.causedBy.seq);
  return evidence.length > before;
}

/** The first sign of recovery after a failed deploy: a rollback finished, a fix deployed, or the incident it caused resolved. */
function recoveryOf(deploy: DeployRecord, lineage: Lineage, links: Interventions): Mark | undefined {
  const incidents = links.incidentsCausedBy.get(deploy.deployId) ?? [];
  const candidates: Mark[] = [
    ...(lineage.rollbacks.get(deploy.deployId) ?? []),
    ...(links.fixesOfDeploy.get(deploy.deployId) ?? []).filter((fix) => !fix.failed),
    ...incidents.flatMap((incident) => (incident.resolved ? [incident.resolved] : [])),
    ...incidents.flatMap((incident) => (links.fixesOfIncident.get(incident.incidentId) ?? []).filter((fix) => !fix.failed)),
  ];
  return candidates
    .filter((mark) => mark.at >= deploy.at)
    .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
}

function budgetBurned(incidents: readonly IncidentRecord[]): Map<string, { percent: number; evidence: number[] }> {
  const bySlo = new Map<string, { percent: number; evidence: number[] }>();
  for (const incident of incidents) {
    for (const burn of incident.budgetBurned) {
      const known = bySlo.get(burn.slo) ?? { percent: 0, evidence: [] };
      bySlo.set(burn.slo, { percent: known.percent + burn.percent, evidence: [...known.evidence, burn.seq] });
    }
  }
  return bySlo;
}

/**
 * Follow-ups that fell due in the window, or were done in it ahead of a due date still to come, and how many
 * of them were done by its end, with the follow-up fold of src/incidents/followups (done: closed, or linked
 * to a merged change), read as of the window's end. A follow-up counts in one window only.
 */
function followUpCompletion(lineage: Lineage, window: Window, scope: ScopeTest): Count {
  const events = lineage.followUpEvents.filter(({ at }) => at <= window.end).map(({ fact }) => asLedgerEvent(fact));
  const inWindow = (at: number | undefined) => at !== undefined && at > window.start && at <= window.end;
  const due = followUpStatuses(events, new Date(window.end)).filter(
    (followUp) =>
      (inWindow(followUp.dueAt) || (followUp.dueAt > window.end && inWindow(doneAt(followUp)))) &&
      (followUp.services.length === 0 ? scope.service('') : followUp.services.some((name) => scope.service(name))),
  );
  const done = due.filter((followUp) => followUp.status === 'done');
  const evidence = [
    ...due.map((followUp) => followUp.seq),
    ...done.flatMap((followUp) => [
      ...(followUp.closed ? [followUp.closed.seq] : []),
      ...followUp.changes.flatMap((change) => (change.merged && change.seq !== undefined ? [change.seq] : [])),
    ]),
  ];
  return { numerator: done.length, denominator: due.length, evidence };
}

/** When a done follow-up was done: closed, or its first merged change; undefined while it is not. */
function doneAt(followUp: FollowUpStatus): number | undefined {
  if (followUp.status !== 'done') return undefined;
  const times = [
    ...(followUp.closed ? [Date.parse(followUp.closed.at)] : []),
    ...followUp.changes.flatMap((change) => (change.merged && change.time !== undefined ? [Date.parse(change.time)] : [])),
  ].filter((time) => !Number.isNaN(time));
  return times.length > 0 ? Math.min(...times) : undefined;
}
