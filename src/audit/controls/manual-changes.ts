import type { LedgerEvent } from '../../ledger/types.ts';
import type { ResolvedModel } from '../../model/resolve.ts';
import type { AuditFacts } from '../facts.ts';
import {
  HOUR_MS,
  clusterWatcherActor,
  dataOf,
  deploysOf,
  environmentOfEvent,
  isProductionEnvironment,
  ledgerEvents,
  ofType,
  serviceOf,
  textOf,
  timeOf,
} from './ledger-history.ts';

/** A change record counts when it is this long before the change ... */
export const recordBeforeMs = 2 * HOUR_MS;
/** ... or this long after it. */
export const recordAfterMs = 30 * 60_000;

/** Events that are themselves a change record: a release, a pipeline run, a gate decision, a merge, a reported change. */
const recordTypes = /^dev\.steadyops\.(deploy|rollback|rollout|pipeline|gate|release|git\.merge|change\.reported)/;

/** Fields that point a change at its record: the commit it came from, a link to the run or request, a ticket. */
const referenceFields = ['commit', 'url', 'changeId', 'ticket', 'pullRequest'];

export interface ManualChange {
  readonly event: LedgerEvent;
  /** the service, else the subject, else the Terraform workspace */
  readonly target: string;
  readonly service?: string;
  readonly environment: string;
}

/**
 * Production changes made beside the delivery path: `config.changed`, `infra.applied`, and workload changes the
 * Kubernetes watcher saw (actor `system:kubernetes`), that name no commit, link or ticket and have no deploy, pipeline
 * run on the release branch, gate decision, merge or reported change for the same service (and environment) from
 * 2h before to 30m after.
 */
export function manualChanges(facts: AuditFacts): ManualChange[] {
  const events = ledgerEvents(facts);
  const model = facts.model?.model;
  const watched = deploysOf(events)
    .filter((deploy) => deploy.event.actor === clusterWatcherActor)
    .map((deploy) => deploy.event);
  const candidates = [...ofType(events, 'dev.steadyops.config.changed', 'dev.steadyops.infra.applied'), ...watched].sort((a, b) => timeOf(a) - timeOf(b) || a.seq - b.seq);
  const records = events.filter((event) => recordTypes.test(event.type) && event.actor !== clusterWatcherActor);
  return candidates.flatMap((event) => {
    const environment = environmentOfEvent(event);
    if (!isProductionEnvironment(model, environment) || referenceFields.some((field) => dataOf(event)[field] !== undefined)) return [];
    if (records.some((record) => documents(record, event, model))) return [];
    const service = serviceOf(event);
    const target = service ?? textOf(dataOf(event), 'workspace') ?? 'unknown';
    return [{ event, target, ...(service ? { service } : {}), environment: environment! }];
  });
}

function documents(record: LedgerEvent, change: LedgerEvent, model: ResolvedModel | undefined): boolean {
  const offset = timeOf(record) - timeOf(change);
  if (offset < -recordBeforeMs || offset > recordAfterMs) return false;
  const service = serviceOf(change) ?? change.subject;
  if (service === undefined || serviceOf(record) !== service) return false;
  const environment = environmentOfEvent(record);
  if (environment !== undefined && environment !== environmentOfEvent(change)) return false;
  return !record.type.startsWith('dev.steadyops.pipeline.') || onReleaseBranch(record, model, service);
}

/** A CI run of a feature branch is not a change record; runs without a branch, or on the service's release branch, are. */
function onReleaseBranch(run: LedgerEvent, model: ResolvedModel | undefined, service: string): boolean {
  const branch = textOf(dataOf(run), 'branch');
  const release = model?.services.find((entry) => entry.name === service)?.repo?.branch;
  return branch === undefined || branch === release || (release === undefined && (branch === 'main' || branch === 'master'));
}
