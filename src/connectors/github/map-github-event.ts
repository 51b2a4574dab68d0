import { z } from 'zod';
import type { CloudEventInput, EventToAppend } from '../../ledger/types.ts';
import { SteadyopsError, type ErrorIssue } from '../../lib/errors.ts';
import type { SubjectResolver } from '../resolve-subject.ts';
import {
  actionPayload,
  deploymentPayload,
  deploymentStatusPayload,
  mergedPullRequestPayload,
  pushPayload,
  releasePayload,
  workflowRunPayload,
  type DeploymentPayload,
  type DeploymentStatusPayload,
  type MergedPullRequestPayload,
  type PushPayload,
  type ReleasePayload,
  type WorkflowRunPayload,
} from './github-payloads.ts';

/** One webhook delivery as GitHub sent it: the `X-GitHub-Event` and `X-GitHub-Delivery` headers and the parsed body. */
export interface GithubDelivery {
  readonly event: string;
  readonly delivery: string;
  readonly payload: unknown;
  /** when steadyops received it; the event time when the payload carries none */
  readonly receivedAt: Date;
}

export type GithubMapping =
  | { readonly kind: 'events'; readonly events: EventToAppend[] }
  | { readonly kind: 'ignored'; readonly reason: string }
  | { readonly kind: 'ping' };

interface Context {
  readonly delivery: GithubDelivery;
  readonly resolve: SubjectResolver;
}

/**
 * Pure: maps one GitHub delivery to ledger events. Event ids derive from the delivery id, so a
 * redelivery is acknowledged as a duplicate by the ledger. A payload without a field the mapping
 * needs is SO_E_INPUT_INVALID naming the field.
 */
export function mapGithubEvent(delivery: GithubDelivery, resolve: SubjectResolver): GithubMapping {
  const context: Context = { delivery, resolve };
  switch (delivery.event) {
    case 'ping':
      return { kind: 'ping' };
    case 'push':
      return mapPush(context, parsePayload(pushPayload, delivery));
    case 'pull_request':
      return mapPullRequest(context);
    case 'workflow_run':
      return mapWorkflowRun(context);
    case 'deployment':
      return mapDeployment(context);
    case 'deployment_status':
      return mapDeploymentStatus(context);
    case 'release':
      return mapRelease(context);
    default:
      return { kind: 'ignored', reason: `GitHub event ${delivery.event} is not recorded` };
  }
}

function mapPush(context: Context, payload: PushPayload): GithubMapping {
  if (payload.deleted) return { kind: 'ignored', reason: `push deleted ${payload.ref}` };
  if (payload.ref.startsWith('refs/tags/')) {
    const tag = payload.ref.slice('refs/tags/'.length);
    const data = { repo: repoOf(payload), tag, sha: payload.after, ...optional('author', payload.pusher?.name) };
    return events([build(context, payload, { type: 'dev.steadyops.git.tag', time: pushedAt(context, payload), data })]);
  }
  if (!payload.ref.startsWith('refs/heads/')) return { kind: 'ignored', reason: `push to ${payload.ref} is not a branch or tag` };
  if (payload.commits.length === 0) return { kind: 'ignored', reason: `push to ${payload.ref} carries no commits` };
  const branch = payload.ref.slice('refs/heads/'.length);
  const time = pushedAt(context, payload);
  return events(
    payload.commits.map((commit) => {
      const files = [...new Set([...(commit.added ?? []), ...(commit.modified ?? []), ...(commit.removed ?? [])])];
      const data = {
        repo: repoOf(payload),
        sha: commit.id,
        branch,
        author: commit.author.username || commit.author.name,
        message: commit.message,
        ...(files.length > 0 ? { files } : {}),
      };
      return build(context, payload, { type: 'dev.steadyops.git.commit', time, data, suffix: commit.id });
    }),
  );
}

function mapPullRequest(context: Context): GithubMapping {
  const { action } = parsePayload(actionPayload, context.delivery);
  const merged = (context.delivery.payload as { pull_request?: { merged?: unknown } }).pull_request?.merged === true;
  if (action !== 'closed') return { kind: 'ignored', reason: `pull_request action ${action ?? '(none)'} is not a merge` };
  if (!merged) return { kind: 'ignored', reason: 'pull_request closed without merging' };
  const payload: MergedPullRequestPayload = parsePayload(mergedPullRequestPayload, context.delivery);
  const pull = payload.pull_request;
  const data = {
    repo: repoOf(payload),
    sha: pull.merge_commit_sha,
    branch: pull.base.ref,
    sourceBranch: pull.head.ref,
    author: pull.user.login,
    pullRequest: payload.number,
    ...optional('mergedBy', pull.merged_by?.login),
    title: pull.title,
  };
  return events([build(context, payload, { type: 'dev.steadyops.git.merge', time: pull.merged_at, data })]);
}

const conclusionOutcomes: Readonly<Record<string, 'succeeded' | 'failed' | 'cancelled'>> = {
  success: 'succeeded',
  neutral: 'succeeded',
  failure: 'failed',
  timed_out: 'failed',
  startup_failure: 'failed',
  action_required: 'failed',
  cancelled: 'cancelled',
  skipped: 'cancelled',
  stale: 'cancelled',
};

function mapWorkflowRun(context: Context): GithubMapping {
  const { action } = parsePayload(actionPayload, context.delivery);
  if (action !== 'completed' && action !== 'requested' && action !== 'in_progress') {
    return { kind: 'ignored', reason: `workflow_run action ${action ?? '(none)'} is not recorded` };
  }
  const payload: WorkflowRunPayload = parsePayload(workflowRunPayload, context.delivery);
  const run = payload.workflow_run;
  const started = run.run_started_at ?? run.created_at;
  const base = {
    pipeline: run.name || payload.workflow?.name || `workflow run ${run.id}`,
    runId: String(run.id),
    repo: repoOf(payload),
    ...optional('branch', run.head_branch),
    commit: run.head_sha,
    ...optional('trigger', run.event),
    url: run.html_url,
    ...(run.run_attempt === undefined ? {} : { attempt: run.run_attempt }),
  };
  if (action !== 'completed') {
    return events([build(context, payload, { type: 'dev.steadyops.pipeline.started', time: started, data: base })]);
  }
  const outcome = conclusionOutcomes[run.conclusion ?? ''];
  if (!outcome) throw missingField('workflow_run', 'workflow_run.conclusion', `must be a completed run's conclusion (${Object.keys(conclusionOutcomes).join(', ')}), got ${JSON.stringify(run.conclusion ?? null)}`);
  const data = { ...base, outcome, ...optional('durationSeconds', secondsBetween(started, run.updated_at)) };
  return events([build(context, payload, { type: 'dev.steadyops.pipeline.finished', time: run.updated_at, data })]);
}

function mapDeployment(context: Context): GithubMapping {
  const { action } = parsePayload(actionPayload, context.delivery);
  if (action !== undefined && action !== 'created') return { kind: 'ignored', reason: `deployment action ${action} is not recorded` };
  const payload: DeploymentPayload = parsePayload(deploymentPayload, context.delivery);
  const data = deployData(context, payload, payload.deployment.environment);
  return events([build(context, payload, { type: 'dev.steadyops.deploy.started', time: payload.deployment.created_at, data })]);
}

const deployStates: Readonly<Record<string, 'started' | 'finished' | 'failed'>> = {
  pending: 'started',
  queued: 'started',
  in_progress: 'started',
  success: 'finished',
  failure: 'failed',
  error: 'failed',
};

function mapDeploymentStatus(context: Context): GithubMapping {
  const payload: DeploymentStatusPayload = parsePayload(deploymentStatusPayload, context.delivery);
  const status = payload.deployment_status;
  const verb = deployStates[status.state];
  if (!verb) return { kind: 'ignored', reason: `deployment_status state ${status.state} is not recorded` };
  const base = {
    ...deployData(context, payload, status.environment || payload.deployment.environment),
    ...optional('url', firstUrl(status.target_url, status.environment_url, status.log_url)),
  };
  const durationSeconds = verb === 'started' ? undefined : secondsBetween(payload.deployment.created_at, status.created_at);
  const data = {
    ...base,
    ...optional('durationSeconds', durationSeconds),
    ...(verb === 'failed' ? { reason: status.description || `deployment status ${status.state}` } : {}),
  };
  return events([build(context, payload, { type: `dev.steadyops.deploy.${verb}`, time: status.created_at, data })]);
}

function mapRelease(context: Context): GithubMapping {
  const { action } = parsePayload(actionPayload, context.delivery);
  if (action !== 'published') return { kind: 'ignored', reason: `release action ${action ?? '(none)'} is not recorded` };
  const payload: ReleasePayload = parsePayload(releasePayload, context.delivery);
  const release = payload.release;
  const data = {
    repo: repoOf(payload),
    tag: release.tag_name,
    ...optional('target', release.target_commitish),
    ...optional('name', release.name),
    prerelease: release.prerelease,
    url: release.html_url,
    ...optional('author', release.author?.login),
    releaseId: String(release.id),
  };
  const time = release.published_at ?? context.delivery.receivedAt.toISOString();
  return events([build(context, payload, { type: 'dev.steadyops.git.release', time, data })]);
}

interface Envelope {
  readonly repository: { readonly full_name: string };
  readonly sender: { readonly login: string };
}

interface Draft {
  readonly type: string;
  readonly time: string;
  readonly data: Record<string, unknown>;
  /** distinguishes the events of one delivery that yields several */
  readonly suffix?: string;
}

function build(context: Context, payload: Envelope, draft: Draft): EventToAppend {
  const subject = context.resolve({ repo: payload.repository.full_name, ...optional('name', serviceHint(payload)) });
  const event: CloudEventInput = {
    specversion: '1.0',
    id: draft.suffix === undefined ? context.delivery.delivery : `${context.delivery.delivery}:${draft.suffix}`,
    source: `/github/${payload.repository.full_name}`,
    type: draft.type,
    ...optional('subject', subject),
    time: draft.time,
    datacontenttype: 'application/json',
    data: draft.data,
  };
  return { event, actor: `github:${payload.sender.login}` };
}

function deployData(context: Context, payload: DeploymentPayload, environment: string): Record<string, unknown> {
  const deployment = payload.deployment;
  const service = context.resolve({ repo: payload.repository.full_name, ...optional('name', serviceHint(payload)) });
  return {
    service: service ?? serviceHint(payload) ?? repoName(payload.repository.full_name),
    environment,
    version: deployment.sha,
    commit: deployment.sha,
    ref: deployment.ref,
    deployId: String(deployment.id),
  };
}

/** `deployment.payload.service`, which deploy tooling commonly sets to name the service of a monorepo. */
export function serviceHint(payload: unknown): string | undefined {
  const deployment = (payload as { deployment?: { payload?: unknown } }).deployment;
  const inner = deployment?.payload;
  if (typeof inner !== 'object' || inner === null) return undefined;
  const service = (inner as Record<string, unknown>)['service'];
  return typeof service === 'string' && service !== '' ? service : undefined;
}

function pushedAt(context: Context, payload: PushPayload): string {
  const pushed = payload.repository.pushed_at;
  if (typeof pushed === 'number') return new Date(pushed * 1000).toISOString();
  return context.delivery.receivedAt.toISOString();
}

function secondsBetween(from: string, to: string): number | undefined {
  const seconds = (Date.parse(to) - Date.parse(from)) / 1000;
  return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}

const isUrl = z.url();

function firstUrl(...candidates: ReadonlyArray<string | null | undefined>): string | undefined {
  return candidates.find((candidate) => candidate && isUrl.safeParse(candidate).success) ?? undefined;
}

function repoOf(payload: Envelope): string {
  return payload.repository.full_name;
}

function repoName(fullName: string): string {
  return fullName.split('/')[1] ?? fullName;
}

function events(list: EventToAppend[]): GithubMapping {
  return { kind: 'events', events: list };
}

function optional<Key extends string, Value>(key: Key, value: Value | null | undefined | ''): { [K in Key]?: Value } {
  return value === undefined || value === null || value === '' ? {} : ({ [key]: value } as { [K in Key]: Value });
}

export function parsePayload<Schema extends z.ZodType>(schema: Schema, delivery: GithubDelivery): z.output<Schema> {
  const result = schema.safeParse(delivery.payload);
  if (result.success) return result.data;
  const issues: ErrorIssue[] = result.error.issues.map((issue) => ({
    path: ['body', ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const summary = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `the GitHub ${delivery.event} payload lacks what steadyops needs: ${summary}` }, issues);
}

function missingField(event: string, field: string, message: string): SteadyopsError {
  const path = `body.${field}`;
  return new SteadyopsError('SO_E_INPUT_INVALID', { detail: `the GitHub ${event} payload lacks what steadyops needs: ${path}: ${message}` }, [
    { path, message },
  ]);
}
