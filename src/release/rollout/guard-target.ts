import { SteadyopsError } from '../../lib/errors.ts';
import type { RollbackSpec } from '../../model/schema.ts';
import { findEnvironment, findService, type ResolvedModel } from '../../model/resolve.ts';

export interface GuardTarget {
  readonly service: string;
  readonly environment: string;
  readonly namespace: string;
  readonly deployment: string;
  /** kubeconfig context; undefined means the kubeconfig's current context */
  readonly context: string | undefined;
  readonly rollback: RollbackSpec;
}

/**
 * What the guard watches, from the model: the service's Kubernetes Deployment and rollback criteria.
 * The context is the one asked for, else the service runtime's, else the environment's.
 */
export function guardTarget(model: ResolvedModel, request: { service: string; environment: string; context?: string | undefined }): GuardTarget {
  const service = findService(model, request.service);
  if (!service) throw usage(`unknown service "${request.service}"; services: ${model.services.map((entry) => entry.name).join(', ') || 'none'}`);
  const environment = findEnvironment(model, request.environment);
  if (!environment) throw usage(`unknown environment "${request.environment}"; environments: ${model.environments.map((entry) => entry.name).join(', ') || 'none'}`);
  const runtime = service.runtime;
  if (runtime?.kind !== 'kubernetes') {
    throw usage(`service ${service.name} has no Kubernetes runtime (spec.runtime with kind: kubernetes, namespace, deployment); the guard watches a Deployment`);
  }
  if (!service.rollback) {
    throw usage(`service ${service.name} declares no rollback criteria (spec.rollback.criteria); the guard has nothing to measure`);
  }
  return {
    service: service.name,
    environment: environment.name,
    namespace: runtime.namespace,
    deployment: runtime.deployment,
    context: request.context ?? runtime.context ?? environment.kubernetes?.context,
    rollback: service.rollback,
  };
}

function usage(detail: string): SteadyopsError {
  return new SteadyopsError('SO_E_USAGE', { detail });
}
