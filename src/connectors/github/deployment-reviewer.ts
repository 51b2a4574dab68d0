import { createAppAuth } from '@octokit/auth-app';
import { request as octokitRequest } from '@octokit/request';
import { SteadyopsError } from '../../lib/errors.ts';

export interface GithubAppConfig {
  readonly appId: string;
  /** the App's PEM private key */
  readonly privateKey: string;
  /** https://api.github.com, or a GitHub Enterprise Server's /api/v3 */
  readonly apiUrl: string;
}

export interface DeploymentReview {
  readonly callbackUrl: string;
  readonly installationId: number;
  readonly environment: string;
  readonly state: 'approved' | 'rejected';
  readonly comment: string;
}

/** Answers GitHub's custom deployment protection rule callbacks as a GitHub App installation. */
export interface DeploymentReviewer {
  review(review: DeploymentReview): Promise<void>;
}

/** GitHub caps a review comment; keep the reasons readable and within it. */
const maxComment = 1024;

export function createDeploymentReviewer(config: GithubAppConfig, fetchImpl?: typeof fetch): DeploymentReviewer {
  const request = octokitRequest.defaults({
    baseUrl: config.apiUrl.replace(/\/+$/, ''),
    headers: { 'user-agent': 'steadyops' },
    ...(fetchImpl ? { request: { fetch: fetchImpl } } : {}),
  });
  const auth = createAppAuth({ appId: config.appId, privateKey: config.privateKey, request });
  return {
    async review(review) {
      try {
        const { token } = await auth({ type: 'installation', installationId: review.installationId });
        await request(`POST ${review.callbackUrl}`, {
          headers: { authorization: `token ${token}` },
          environment_name: review.environment,
          state: review.state,
          comment: review.comment.length > maxComment ? `${review.comment.slice(0, maxComment - 1)}…` : review.comment,
        });
      } catch (error) {
        throw new SteadyopsError('SO_E_UNREACHABLE', { target: `the GitHub API at ${config.apiUrl}`, detail: (error as Error).message });
      }
    },
  };
}
