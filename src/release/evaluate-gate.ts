import { formatDuration, parseDuration } from '../lib/duration.ts';
import type { ResolvedModel, ResolvedService } from '../model/resolve.ts';
import type { ReleaseCheck, ReleasePolicySpec } from '../model/schema.ts';
import { isInFreezeWindow } from './is-in-freeze-window.ts';
import type {
  Approval,
  CheckMode,
  CheckOutcome,
  CheckResult,
  GateDecision,
  GateRequest,
  GateSignals,
  Signal,
  Unreachable,
} from './types.ts';

type CheckOf<T extends ReleaseCheck['type']> = Extract<ReleaseCheck, { type: T }>;
type Verdict = Pick<CheckResult, 'outcome' | 'reason' | 'inputs'>;

interface GateContext {
  request: GateRequest;
  service: ResolvedService;
  model: ResolvedModel;
  signals: GateSignals;
  now: Date;
}

/** A signal that is missing or unreachable turns the check into an error the policy's onError decides. */
class SignalError extends Error {}

/** Evaluates every check of the policy in order and decides; pure: all data, including the time, comes in. */
export function evaluateGate(
  request: GateRequest,
  policy: ReleasePolicySpec,
  service: ResolvedService,
  model: ResolvedModel,
  signals: GateSignals,
  now: Date,
): GateDecision {
  const context: GateContext = { request, service, model, signals, now };
  const results = policy.checks.map((check) => evaluateCheck(check, effectiveMode(policy, check), context));
  return decide(results, policy.onError);
}

export function decide(results: CheckResult[], onError: ReleasePolicySpec['onError']): GateDecision {
  const enforced = results.filter((result) => result.mode === 'enforce');
  const denies = (result: CheckResult) =>
    result.outcome === 'fail' || (result.outcome === 'error' && onError === 'deny');
  const enforcedFailures = enforced.filter(denies);
  return {
    decision: enforcedFailures.length > 0 ? 'deny' : 'allow',
    enforcedFailures,
    shadowFailures: results.filter((result) => result.mode === 'shadow' && result.outcome !== 'pass'),
    results,
    onErrorApplied: enforced.some((result) => result.outcome === 'error'),
  };
}

function effectiveMode(policy: ReleasePolicySpec, check: ReleaseCheck): CheckMode {
  return policy.mode === 'shadow' || check.mode === 'shadow' ? 'shadow' : 'enforce';
}

function evaluateCheck(check: ReleaseCheck, mode: CheckMode, context: GateContext): CheckResult {
  try {
    return { type: check.type, mode, ...verdictFor(check, context) };
  } catch (error) {
    const reason = error instanceof SignalError ? error.message : `The check could not run: ${String(error)}.`;
    return { type: check.type, mode, outcome: 'error', reason, inputs: {} };
  }
}

function verdictFor(check: ReleaseCheck, context: GateContext): Verdict {
  switch (check.type) {
    case 'errorBudget':
      return checkErrorBudget(check, context);
    case 'firingAlerts':
      return checkFiringAlerts(check, context);
    case 'openIncidents':
      return checkOpenIncidents(check, context);
    case 'freezeWindow':
      return checkFreezeWindow(check, context);
    case 'approvals':
      return checkApprovals(check, context);
    case 'restoreFreshness':
      return checkRestoreFreshness(check, context);
    case 'rollbackPlan':
      return checkRollbackPlan(context);
    case 'changeFrequency':
      return checkChangeFrequency(check, context);
  }
}

function verdict(outcome: CheckOutcome, reason: string, inputs: Record<string, unknown>): Verdict {
  return { outcome, reason, inputs };
}

export function isUnreachable(value: unknown): value is Unreachable {
  return typeof value === 'object' && value !== null && 'unreachable' in value;
}

function gathered<T>(signal: Signal<T> | undefined, what: string): T {
  if (signal === undefined) throw new SignalError(`The ${what} were not gathered, so this check could not run.`);
  if (isUnreachable(signal)) {
    throw new SignalError(`The ${what} could not be read (${signal.unreachable}), so this check could not run.`);
  }
  return signal;
}

function timestamp(text: string, what: string): number {
  const at = Date.parse(text);
  if (Number.isNaN(at)) throw new SignalError(`The ${what} "${text}" is not an RFC 3339 time, so this check could not run.`);
  return at;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

function list(items: readonly string[]): string {
  return items.join(', ');
}

// ---------------------------------------------------------------- errorBudget

function checkErrorBudget(check: CheckOf<'errorBudget'>, { service, signals }: GateContext): Verdict {
  const slos = (service.slos ?? []).map((slo) => slo.name);
  if (slos.length === 0) {
    throw new SignalError(`${service.name} declares no SLOs, so there is no error budget to check.`);
  }
  const budgets = gathered(signals.errorBudgets, 'error budgets');
  const remaining = Object.fromEntries(slos.map((slo) => [slo, budgets.find((budget) => budget.slo === slo)?.remaining]));
  const inputs = { minRemaining: check.minRemaining, remaining };
  const noData = slos.filter((slo) => remaining[slo] === undefined);
  if (noData.length > 0) {
    throw new SignalError(`There is no error budget data for SLO ${list(noData)} of ${service.name}, so this check could not run.`);
  }
  const low = slos.filter((slo) => (remaining[slo] as number) < check.minRemaining);
  if (low.length > 0) {
    const detail = low.map((slo) => `${slo} has ${percent(remaining[slo] as number)} left`).join(', ');
    return verdict('fail', `Error budget too low: ${detail}, below the required ${percent(check.minRemaining)}.`, inputs);
  }
  return verdict('pass', `Every SLO of ${service.name} has at least ${percent(check.minRemaining)} of its error budget left.`, inputs);
}

function percent(fraction: number): string {
  return `${Math.round(fraction * 1000) / 10}%`;
}

// ---------------------------------------------------------------- firingAlerts

function checkFiringAlerts(check: CheckOf<'firingAlerts'>, { service, signals }: GateContext): Verdict {
  const watched = [service.name, ...(check.includeDependencies ? serviceDependencies(service) : [])];
  const alerts = gathered(signals.firingAlerts, 'firing alerts');
  const blocking = alerts.filter(
    (alert) => watched.includes(alert.service) && (check.severities as string[]).includes(alert.severity),
  );
  const inputs = { services: watched, severities: check.severities, firing: blocking };
  if (blocking.length > 0) {
    const names = blocking.map((alert) => `${alert.alertname} (${alert.severity}) on ${alert.service}`);
    return verdict('fail', `Alerts are firing: ${list(names)}; resolve or silence them before releasing.`, inputs);
  }
  return verdict('pass', `No ${list(check.severities)} alert is firing on ${list(watched)}.`, inputs);
}

function serviceDependencies(service: ResolvedService): string[] {
  return (service.dependsOn ?? []).flatMap((dependency) => (dependency.service ? [dependency.service] : []));
}

// ---------------------------------------------------------------- openIncidents

function checkOpenIncidents(check: CheckOf<'openIncidents'>, { service, signals }: GateContext): Verdict {
  const incidents = gathered(signals.openIncidents, 'open incidents');
  const blocking = incidents.filter(
    (incident) => incident.services.includes(service.name) && (check.severities as string[]).includes(incident.severity),
  );
  const inputs = { severities: check.severities, open: blocking };
  if (blocking.length > 0) {
    const names = blocking.map((incident) => `${incident.id} (${incident.severity})`);
    return verdict('fail', `${service.name} has open incidents: ${list(names)}; close them before releasing.`, inputs);
  }
  return verdict('pass', `${service.name} has no open ${list(check.severities)} incident.`, inputs);
}

// ---------------------------------------------------------------- freezeWindow

function checkFreezeWindow(check: CheckOf<'freezeWindow'>, { now }: GateContext): Verdict {
  const names = check.windows.flatMap((window, index) =>
    isInFreezeWindow(window, now) ? [window.name ?? `window ${index + 1}`] : [],
  );
  const inputs = { now: now.toISOString(), windows: check.windows, active: names };
  if (names.length > 0) {
    return verdict('fail', `A release freeze is in effect (${list(names)}); wait until it ends.`, inputs);
  }
  return verdict('pass', `No release freeze is in effect at ${now.toISOString()}.`, inputs);
}

// ---------------------------------------------------------------- approvals

function checkApprovals(check: CheckOf<'approvals'>, { request, model, signals }: GateContext): Verdict {
  const approvals = gathered(signals.approvals, 'approvals');
  const identity = (who: string) => personKey(model, who);
  const author = request.author === undefined ? undefined : identity(request.author);
  const counted = distinctApprovers(approvals, identity).filter(
    (approver) =>
      (check.allowAuthor || identity(approver) !== author) &&
      (check.fromTeams === undefined || check.fromTeams.some((team) => isTeamMember(model, team, approver))),
  );
  const inputs = {
    minApprovals: check.minApprovals,
    fromTeams: check.fromTeams,
    allowAuthor: check.allowAuthor,
    author: request.author,
    approvals,
    counted,
  };
  const from = check.fromTeams ? ` from ${list(check.fromTeams)}` : '';
  if (counted.length < check.minApprovals) {
    const rule = check.allowAuthor ? '' : ' (the author does not count)';
    return verdict(
      'fail',
      `The release has ${counted.length} of the ${plural(check.minApprovals, 'approval')} it needs${from}${rule}.`,
      inputs,
    );
  }
  return verdict('pass', `The release has ${plural(counted.length, 'approval')}${from}, at least the ${check.minApprovals} required.`, inputs);
}

function distinctApprovers(approvals: readonly Approval[], identity: (who: string) => string): string[] {
  const byPerson = new Map<string, string>();
  for (const approval of approvals) {
    const key = identity(approval.approver);
    if (!byPerson.has(key)) byPerson.set(key, approval.approver);
  }
  return [...byPerson.values()];
}

/** One key per person, so an email and the same member's GitHub login count once. */
function personKey(model: ResolvedModel, who: string): string {
  const wanted = who.toLowerCase();
  for (const team of model.teams) {
    const member = team.members.find(
      (candidate) => candidate.email.toLowerCase() === wanted || candidate.github?.toLowerCase() === wanted,
    );
    if (member) return member.email.toLowerCase();
  }
  return wanted;
}

function isTeamMember(model: ResolvedModel, teamName: string, who: string): boolean {
  const key = personKey(model, who);
  const team = model.teams.find((candidate) => candidate.name === teamName);
  return team?.members.some((member) => member.email.toLowerCase() === key) ?? false;
}

// ---------------------------------------------------------------- restoreFreshness

function checkRestoreFreshness(check: CheckOf<'restoreFreshness'>, { service, signals, now }: GateContext): Verdict {
  const shipsMigrations = gathered(signals.shipsMigrations, 'migration facts of the release');
  const datastores = (service.dependsOn ?? []).flatMap((dependency) => (dependency.datastore ? [dependency.datastore] : []));
  if (!shipsMigrations) {
    return verdict('pass', 'The release ships no database migrations, so restore freshness does not apply.', { shipsMigrations });
  }
  if (datastores.length === 0) {
    return verdict('pass', `${service.name} depends on no datastore, so restore freshness does not apply.`, { shipsMigrations, datastores });
  }
  const maxAgeMs = parseDuration(check.maxAge);
  const restores = gathered(signals.restores, 'restore verifications');
  const ages = Object.fromEntries(datastores.map((datastore) => [datastore, lastRestoreAge(restores, datastore, now)]));
  const inputs = { shipsMigrations, maxAge: check.maxAge, datastores, lastVerifiedAgoMs: ages };
  const stale = datastores.filter((datastore) => (ages[datastore] ?? Infinity) > maxAgeMs);
  if (stale.length > 0) {
    const detail = stale.map((datastore) => staleDescription(datastore, ages[datastore]));
    return verdict(
      'fail',
      `The release ships migrations but ${list(detail)}; run a restore drill first (required within ${check.maxAge}).`,
      inputs,
    );
  }
  return verdict('pass', `Every datastore of ${service.name} had a verified restore within ${check.maxAge}.`, inputs);
}

function lastRestoreAge(restores: readonly { datastore: string; verifiedAt: string }[], datastore: string, now: Date) {
  const times = restores
    .filter((restore) => restore.datastore === datastore)
    .map((restore) => timestamp(restore.verifiedAt, `restore time of ${datastore}`));
  return times.length === 0 ? undefined : now.getTime() - Math.max(...times);
}

function staleDescription(datastore: string, ageMs: number | undefined): string {
  return ageMs === undefined
    ? `${datastore} has never had a verified restore`
    : `${datastore} was last restored ${formatDuration(ageMs)} ago`;
}

// ---------------------------------------------------------------- rollbackPlan

function checkRollbackPlan({ service }: GateContext): Verdict {
  const criteria = service.rollback?.criteria ?? [];
  const inputs = { criteria, strategy: service.rollback?.strategy };
  if (criteria.length === 0) {
    return verdict('fail', `${service.name} declares no rollback criteria; add spec.rollback.criteria to its model.`, inputs);
  }
  return verdict('pass', `${service.name} declares ${plural(criteria.length, 'rollback criterion', 'rollback criteria')}.`, inputs);
}

// ---------------------------------------------------------------- changeFrequency

function checkChangeFrequency(check: CheckOf<'changeFrequency'>, { service, signals, now }: GateContext): Verdict {
  const since = now.getTime() - parseDuration(check.window);
  const deploys = gathered(signals.recentDeploys, 'recent deploys');
  const count = deploys.filter((deploy) => {
    const at = timestamp(deploy.at, 'deploy time');
    return at > since && at <= now.getTime();
  }).length;
  const inputs = { max: check.max, window: check.window, recentDeploys: count };
  if (count >= check.max) {
    return verdict(
      'fail',
      `${service.name} was already deployed ${plural(count, 'time')} in the last ${check.window}; this release would exceed the limit of ${check.max}.`,
      inputs,
    );
  }
  return verdict('pass', `${service.name} was deployed ${plural(count, 'time')} in the last ${check.window}, within the limit of ${check.max}.`, inputs);
}
