import { SteadyopsError } from '../../lib/errors.ts';
import type { SubjectResolver } from '../resolve-subject.ts';
import { protectionRulePayload } from './github-payloads.ts';
import { parsePayload, serviceHint, type GithubDelivery } from './map-github-event.ts';

/** What a deployment_protection_rule delivery asks: may this release of this service go to this environment? */
export interface ProtectionRuleRequest {
  readonly service: string;
  readonly environment: string;
  /** the deployment's commit */
  readonly version: string;
  /** who wrote the change: the pull request's author, else whoever created the deployment */
  readonly author?: string;
  readonly callbackUrl: string;
  readonly installationId: number;
  readonly repository: string;
}

/** Pure: reads the delivery and places the repository in the model; an unowned repository is an input error. */
export function protectionRuleRequest(delivery: GithubDelivery, resolve: SubjectResolver): ProtectionRuleRequest {
  const payload = parsePayload(protectionRulePayload, delivery);
  const repository = payload.repository.full_name;
  const hint = serviceHint(payload);
  const service = resolve({ repo: repository, ...(hint ? { name: hint } : {}) });
  if (!service) {
    throw new SteadyopsError('SO_E_INPUT_INVALID', {
      detail: `no service in the ownership model owns the repository ${repository}; set spec.repo.url of its service`,
    });
  }
  const author = payload.pull_requests?.find((pull) => pull.user)?.user?.login ?? payload.deployment.creator?.login;
  return {
    service,
    environment: payload.environment,
    version: payload.deployment.sha,
    ...(author ? { author } : {}),
    callbackUrl: payload.deployment_callback_url,
    installationId: payload.installation.id,
    repository,
  };
}
