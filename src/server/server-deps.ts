import type { TokenService } from '../access/types.ts';
import type { GithubAppConfig } from '../connectors/github/deployment-reviewer.ts';
import type { Ledger } from '../ledger/types.ts';
import type { Clock } from '../lib/clock.ts';
import type { ResolvedModel } from '../model/resolve.ts';

export interface ServerDeps {
  ledger: Ledger;
  tokens: TokenService;
  /** the resolved ownership model (JSON), or undefined when none is loaded */
  model: { current(): ResolvedModel | undefined };
  clock: Clock;
  /** bytes; default 5 MiB */
  bodyLimit?: number;
  logger?: boolean | { level: string; stream?: NodeJS.WritableStream };
  /** throws when the store is unreachable */
  ready: () => Promise<void>;
  version: string;
  /** the shared secret GitHub signs webhook deliveries with; /hooks/github answers 503 without one */
  githubWebhookSecret?: string;
  /** the GitHub App that answers deployment protection rules; they answer 503 without one */
  githubApp?: GithubAppConfig;
}

export const defaultBodyLimit = 5 * 1024 * 1024;
