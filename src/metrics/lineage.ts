import type { LedgerEvent } from '../ledger/types.ts';
import { deployIdOf } from '../release/deploy-id.ts';
import { followUpInputs, isFollowUpChange } from './follow-up-inputs.ts';

/** The part of a ledger event the metrics read. */
export type MetricsFact = Pick<LedgerEvent, 'seq' | 'id' | 'type' | 'time' | 'subject' | 'data' | 'actor'> & { readonly environment?: string };

export interface TimedFact {
  readonly fact: MetricsFact;
  /** its time in epoch ms */
  readonly at: number;
}

/** A point in time and the event that recorded it. */
export interface Mark {
  readonly at: number;
  readonly seq: number;
}

export interface DeployRecord extends Mark {
  readonly deployId: string;
  readonly service: string;
  readonly environment: string;
  readonly failed: boolean;
  readonly shas: readonly string[];
  readonly pullRequests: readonly number[];
  /** what an unplanned deploy fixes; always present (undefined when planned) so every record has one shape */
  readonly fixes: { readonly deployId: string | undefined; readonly incidentId: string | undefined } | undefined;
}

export interface IncidentRecord {
  readonly incidentId: string;
  readonly services: Set<string>;
  environment?: string;
  severity: string;
  declared?: Mark;
  acknowledged?: Mark;
  resolved?: Mark;
  causedBy?: { readonly deployId: string; readonly seq: number };
  budgetBurned: Array<{ readonly slo: string; readonly percent: number; readonly seq: number }>;
}

/** Explicit lineage read from the ledger: commit -> PR -> deploy -> rollback / fix / incident. */
export interface Lineage {
  /** production (scope environment) deploys that ended, by (time, seq) */
  readonly deploys: readonly DeployRecord[];
  /** successful rollbacks by the deployId they rolled back */
  readonly rollbacks: ReadonlyMap<string, Mark[]>;
  /** every rollback event (started or finished) by the deployId it concerns */
  readonly rollbackEvents: ReadonlyMap<string, number[]>;
  readonly incidents: ReadonlyMap<string, IncidentRecord>;
  /** the earliest time each commit was seen (git.commit, or the git.merge that made it) */
  readonly commitTimes: ReadonlyMap<string, Mark>;
  /** the earliest commit time of each pull request, keyed `service#number` */
  readonly pullRequestStarts: ReadonlyMap<string, Mark>;
  /** the earliest commit of the change each merge commit brought in: itself, its listed commits, its pull request's */
  readonly changeStarts: ReadonlyMap<string, Mark>;
  /** incident and follow-up events, and the change events that may carry out a follow-up, in seq order */
  readonly followUpEvents: readonly TimedFact[];
}

type Data = Record<string, unknown>;

const dataOf = (fact: MetricsFact): Data => (typeof fact.data === 'object' && fact.data !== null ? (fact.data as Data) : {});
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const none: readonly never[] = Object.freeze([]);
const texts = (value: unknown): readonly string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : none);
const numbers = (value: unknown): readonly number[] => (Array.isArray(value) ? value.filter((item): item is number => Number.isInteger(item)) : none);
const earlier = (a: Mark | undefined, b: Mark): Mark => (a === undefined || b.at < a.at || (b.at === a.at && b.seq < a.seq) ? b : a);

/** The deploy a rollback undoes: its deployId, else the deploy of the version it rolled back from. */
function rolledBackId(data: Data, environment: string): string | undefined {
  return deployIdOf({ deployId: data['deployId'], service: data['service'], version: data['fromVersion'] }, environment);
}

export function environmentOfFact(fact: MetricsFact): string | undefined {
  return fact.environment ?? text(dataOf(fact)['environment']);
}

/** What the fold does with an event: count it, only tell follow-ups about it (an old incident), or skip it. */
export type Admission = 'counted' | 'followUpsOnly' | 'ignored';

/**
 * Pure fold of the facts into lineage; the input order does not matter (events are taken in seq order,
 * once each). `admit` sees each event with its time in epoch ms.
 */
export function buildLineage(facts: readonly MetricsFact[], environment: string, admit: (fact: MetricsFact, at: number) => Admission = () => 'counted'): Lineage {
  const sorted = [...facts].sort((a, b) => a.seq - b.seq);
  const builder = new LineageBuilder(environment);
  let previousSeq: number | undefined;
  for (const fact of sorted) {
    if (fact.seq === previousSeq) continue;
    previousSeq = fact.seq;
    const at = Date.parse(fact.time);
    const admission = admit(fact, at);
    if (admission === 'counted') builder.add(fact, { at, seq: fact.seq });
    else if (admission === 'followUpsOnly') builder.remember(fact, at);
  }
  return builder.finish();
}

class LineageBuilder {
  private readonly deploys = new Map<string, DeployRecord>();
  private readonly rollbacks = new Map<string, Mark[]>();
  private readonly rollbackEvents = new Map<string, number[]>();
  private readonly incidents = new Map<string, IncidentRecord>();
  private readonly commitTimes = new Map<string, Mark>();
  private readonly pullRequestStarts = new Map<string, Mark>();
  private readonly mergedPullRequest = new Map<string, string>();
  private readonly mergeCommits = new Map<string, readonly string[]>();
  private readonly followUpEvents: TimedFact[] = [];

  constructor(private readonly environment: string) {}

  add(fact: MetricsFact, mark: Mark): void {
    const data = dataOf(fact);
    const kind = fact.type.startsWith('dev.steadyops.') ? fact.type.slice('dev.steadyops.'.length) : fact.type;
    if (kind === 'deploy.finished' || kind === 'deploy.failed') this.addDeploy(fact, mark, data, kind === 'deploy.failed');
    else if (kind === 'rollback.started' || kind === 'rollback.finished' || kind === 'rollout.rolledback') this.addRollback(fact, mark, data, kind !== 'rollback.started');
    else if (kind.startsWith('incident.')) this.addIncident(fact, mark, data, kind);
    else if (kind === 'git.commit') this.addCommit(fact, mark, data);
    else if (kind === 'git.merge') this.addMerge(fact, mark, data);
    if (kind.startsWith('incident.') || kind.startsWith('followup.') || isFollowUpChange(fact)) this.remember(fact, mark.at);
  }

  /** Keeps an event for the follow-up fold. */
  remember(fact: MetricsFact, at: number): void {
    this.followUpEvents.push({ fact, at });
  }

  private addDeploy(fact: MetricsFact, when: Mark, data: Data, failed: boolean): void {
    if ((fact.environment ?? data['environment']) !== this.environment) return;
    const deployId = deployIdOf(data, this.environment);
    const service = text(data['service']) ?? fact.subject;
    if (!deployId || !service) return;
    const commit = text(data['commit']);
    const listed = texts(data['commits']);
    const shas = commit === undefined || listed.includes(commit) ? listed : [...listed, commit];
    const known = this.deploys.get(deployId);
    const mark = known ? earlier(known, when) : when;
    this.deploys.set(deployId, {
      at: mark.at,
      seq: mark.seq,
      deployId,
      service,
      environment: this.environment,
      failed: failed || (known?.failed ?? false),
      shas: known ? [...new Set([...known.shas, ...shas])] : shas,
      pullRequests: known ? [...new Set([...known.pullRequests, ...numbers(data['pullRequests'])])] : numbers(data['pullRequests']),
      fixes: fixesOf(data) ?? known?.fixes,
    });
  }

  private addRollback(fact: MetricsFact, when: Mark, data: Data, ended: boolean): void {
    if (environmentOfFact(fact) !== this.environment) return;
    const deployId = rolledBackId(data, this.environment);
    if (!deployId) return;
    this.rollbackEvents.set(deployId, [...(this.rollbackEvents.get(deployId) ?? []), fact.seq]);
    if (ended && data['outcome'] === 'succeeded') this.rollbacks.set(deployId, [...(this.rollbacks.get(deployId) ?? []), when]);
  }

  private incident(id: string): IncidentRecord {
    let record = this.incidents.get(id);
    if (!record) {
      record = { incidentId: id, services: new Set(), severity: 'unknown', budgetBurned: [] };
      this.incidents.set(id, record);
    }
    return record;
  }

  private addIncident(fact: MetricsFact, when: Mark, data: Data, kind: string): void {
    const id = text(data['incidentId']);
    if (!id) return;
    const record = this.incident(id);
    if (fact.subject) record.services.add(fact.subject);
    const causedBy = typeof data['causedBy'] === 'object' && data['causedBy'] !== null ? text((data['causedBy'] as Data)['deployId']) : undefined;
    if (causedBy && !record.causedBy) record.causedBy = { deployId: causedBy, seq: fact.seq };
    const severity = text(data['severity']);
    if (severity) record.severity = severity;
    if (kind === 'incident.declared') {
      for (const service of texts(data['services'])) record.services.add(service);
      const environment = environmentOfFact(fact);
      if (environment) record.environment = environment;
      record.declared = earlier(record.declared, when);
    } else if (kind === 'incident.acknowledged') {
      record.acknowledged = earlier(record.acknowledged, when);
    } else if (kind === 'incident.resolved') {
      record.resolved = earlier(record.resolved, when);
      for (const burn of Array.isArray(data['budgetBurned']) ? (data['budgetBurned'] as Data[]) : []) {
        const slo = text(burn['slo']);
        if (slo && typeof burn['percent'] === 'number') record.budgetBurned.push({ slo, percent: burn['percent'], seq: fact.seq });
      }
    }
  }

  private addCommit(fact: MetricsFact, when: Mark, data: Data): void {
    const sha = text(data['sha']);
    if (!sha) return;
    this.commitTimes.set(sha, earlier(this.commitTimes.get(sha), when));
    const pullRequest = data['pullRequest'];
    if (Number.isInteger(pullRequest) && fact.subject) {
      const key = `${fact.subject}#${String(pullRequest)}`;
      this.pullRequestStarts.set(key, earlier(this.pullRequestStarts.get(key), when));
    }
  }

  private addMerge(fact: MetricsFact, when: Mark, data: Data): void {
    const sha = text(data['sha']);
    if (!sha) return;
    this.commitTimes.set(sha, earlier(this.commitTimes.get(sha), when));
    this.mergeCommits.set(sha, texts(data['commits']));
    const pullRequest = data['pullRequest'];
    if (Number.isInteger(pullRequest) && fact.subject) this.mergedPullRequest.set(sha, `${fact.subject}#${String(pullRequest)}`);
  }

  finish(): Lineage {
    // a pull request starts at its earliest commit: those listed on its merge count as well
    const changeStarts = new Map<string, Mark>();
    for (const [sha, commits] of this.mergeCommits) {
      for (const commit of [sha, ...commits]) {
        const mark = this.commitTimes.get(commit);
        if (mark) changeStarts.set(sha, earlier(changeStarts.get(sha), mark));
      }
      const key = this.mergedPullRequest.get(sha);
      const start = changeStarts.get(sha);
      if (key && start) this.pullRequestStarts.set(key, earlier(this.pullRequestStarts.get(key), start));
    }
    for (const [sha, key] of this.mergedPullRequest) {
      const start = this.pullRequestStarts.get(key);
      if (start) changeStarts.set(sha, earlier(changeStarts.get(sha), start));
    }
    return {
      deploys: [...this.deploys.values()].sort((a, b) => a.at - b.at || a.seq - b.seq),
      rollbacks: this.rollbacks,
      rollbackEvents: this.rollbackEvents,
      incidents: this.incidents,
      commitTimes: this.commitTimes,
      pullRequestStarts: this.pullRequestStarts,
      changeStarts,
      followUpEvents: followUpInputs(this.followUpEvents),
    };
  }
}

function fixesOf(data: Data): DeployRecord['fixes'] {
  const fixes = typeof data['fixes'] === 'object' && data['fixes'] !== null ? (data['fixes'] as Data) : undefined;
  const deployId = text(fixes?.['deployId']);
  const incidentId = text(fixes?.['incidentId']);
  return deployId || incidentId ? { deployId, incidentId } : undefined;
}

/** The earliest commit a deploy ships, through its commits, their merges, and its pull requests. */
export function firstCommitOf(deploy: DeployRecord, lineage: Lineage): Mark | undefined {
  let first: Mark | undefined;
  const consider = (mark: Mark | undefined): void => {
    if (mark) first = earlier(first, mark);
  };
  for (const sha of deploy.shas) {
    consider(lineage.commitTimes.get(sha));
    consider(lineage.changeStarts.get(sha));
  }
  for (const number of deploy.pullRequests) consider(lineage.pullRequestStarts.get(`${deploy.service}#${number}`));
  return first;
}
