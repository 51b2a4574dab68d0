import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parseStructuredEvents } from '../../ledger/cloud-event.ts';
import type { EventToAppend } from '../../ledger/types.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import type { SubjectHints } from '../resolve-subject.ts';
import { mapGithubEvent, type GithubMapping } from './map-github-event.ts';

interface ExampleSet {
  readonly name: string;
  readonly examples: Array<Record<string, unknown>>;
}

const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as ExampleSet[];

/** A real example payload from @octokit/webhooks-examples, picked by event name and a predicate. */
function example(event: string, pick: (payload: any) => boolean = () => true): any {
  const found = examples.find((set) => set.name === event)?.examples.find(pick);
  if (!found) throw new Error(`@octokit/webhooks-examples has no ${event} example matching the test's pick`);
  return structuredClone(found);
}

const receivedAt = new Date('2026-03-01T10:00:00Z');
const resolveCalls: SubjectHints[] = [];
const resolve = (hints: SubjectHints): string | undefined => {
  resolveCalls.push(hints);
  if (hints.name === 'payments') return 'payments';
  return hints.repo?.toLowerCase() === 'codertocat/hello-world' ? 'hello-service' : undefined;
};

function map(event: string, payload: unknown, delivery = 'd-1'): GithubMapping {
  return mapGithubEvent({ event, delivery, payload, receivedAt }, resolve);
}

function mappedEvents(event: string, payload: unknown, delivery = 'd-1'): EventToAppend[] {
  const mapping = map(event, payload, delivery);
  if (mapping.kind !== 'events') throw new Error(`expected events, got ${JSON.stringify(mapping)}`);
  // Every mapped event must pass the same validation POST /api/v1/events applies (envelope and catalogue payload).
  parseStructuredEvents(mapping.events.map((item) => item.event));
  return mapping.events;
}

function inputError(run: () => unknown): SteadyopsError {
  try {
    run();
  } catch (error) {
    if (error instanceof SteadyopsError) return error;
    throw error;
  }
  throw new Error('expected SO_E_INPUT_INVALID');
}

const mergedPullRequest = () => {
  const payload = example('pull_request', (p) => p.action === 'closed');
  payload.pull_request.merged = true;
  payload.pull_request.merged_at = '2019-05-15T15:21:18Z';
  payload.pull_request.merged_by = { login: 'octocat' };
  return payload;
};

describe('mapGithubEvent on real GitHub example payloads', () => {
  it('maps a branch push to one git.commit per commit, ids from the delivery and the commit sha', () => {
    const payload = example('push', (p) => p.ref === 'refs/heads/master' && p.commits.length > 0);
    const [commit, ...rest] = mappedEvents('push', payload, 'delivery-7');
    expect(rest).toEqual([]);
    expect(commit).toEqual({
      actor: 'github:Codertocat',
      event: {
        specversion: '1.0',
        id: 'delivery-7:6113728f27ae82c7b1a177c8d03f9e96e0adf246',
        source: '/github/Codertocat/Hello-World',
        type: 'dev.steadyops.git.commit',
        subject: 'hello-service',
        time: '2019-05-15T15:20:57.000Z',
        datacontenttype: 'application/json',
        data: {
          repo: 'Codertocat/Hello-World',
          sha: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
          branch: 'master',
          author: 'Codertocat',
          message: 'Initial commit',
          files: ['README.md'],
        },
      },
    });
  });

  it('gives each commit of a multi-commit push its own id', () => {
    const payload = example('push', (p) => p.ref === 'refs/heads/master' && p.commits.length > 0);
    payload.commits.push({ ...payload.commits[0], id: 'a'.repeat(40), message: 'second', added: [] });
    const ids = mappedEvents('push', payload, 'd-2').map((item) => item.event.id);
    expect(ids).toEqual(['d-2:6113728f27ae82c7b1a177c8d03f9e96e0adf246', `d-2:${'a'.repeat(40)}`]);
  });

  it('maps a tag push to git.tag', () => {
    const payload = example('push', (p) => p.ref.startsWith('refs/tags/') && p.created && !p.deleted);
    const [tag] = mappedEvents('push', payload, 'd-3');
    expect(tag?.event).toMatchObject({
      id: 'd-3',
      type: 'dev.steadyops.git.tag',
      data: { repo: 'Codertocat/Hello-World', tag: 'simple-tag', sha: '6113728f27ae82c7b1a177c8d03f9e96e0adf246', author: 'Codertocat' },
    });
  });

  it('maps a merged pull request to git.merge', () => {
    const [merge] = mappedEvents('pull_request', mergedPullRequest(), 'd-4');
    expect(merge?.actor).toBe('github:Codertocat');
    expect(merge?.event).toMatchObject({
      id: 'd-4',
      type: 'dev.steadyops.git.merge',
      subject: 'hello-service',
      time: '2019-05-15T15:21:18Z',
      data: {
        repo: 'Codertocat/Hello-World',
        sha: 'c4295bd74fb0f4fda03689c3df3f2803b658fd85',
        branch: 'master',
        sourceBranch: 'changes',
        author: 'Codertocat',
        pullRequest: 2,
        mergedBy: 'octocat',
        title: 'Update the README with new information.',
      },
    });
  });

  it('maps a completed workflow run to pipeline.finished and a requested one to pipeline.started', () => {
    const [finished] = mappedEvents('workflow_run', example('workflow_run', (p) => p.action === 'completed' && p.workflow_run.conclusion === 'success'));
    expect(finished?.event).toMatchObject({
      type: 'dev.steadyops.pipeline.finished',
      source: '/github/octo-org/octo-repo',
      time: '2020-10-05T16:33:49Z',
      data: {
        pipeline: 'test',
        runId: '289782451',
        repo: 'octo-org/octo-repo',
        branch: 'master',
        commit: '3484a3fb816e0859fd6e1cea078d76385ff50625',
        trigger: 'repository_dispatch',
        url: 'https://github.com/octo-org/octo-repo/actions/runs/289782451',
        outcome: 'succeeded',
        durationSeconds: 0,
      },
    });
    expect(finished?.event.subject).toBeUndefined();
    const [started] = mappedEvents('workflow_run', example('workflow_run', (p) => p.action === 'requested'));
    expect(started?.event).toMatchObject({ type: 'dev.steadyops.pipeline.started', data: { runId: '289782451' } });
    expect(started?.event.data).not.toHaveProperty('outcome');
  });

  it.each([
    ['failure', 'failed'],
    ['timed_out', 'failed'],
    ['cancelled', 'cancelled'],
    ['skipped', 'cancelled'],
    ['neutral', 'succeeded'],
  ])('maps workflow conclusion %s to outcome %s', (conclusion, outcome) => {
    const payload = example('workflow_run', (p) => p.action === 'completed' && p.workflow_run.conclusion === 'success');
    payload.workflow_run.conclusion = conclusion;
    expect(mappedEvents('workflow_run', payload)[0]?.event.data).toMatchObject({ outcome });
  });

  it('maps a deployment to deploy.started with the resolved service, sha as version and the deploy id', () => {
    const [started] = mappedEvents('deployment', example('deployment', (p) => p.deployment.environment === 'production'), 'd-5');
    expect(started?.event).toMatchObject({
      id: 'd-5',
      type: 'dev.steadyops.deploy.started',
      subject: 'hello-service',
      time: '2019-05-15T15:20:53Z',
      data: {
        service: 'hello-service',
        environment: 'production',
        version: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
        commit: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
        ref: 'master',
        deployId: '145988746',
      },
    });
  });

  it('asks the resolver with the repository and deployment.payload.service', () => {
    const payload = example('deployment');
    payload.deployment.payload = { service: 'payments' };
    resolveCalls.length = 0;
    const [started] = mappedEvents('deployment', payload);
    expect(resolveCalls).toContainEqual({ repo: 'Codertocat/Hello-World', name: 'payments' });
    expect(started?.event).toMatchObject({ subject: 'payments', data: { service: 'payments' } });
  });

  it('keeps the subject unset and names the service after the repository when nobody owns it', () => {
    const payload = example('deployment');
    payload.repository.full_name = 'someone/unowned-repo';
    const [started] = mappedEvents('deployment', payload);
    expect(started?.event.subject).toBeUndefined();
    expect(started?.event.data).toMatchObject({ service: 'unowned-repo' });
  });

  it.each([
    ['success', 'dev.steadyops.deploy.finished'],
    ['failure', 'dev.steadyops.deploy.failed'],
    ['error', 'dev.steadyops.deploy.failed'],
    ['in_progress', 'dev.steadyops.deploy.started'],
    ['queued', 'dev.steadyops.deploy.started'],
    ['pending', 'dev.steadyops.deploy.started'],
  ])('maps deployment_status %s to %s', (state, type) => {
    const payload = example('deployment_status', (p) => p.deployment_status.state === 'success');
    payload.deployment_status.state = state;
    const [event] = mappedEvents('deployment_status', payload);
    expect(event?.event.type).toBe(type);
    if (type === 'dev.steadyops.deploy.failed') expect(event?.event.data).toMatchObject({ reason: `deployment status ${state}` });
  });

  it('maps a successful deployment_status with its duration', () => {
    const [finished] = mappedEvents('deployment_status', example('deployment_status', (p) => p.deployment_status.state === 'success'));
    expect(finished?.event).toMatchObject({
      type: 'dev.steadyops.deploy.finished',
      time: '2019-05-15T15:20:55Z',
      data: { service: 'hello-service', environment: 'production', version: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e', deployId: '145988746', durationSeconds: 2 },
    });
    expect(finished?.event.data).not.toHaveProperty('url');
  });

  it('takes the deployment_status url from target_url, environment_url or log_url, skipping empty ones', () => {
    const payload = example('deployment_status', (p) => p.deployment_status.state === 'in_progress');
    expect(mappedEvents('deployment_status', payload)[0]?.event.data).toMatchObject({
      environment: 'github-pages',
      url: 'https://github.com/Codertocat/Hello-World/runs/145988746?check_suite_focus=true',
    });
    payload.deployment_status.target_url = '';
    payload.deployment_status.environment_url = 'https://hello.example.com';
    expect(mappedEvents('deployment_status', payload)[0]?.event.data).toMatchObject({ url: 'https://hello.example.com' });
  });

  it('maps a published release to git.release', () => {
    const [release] = mappedEvents('release', example('release', (p) => p.action === 'published'), 'd-6');
    expect(release?.event).toMatchObject({
      id: 'd-6',
      type: 'dev.steadyops.git.release',
      time: '2019-05-15T15:20:53Z',
      data: {
        repo: 'Codertocat/Hello-World',
        tag: '0.0.1',
        target: 'master',
        prerelease: false,
        url: 'https://github.com/Codertocat/Hello-World/releases/tag/0.0.1',
        author: 'Codertocat',
        releaseId: '17372790',
      },
    });
  });

  it('answers ping with pong', () => {
    expect(map('ping', example('ping'))).toEqual({ kind: 'ping' });
  });

  it.each([
    ['pull_request', () => example('pull_request', (p) => p.action === 'opened'), /action opened is not a merge/],
    ['pull_request', () => example('pull_request', (p) => p.action === 'closed'), /closed without merging/],
    ['push', () => example('push', (p) => p.deleted), /push deleted refs\/tags\/simple-tag/],
    ['release', () => example('release', (p) => p.action === 'created'), /release action created/],
    ['deployment_status', () => ({ ...example('deployment_status'), deployment_status: { ...example('deployment_status').deployment_status, state: 'inactive' } }), /state inactive/],
    ['issues', () => ({ action: 'opened' }), /GitHub event issues is not recorded/],
    ['star', () => ({}), /GitHub event star is not recorded/],
  ])('ignores %s that is not a change', (event, payload, reason) => {
    const mapping = map(event, payload());
    expect(mapping.kind).toBe('ignored');
    expect(mapping.kind === 'ignored' && mapping.reason).toMatch(reason);
  });

  it.each([
    ['push', (p: any) => delete p.repository.full_name, 'body.repository.full_name'],
    ['push', (p: any) => delete p.commits[0].id, 'body.commits.0.id'],
    ['push', (p: any) => delete p.sender, 'body.sender'],
    ['pull_request', (p: any) => delete p.pull_request.merge_commit_sha, 'body.pull_request.merge_commit_sha'],
    ['workflow_run', (p: any) => (p.workflow_run.conclusion = null), 'body.workflow_run.conclusion'],
    ['workflow_run', (p: any) => (p.workflow_run.head_sha = 'main'), 'body.workflow_run.head_sha'],
    ['deployment', (p: any) => delete p.deployment.environment, 'body.deployment.environment'],
    ['deployment_status', (p: any) => delete p.deployment_status.created_at, 'body.deployment_status.created_at'],
    ['release', (p: any) => delete p.release.tag_name, 'body.release.tag_name'],
  ])('rejects a %s payload without what the mapping needs (%#)', (event, damage, path) => {
    const payload = event === 'pull_request' ? mergedPullRequest() : example(event, (p) => !p.deleted && (p.commits?.length ?? 1) > 0 && (p.action ?? 'completed') !== 'requested' && p.workflow_run?.conclusion !== null);
    if (event === 'release') payload.action = 'published';
    damage(payload);
    const error = inputError(() => map(event, payload));
    expect(error.code).toBe('SO_E_INPUT_INVALID');
    expect(error.issues.map((issue) => issue.path)).toContain(path);
    expect(error.message).toContain(path);
  });

  it('is deterministic: the same delivery maps to the same events', () => {
    const payload = example('push', (p) => p.ref === 'refs/heads/master' && p.commits.length > 0);
    expect(map('push', payload, 'same')).toEqual(map('push', structuredClone(payload), 'same'));
  });
});
