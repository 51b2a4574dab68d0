import { randomUUID } from 'node:crypto';
import type { Clock } from '../lib/clock.ts';
import { SteadyopsError } from '../lib/errors.ts';
import type { Ledger } from '../ledger/types.ts';
import { findReleasePolicy, findService, type ResolvedModel } from '../model/resolve.ts';
import { evaluateGate } from './evaluate-gate.ts';
import { signalsFromEvents } from './ledger-signals.ts';
import type { GateDecision, GateRequest } from './types.ts';

export interface GateCheckInput extends GateRequest {
  readonly shipsMigrations?: boolean;
  /** how much ledger history the checks read, in ms (default 90 days) */
  readonly lookbackMs?: number;
}

export interface GateOutcome extends GateDecision {
  readonly request: GateRequest;
  readonly policy: string;
  /** the ledger sequence number of the recorded decision */
  readonly seq: number;
}

export interface GateService {
  check(input: GateCheckInput, actor: string): Promise<GateOutcome>;
}

/** The ledger types whose history the gate reads. */
const signalTypes = ['dev.steadyops.alert.*', 'dev.steadyops.incident.*', 'dev.steadyops.restore.drill.verified', 'dev.steadyops.deploy.finished'];
const defaultLookbackMs = 90 * 86_400_000;

/** Evaluates a release against its service's policy and records the decision, with what it saw, in the ledger. */
export function createGateService(deps: { ledger: Ledger; clock: Clock; model: () => ResolvedModel | undefined }): GateService {
  return {
    async check(input, actor) {
      const model = deps.model();
      if (!model) throw new SteadyopsError('SO_E_MODEL_NOT_FOUND', { path: '(the server was started without one)' });
      const service = findService(model, input.service);
      if (!service) {
        throw new SteadyopsError('SO_E_USAGE', { detail: `unknown service "${input.service}"; services: ${model.services.map((entry) => entry.name).join(', ')}` });
      }
      const policy = service.releasePolicy ? findReleasePolicy(model, service.releasePolicy) : undefined;
      if (!policy) throw new SteadyopsError('SO_E_USAGE', { detail: `service ${service.name} names no release policy (spec.releasePolicy)` });
      const now = deps.clock.now();
      const request: GateRequest = { service: service.name, environment: input.environment, version: input.version, ...(input.author ? { author: input.author } : {}) };
      const since = new Date(now.getTime() - (input.lookbackMs ?? defaultLookbackMs));
      const events = await deps.ledger.query({ since, until: now, types: signalTypes, limit: 100_000 });
      const signals = { ...signalsFromEvents([...events].reverse(), service.name, input.environment), shipsMigrations: Boolean(input.shipsMigrations) };
      const decision = evaluateGate(request, policy, service, model, signals, now);
      const [recorded] = await deps.ledger.append([
        {
          actor,
          event: {
            specversion: '1.0',
            id: randomUUID(),
            source: '/steadyops/gates',
            type: 'dev.steadyops.gate.decided',
            subject: service.name,
            time: now.toISOString(),
            datacontenttype: 'application/json',
            extensions: { environment: input.environment },
            data: {
              service: service.name,
              environment: input.environment,
              policy: policy.name,
              decision: decision.decision,
              mode: policy.mode,
              version: input.version,
              checks: decision.results.map(({ type, mode, outcome, reason, inputs }) => ({ type, mode, outcome, reason, inputs })),
            },
          },
        },
      ]);
      return { ...decision, request, policy: policy.name, seq: recorded?.seq ?? 0 };
    },
  };
}
