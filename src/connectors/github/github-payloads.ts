import { z } from 'zod';

/*
 * The parts of GitHub webhook payloads the mapping reads. Loose objects: GitHub adds fields often,
 * and only the fields named here must be present and well-typed.
 */

const text = z.string().min(1);
const timestamp = z.iso.datetime({ offset: true });
const commitSha = z.string().regex(/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/, 'must be a 40 or 64 character hex commit id');
const user = z.looseObject({ login: text });

const repository = z.looseObject({
  full_name: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'must be owner/name'),
  /** push events carry epoch seconds, the others an ISO timestamp */
  pushed_at: z.union([z.number(), z.string()]).nullish(),
});

const envelope = { repository, sender: user };

/** Enough to decide whether an event is mapped or ignored, before insisting on the rest. */
export const actionPayload = z.looseObject({ action: z.string().optional() });

const pushCommit = z.looseObject({
  id: commitSha,
  message: z.string(),
  timestamp: timestamp.optional(),
  author: z.looseObject({ name: text, username: z.string().optional() }),
  added: z.array(z.string()).optional(),
  removed: z.array(z.string()).optional(),
  modified: z.array(z.string()).optional(),
});

export const pushPayload = z.looseObject({
  ...envelope,
  ref: text,
  after: commitSha,
  deleted: z.boolean().optional(),
  pusher: z.looseObject({ name: z.string().optional() }).optional(),
  commits: z.array(pushCommit),
});

export const mergedPullRequestPayload = z.looseObject({
  ...envelope,
  number: z.int().positive(),
  pull_request: z.looseObject({
    title: z.string(),
    merge_commit_sha: commitSha,
    merged_at: timestamp,
    user,
    merged_by: user.nullish(),
    base: z.looseObject({ ref: text }),
    head: z.looseObject({ ref: text }),
  }),
});

export const workflowRunPayload = z.looseObject({
  ...envelope,
  workflow: z.looseObject({ name: z.string() }).nullish(),
  workflow_run: z.looseObject({
    id: z.int().positive(),
    name: z.string().nullish(),
    run_attempt: z.int().positive().optional(),
    head_branch: z.string().nullish(),
    head_sha: commitSha,
    event: z.string().optional(),
    html_url: z.url(),
    conclusion: z.string().nullish(),
    run_started_at: timestamp.nullish(),
    created_at: timestamp,
    updated_at: timestamp,
  }),
});

const deployment = z.looseObject({
  id: z.int().positive(),
  sha: commitSha,
  ref: text,
  environment: text,
  payload: z.unknown().optional(),
  created_at: timestamp,
});

export const deploymentPayload = z.looseObject({ ...envelope, deployment });

/** A GitHub App's custom deployment protection rule asks whether a deployment may proceed. */
export const protectionRulePayload = z.looseObject({
  ...envelope,
  action: z.literal('requested'),
  environment: text,
  deployment_callback_url: z.url(),
  deployment: deployment.extend({ creator: user.nullish() }),
  pull_requests: z.array(z.looseObject({ user: user.nullish() })).optional(),
  installation: z.looseObject({ id: z.int().positive() }),
});

export const deploymentStatusPayload = z.looseObject({
  ...envelope,
  deployment,
  deployment_status: z.looseObject({
    id: z.int().positive(),
    state: text,
    environment: z.string().optional(),
    description: z.string().nullish(),
    target_url: z.string().nullish(),
    environment_url: z.string().nullish(),
    log_url: z.string().nullish(),
    created_at: timestamp,
  }),
});

export const releasePayload = z.looseObject({
  ...envelope,
  release: z.looseObject({
    id: z.int().positive(),
    tag_name: text,
    target_commitish: z.string(),
    name: z.string().nullish(),
    html_url: z.url(),
    prerelease: z.boolean(),
    published_at: timestamp.nullish(),
    author: user.nullish(),
  }),
});

export type PushPayload = z.output<typeof pushPayload>;
export type MergedPullRequestPayload = z.output<typeof mergedPullRequestPayload>;
export type WorkflowRunPayload = z.output<typeof workflowRunPayload>;
export type DeploymentPayload = z.output<typeof deploymentPayload>;
export type ProtectionRulePayload = z.output<typeof protectionRulePayload>;
export type DeploymentStatusPayload = z.output<typeof deploymentStatusPayload>;
export type ReleasePayload = z.output<typeof releasePayload>;
