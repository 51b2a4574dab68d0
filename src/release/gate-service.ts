import { randomUUID } from 'node:crypto';
import type { PrometheusFor } from '../connectors/prometheus/prometheus-for.ts';
import type { CloudEventInput, Ledger, LedgerEvent } from '../ledger/types.ts';
import type { Clock } from '../lib/clock.ts';
import { SteadyopsError } from '../lib/errors.ts';
import { findEnvironment, findReleasePolicy, findService, type ResolvedModel, type ResolvedService } from '../model/resolve.ts';
import type { ReleasePolicySpec } from '../model/schema.ts';
import { evaluateGate, isUnreachable } from './evaluate-gate.ts';
import { releaseHistory, signalsFromEvents, type ReleaseKey } from './ledger-signals.ts';
import { prometheusAlertSignals } from './prometheus-signals.ts';
import type { CheckResult, ErrorBudgetSignal, FiringAlert, GateDecision, GateOverride, GateRequest, GateSignals, Signal, Unreachable } from './types.ts';

export interface GateCheckInput extends GateRequest {
  readonly shipsMigrations?: boolean;
  /** how much ledger history the checks read, in ms (default 90 days) */
  readonly lookbackMs?: number;
}

export interface GateOutcome extends GateDecision {
  readonly request: GateRequest;
  readonly policy: string;
  /** what the policy decided before any override */
  readonly policyDecision: GateDecision['decision'];
  /** the approver's override that turned this deny into an allow */
  readonly override?: GateOverride;
  /** signal sources that could not be reached (their checks errored and onError decided) */
  readonly unreachable: string[];
  /** the ledger sequence number of the recorded decision */
  readonly seq: number;
}

export interface ApprovalInput {
  readonly service: string;
  readonly version: string;
  readonly environment?: string;
  readonly approver: string;
  readonly comment?: string;
}

export interface OverrideInput extends ReleaseKey {
  readonly reason: string;
  readonly overriddenBy: string;
}

export interface GateService {
  check(input: GateCheckInput, actor: string): Promise<GateOutcome>;
  approve(input: ApprovalInput, actor: string): Promise<{ seq: number }>;
  override(input: OverrideInput, actor: string): Promise<GateOverride>;
}

/** Error budget remaining per SLO, from Prometheus; `slo status` answers the same question. */
export interface ErrorBudgetSource {
  status(model: ResolvedModel, query: { service?: string; environment?: string }): Promise<readonly { slo: string; budgetRemaining: number | undefined }[]>;
}

export interface GateServiceDeps {
  readonly ledger: Ledger;
  readonly clock: Clock;
  readonly model: () => ResolvedModel | undefined;
  /** error budgets; without it an errorBudget check errors ("not gathered") */
  readonly budgets?: ErrorBudgetSource;
  /** the environment's Prometheus, for alerts its rules have firing */
  readonly prometheus?: PrometheusFor;
}

/** The ledger types whose history the gate reads. */
const signalTypes = [
  'dev.steadyops.alert.*',
  'dev.steadyops.incident.*',
  'dev.steadyops.restore.drill.verified',
  'dev.steadyops.deploy.finished',
  'dev.steadyops.release.approved',
  'dev.steadyops.gate.*',
];
const defaultLookbackMs = 90 * 86_400_000;

/** Evaluates a release against its service's policy and records the decision, with what it saw, in the ledger. */
export function createGateService(deps: GateServiceDeps): GateService {
  const readHistory = async (lookbackMs: number): Promise<LedgerEvent[]> => {
    const now = deps.clock.now();
    const events = await deps.ledger.query({ since: new Date(now.getTime() - lookbackMs), until: now, types: signalTypes, limit: 100_000 });
    return [...events].reverse();
  };

  const gatherPrometheus = async (model: ResolvedModel, service: ResolvedService, policy: ReleasePolicySpec, environment: string) => {
    const types = new Set(policy.checks.map((check) => check.type));
    const [errorBudgets, promAlerts] = await Promise.all([
      types.has('errorBudget') && (service.slos?.length ?? 0) > 0 ? budgetSignal(deps.budgets, model, service.name, environment) : undefined,
      types.has('firingAlerts') ? alertSignal(deps.prometheus, model, environment) : undefined,
    ]);
    return { errorBudgets, promAlerts };
  };

  return {
    async check(input, actor) {
      const { model, service, policy } = releaseContext(deps.model(), input.service);
      if (!findEnvironment(model, input.environment)) throw unknownEnvironment(model, input.environment);
      const now = deps.clock.now();
      const request: GateRequest = { service: service.name, environment: input.environment, version: input.version, ...(input.author ? { author: input.author } : {}) };
      const [events, gathered] = await Promise.all([
        readHistory(input.lookbackMs ?? defaultLookbackMs),
        gatherPrometheus(model, service, policy, input.environment),
      ]);
      const release = { service: service.name, environment: input.environment, version: input.version };
      const fromLedger = signalsFromEvents(events, release);
      const signals: GateSignals = {
        ...fromLedger,
        ...(gathered.errorBudgets ? { errorBudgets: gathered.errorBudgets } : {}),
        firingAlerts: mergeAlerts(fromLedger.firingAlerts, gathered.promAlerts),
        shipsMigrations: Boolean(input.shipsMigrations),
      };
      const decision = evaluateGate(request, policy, service, model, signals, now);
      const { override } = releaseHistory(events, release);
      const overridden = decision.decision === 'deny' && override !== undefined;
      const unreachable = unreachableSources(signals, decision);
      const [recorded] = await deps.ledger.append([
        {
          actor,
          event: steadyopsEvent('dev.steadyops.gate.decided', service.name, input.environment, now, {
            service: service.name,
            environment: input.environment,
            policy: policy.name,
            decision: overridden ? 'allow' : decision.decision,
            policyDecision: decision.decision,
            mode: policy.mode,
            version: input.version,
            ...(input.author ? { author: input.author } : {}),
            ...(overridden ? { override } : {}),
            ...(unreachable.length > 0 ? { unreachable } : {}),
            checks: decision.results.map(({ type, mode, outcome, reason, inputs }) => ({ type, mode, outcome, reason, inputs })),
          }),
        },
      ]);
      return {
        ...decision,
        decision: overridden ? 'allow' : decision.decision,
        policyDecision: decision.decision,
        ...(overridden ? { override } : {}),
        unreachable,
        request,
        policy: policy.name,
        seq: recorded?.seq ?? 0,
      };
    },

    async approve(input, actor) {
      const { model, service } = releaseContext(deps.model(), input.service);
      if (input.environment && !findEnvironment(model, input.environment)) throw unknownEnvironment(model, input.environment);
      const [recorded] = await deps.ledger.append([
        {
          actor,
          event: steadyopsEvent('dev.steadyops.release.approved', service.name, input.environment, deps.clock.now(), {
            service: service.name,
            version: input.version,
            approver: input.approver,
            ...(input.environment ? { environment: input.environment } : {}),
            ...(input.comment ? { comment: input.comment } : {}),
          }),
        },
      ]);
      return { seq: recorded?.seq ?? 0 };
    },

    async override(input, actor) {
      const { service } = releaseContext(deps.model(), input.service);
      if (input.reason.trim().length < 10) {
        throw new SteadyopsError('SO_E_USAGE', { detail: 'an override needs a reason of at least 10 characters that a later reader understands' });
      }
      const release = { service: service.name, environment: input.environment, version: input.version };
      const history = releaseHistory(await readHistory(defaultLookbackMs), release);
      if (!history.lastDeny) {
        throw new SteadyopsError('SO_E_NOT_FOUND', { what: 'a denied gate decision for', id: `${service.name} ${input.version} in ${input.environment}` });
      }
      const now = deps.clock.now();
      const [recorded] = await deps.ledger.append([
        {
          actor,
          event: steadyopsEvent('dev.steadyops.gate.overridden', service.name, input.environment, now, {
            ...release,
            reason: input.reason,
            overriddenBy: input.overriddenBy,
            deniedSeq: history.lastDeny.seq,
            ...(history.lastDeny.policy ? { policy: history.lastDeny.policy } : {}),
          }),
        },
      ]);
      return { seq: recorded?.seq ?? 0, at: now.toISOString(), by: input.overriddenBy, reason: input.reason };
    },
  };
}

function releaseContext(model: ResolvedModel | undefined, serviceName: string) {
  if (!model) throw new SteadyopsError('SO_E_MODEL_NOT_FOUND', { path: '(the server was started without one)' });
  const service = findService(model, serviceName);
  if (!service) {
    throw new SteadyopsError('SO_E_USAGE', { detail: `unknown service "${serviceName}"; services: ${model.services.map((entry) => entry.name).join(', ')}` });
  }
  const policy = service.releasePolicy ? findReleasePolicy(model, service.releasePolicy) : undefined;
  if (!policy) throw new SteadyopsError('SO_E_USAGE', { detail: `service ${service.name} names no release policy (spec.releasePolicy)` });
  return { model, service, policy };
}

function unknownEnvironment(model: ResolvedModel, environment: string): SteadyopsError {
  return new SteadyopsError('SO_E_USAGE', {
    detail: `unknown environment "${environment}"; environments: ${model.environments.map((entry) => entry.name).join(', ')}`,
  });
}

async function budgetSignal(
  budgets: ErrorBudgetSource | undefined,
  model: ResolvedModel,
  service: string,
  environment: string,
): Promise<Signal<ErrorBudgetSignal[]> | undefined> {
  if (!budgets) return undefined;
  try {
    const statuses = await budgets.status(model, { service, environment });
    return statuses.map((status) => ({ slo: status.slo, remaining: status.budgetRemaining }));
  } catch (error) {
    return unreachableOrThrow(error);
  }
}

async function alertSignal(prometheus: PrometheusFor | undefined, model: ResolvedModel, environment: string): Promise<Signal<FiringAlert[]> | undefined> {
  if (!prometheus || !findEnvironment(model, environment)?.prometheus) return undefined;
  try {
    return prometheusAlertSignals(await prometheus(environment).alerts());
  } catch (error) {
    return unreachableOrThrow(error);
  }
}

function unreachableOrThrow(error: unknown): Unreachable {
  if (error instanceof SteadyopsError && error.code === 'SO_E_UNREACHABLE') return { unreachable: error.message, source: rootTarget(error) };
  throw error;
}

/** The target of the innermost SO_E_UNREACHABLE: wrappers add context to the message, not a new target. */
function rootTarget(error: SteadyopsError): string {
  const cause = error.cause;
  if (cause instanceof SteadyopsError && cause.code === 'SO_E_UNREACHABLE') return rootTarget(cause);
  return String(error.params.target ?? error.message);
}

/** Alerts the ledger heard of (Alertmanager, PagerDuty) and those Prometheus' rules fire now, once each. */
function mergeAlerts(fromLedger: Signal<FiringAlert[]> | undefined, fromPrometheus: Signal<FiringAlert[]> | undefined): Signal<FiringAlert[]> | undefined {
  if (fromPrometheus === undefined) return fromLedger;
  if ('unreachable' in fromPrometheus) return fromPrometheus;
  const ledger = fromLedger && !('unreachable' in fromLedger) ? fromLedger : [];
  const key = (alert: FiringAlert) => `${alert.alertname}\u0000${alert.service}\u0000${alert.severity}`;
  const seen = new Set(ledger.map(key));
  return [...ledger, ...fromPrometheus.filter((alert) => !seen.has(key(alert)))];
}

/** The sources an enforced check could not reach: the reason exit code 3 exists. */
function unreachableSources(signals: GateSignals, decision: GateDecision): string[] {
  const errored = new Set(decision.results.filter((result) => result.mode === 'enforce' && result.outcome === 'error').map((result) => result.type));
  const bySource = new Map<string, string>();
  const note = (signal: Signal<unknown> | undefined, type: CheckResult['type']) => {
    if (isUnreachable(signal) && errored.has(type)) {
      const source = signal.source ?? signal.unreachable;
      if (!bySource.has(source)) bySource.set(source, signal.unreachable);
    }
  };
  note(signals.errorBudgets, 'errorBudget');
  note(signals.firingAlerts, 'firingAlerts');
  return [...bySource.values()];
}

function steadyopsEvent(type: string, subject: string, environment: string | undefined, now: Date, data: Record<string, unknown>): CloudEventInput {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: '/steadyops/gates',
    type,
    subject,
    time: now.toISOString(),
    datacontenttype: 'application/json',
    ...(environment ? { extensions: { environment } } : {}),
    data,
  };
}
