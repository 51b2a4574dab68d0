import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { GithubAppConfig } from '../connectors/github/deployment-reviewer.ts';
import { SteadyopsError } from '../lib/errors.ts';

/**
 * The GitHub App that answers deployment protection rules, from STEADYOPS_GITHUB_APP_ID,
 * STEADYOPS_GITHUB_APP_PRIVATE_KEY_FILE and STEADYOPS_GITHUB_API_URL (GitHub Enterprise Server).
 * Neither set: no App. Only one set: a usage error, not a silently disabled rule.
 */
export function githubAppFromEnv(env: NodeJS.ProcessEnv, cwd: string): GithubAppConfig | undefined {
  const appId = env.STEADYOPS_GITHUB_APP_ID || undefined;
  const keyFile = env.STEADYOPS_GITHUB_APP_PRIVATE_KEY_FILE || undefined;
  if (!appId && !keyFile) return undefined;
  if (!appId || !keyFile) {
    throw new SteadyopsError('SO_E_USAGE', {
      detail: 'a GitHub App needs both STEADYOPS_GITHUB_APP_ID and STEADYOPS_GITHUB_APP_PRIVATE_KEY_FILE (the PEM key GitHub generated for the App)',
    });
  }
  let privateKey: string;
  try {
    privateKey = readFileSync(resolve(cwd, keyFile), 'utf8');
  } catch (error) {
    throw new SteadyopsError('SO_E_USAGE', { detail: `cannot read STEADYOPS_GITHUB_APP_PRIVATE_KEY_FILE ${keyFile}: ${(error as Error).message}` });
  }
  if (!privateKey.includes('PRIVATE KEY-----')) {
    throw new SteadyopsError('SO_E_USAGE', { detail: `STEADYOPS_GITHUB_APP_PRIVATE_KEY_FILE ${keyFile} is not a PEM private key` });
  }
  return { appId, privateKey, apiUrl: env.STEADYOPS_GITHUB_API_URL || 'https://api.github.com' };
}
