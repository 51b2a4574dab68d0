import type { TokenService } from '../access/types.ts';
import type { AuditService } from '../audit/audit-service.ts';
import type { GithubAppConfig } from '../connectors/github/deployment-reviewer.ts';
import type { Ledger } from '../ledger/types.ts';
import type { Clock } from '../lib/clock.ts';
import type { ResolvedModel } from '../model/resolve.ts';
import type { PrometheusFor } from '../connectors/prometheus/prometheus-for.ts';
import type { SaturationService } from '../release/saturation-service.ts';
import type { SloStatusService } from '../slo/slo-status-service.ts';
import type { NotificationSettings } from './notification-follower.ts';

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
  /** SLO status from Prometheus; /api/v1/slos answers 503 (SO_E_NOT_CONFIGURED) without it */
  slos?: SloStatusService;
  /** dependency saturation from Prometheus; /api/v1/saturation answers 503 without it */
  saturation?: SaturationService;
  /** the Prometheus of each environment, for the alerts release gates read; without it gates read alerts from the ledger only */
  prometheus?: PrometheusFor;
  /** audits of the server's repository; /api/v1/audit answers 503 without it */
  audit?: AuditService;
  /** the model's repository folder (`repositoryOfModel`): runbooks and Prometheus rule files are read inside it; /api/v1/services/:name/runbooks answers 503 without it */
  repositoryRoot?: string;
  /** the built web dashboard (dist/web), served at `/` when it holds an index.html; without it `/` says how to build it */
  webRoot?: string;
  /** GET /api/v1/events/stream timing: ledger head poll while readers are connected (default 1 s), heartbeat comments (default 15 s) */
  liveEvents?: { pollMs?: number; heartbeatMs?: number };
  /** team chat / PagerDuty notifications of incident and page-alert events; without it (or with nothing to notify) none are sent */
  notifications?: NotificationSettings;
}

export const defaultBodyLimit = 5 * 1024 * 1024;
