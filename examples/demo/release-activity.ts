import type { DemoService } from './demo-model.ts';
import {
  alertsOf,
  currentVersion,
  dayStarts,
  isWeekend,
  loginOf,
  minutes,
  nextVersion,
  personOf,
  repoOf,
  sha,
  teamOf,
  tierServices,
  versionText,
  workTime,
} from './demo-context.ts';
import type { DemoContext, Origin, Version } from './demo-context.ts';

const deployer = 'system:github-actions';
const clusterOf = { staging: 'staging-eu', production: 'prod-eu' } as const;
const branchTopics = ['retry-budget', 'idempotency-keys', 'otel-spans', 'sca-flow', 'pagination', 'timeouts', 'copy-fix', 'deps-bump'];
/** how far back a merge gathers a service's unreleased feature-branch commits */
const changeSpan = 3 * 24 * 60 * 60_000;

/** Feature-branch commits not yet merged, per context and service: a merge lists them (lineage for lead time). */
const unmerged = new WeakMap<DemoContext, Map<string, Array<{ readonly sha: string; readonly at: number }>>>();

function unmergedOf(context: DemoContext, service: string): Array<{ readonly sha: string; readonly at: number }> {
  let byService = unmerged.get(context);
  if (!byService) unmerged.set(context, (byService = new Map()));
  let commits = byService.get(service);
  if (!commits) byService.set(service, (commits = []));
  return commits;
}

/** The feature commits a merge at `at` brings in, oldest first; they are merged once. Uses no randomness. */
function mergeCommits(context: DemoContext, service: string, at: number): string[] {
  const pending = unmergedOf(context, service);
  const merged = pending.filter((commit) => commit.at < at && commit.at >= at - changeSpan).sort((a, b) => a.at - b.at);
  const left = pending.filter((commit) => !merged.includes(commit));
  pending.splice(0, pending.length, ...left);
  return merged.map((commit) => commit.sha);
}

/** Incidents whose fix ships with a service's next production deploy, per context and service. */
const fixesPending = new WeakMap<DemoContext, Map<string, string>>();

/** The next production deploy of `service` carries `fixes: { incidentId }` (the fix forward; rework). */
export function fixForwardNext(context: DemoContext, service: string, incidentId: string): void {
  let byService = fixesPending.get(context);
  if (!byService) fixesPending.set(context, (byService = new Map()));
  byService.set(service, incidentId);
}

function fixesOf(context: DemoContext, service: string, environment: string): { fixes?: { incidentId: string } } {
  const incidentId = environment === 'production' ? fixesPending.get(context)?.get(service) : undefined;
  if (incidentId === undefined) return {};
  fixesPending.get(context)?.delete(service);
  return { fixes: { incidentId } };
}

/** The id a demo deploy is known by: a version ships to an environment once. */
export function demoDeployId(service: string, environment: string, version: Version): string {
  return `${service}/${environment}/${versionText(version)}`;
}

/** Feature-branch commits and the CI runs they trigger: the steady hum of a working week. */
export function developmentActivity(context: DemoContext): void {
  for (const day of dayStarts(context)) {
    for (const service of context.model.services) {
      const commits = isWeekend(day) ? (context.random.chance(0.2) ? 1 : 0) : context.random.int(4, 7);
      for (let index = 0; index < commits; index++) commitWithCi(context, service, workTime(context, day));
    }
  }
}

function commitWithCi(context: DemoContext, service: DemoService, at: number): void {
  const author = personOf(context, service.owner);
  const repo = repoOf(service);
  const commit = sha(context);
  const branch = `feature/${context.random.pick(branchTopics)}`;
  const git: Origin = { source: `/github/${repo}`, subject: service.name, actor: author };
  context.emit(at, 'dev.steadyops.git.commit', git, {
    repo,
    sha: commit,
    branch,
    author: author.replace('github:', ''),
    message: `${context.random.pick(['Add', 'Fix', 'Refactor', 'Tune', 'Test'])} ${branch.replace('feature/', '').replace('-', ' ')}`,
  });
  unmergedOf(context, service.name).push({ sha: commit, at });
  runPipeline(context, service, at + minutes(context, 0.2, 1), { commit, branch, pipeline: 'ci' });
}

function runPipeline(
  context: DemoContext,
  service: DemoService,
  at: number,
  run: { commit: string; branch: string; pipeline: string },
): { finishedAt: number; succeeded: boolean } {
  const repo = repoOf(service);
  const origin: Origin = { source: `/github/${repo}/actions`, subject: service.name, actor: deployer };
  const runId = String(context.random.int(4_000_000_000, 9_999_999_999));
  const base = { pipeline: run.pipeline, runId, repo, branch: run.branch, commit: run.commit, url: `https://github.com/${repo}/actions/runs/${runId}` };
  context.emit(at, 'dev.steadyops.pipeline.started', origin, { ...base, trigger: run.branch === 'main' ? 'push' : 'pull_request' });
  const duration = minutes(context, 3, 14);
  const succeeded = !context.random.chance(0.07);
  context.emit(at + duration, 'dev.steadyops.pipeline.finished', origin, {
    ...base,
    outcome: succeeded ? 'succeeded' : 'failed',
    durationSeconds: duration / 1000,
  });
  return { finishedAt: at + duration, succeeded };
}

/** A release the story needs at a fixed time (an incident, the last half hour). */
export interface ScriptedRelease {
  readonly at: number;
  readonly service: DemoService;
  readonly options: ReleaseOptions;
}

/**
 * Merges to main released to staging, then to production through the gate, some of them rolled back.
 * Releases run in time order so versions only go up.
 */
export function releaseTrain(context: DemoContext, scripted: readonly ScriptedRelease[] = []): void {
  const planned: ScriptedRelease[] = [...scripted];
  for (const day of dayStarts(context)) {
    for (const service of context.model.services) {
      const perDay = service.tier === 3 ? 0.5 : service.tier === 2 ? 0.8 : 0.9;
      const chance = isWeekend(day) ? 0.04 : perDay / 2;
      for (const _slot of [0, 1]) {
        if (context.random.chance(chance)) planned.push({ at: workTime(context, day), service, options: {} });
      }
    }
  }
  planned.sort((a, b) => a.at - b.at);
  for (const { at, service, options } of planned) release(context, service, at, options);
}

export interface ReleaseOptions {
  /** time from the staging deploy to production; random when absent */
  readonly productionDelay?: number;
  /** the gate allows and the production deploy goes cleanly */
  readonly clean?: boolean;
  /** called once production runs the new version */
  readonly afterProduction?: (deployedAt: number, version: Version, previous: Version) => void;
}

export function release(context: DemoContext, service: DemoService, mergedAt: number, options: ReleaseOptions = {}): void {
  const author = personOf(context, service.owner);
  const repo = repoOf(service);
  const commit = sha(context);
  const pullRequest = context.random.int(200, 4800);
  context.emit(mergedAt, 'dev.steadyops.git.merge', { source: `/github/${repo}`, subject: service.name, actor: author }, {
    repo,
    sha: commit,
    branch: 'main',
    sourceBranch: `feature/${context.random.pick(branchTopics)}`,
    author: author.replace('github:', ''),
    pullRequest,
    mergedBy: personOf(context, service.owner).replace('github:', ''),
    title: `${context.random.pick(['Improve', 'Fix', 'Add', 'Harden'])} ${context.random.pick(branchTopics).replace('-', ' ')} (#${pullRequest})`,
    commits: mergeCommits(context, service.name, mergedAt),
  });
  const pipeline = runPipeline(context, service, mergedAt + minutes(context, 0.3, 1), { commit, branch: 'main', pipeline: 'deploy' });
  if (!pipeline.succeeded) return;
  const version = nextVersion(context, service.name);
  context.emit(pipeline.finishedAt, 'dev.steadyops.git.tag', { source: `/github/${repo}`, subject: service.name, actor: deployer }, {
    repo,
    tag: versionText(version),
    sha: commit,
  });
  const staged = deploy(context, service, 'staging', version, commit, pipeline.finishedAt + minutes(context, 0.5, 2));
  const productionAt = staged + (options.productionDelay ?? minutes(context, 25, 180));
  if (!gate(context, service, version, productionAt, options.clean)) return;
  const previous = currentVersion(context, service.name, 'production');
  const deployedAt = productionDeploy(context, service, version, commit, productionAt + minutes(context, 0.2, 1), options.clean ? 'clean' : undefined);
  options.afterProduction?.(deployedAt, version, previous);
}

function deploy(context: DemoContext, service: DemoService, environment: 'staging' | 'production', version: Version, commit: string, at: number): number {
  const data = deployData(context, service, environment, version, commit);
  const origin: Origin = { source: `/kubernetes/${clusterOf[environment]}`, subject: service.name, actor: deployer };
  const startedAt = afterLastDeploy(context, service, environment, at);
  context.emit(startedAt, 'dev.steadyops.deploy.started', origin, data);
  const duration = minutes(context, 1.5, 6);
  context.emit(startedAt + duration, 'dev.steadyops.deploy.finished', origin, { ...data, durationSeconds: duration / 1000 });
  context.versions.set(`${service.name}@${environment}`, version);
  return startedAt + duration;
}

/** Deploys of one service to one environment never overlap: a later release waits for the previous one. */
function afterLastDeploy(context: DemoContext, service: DemoService, environment: string, at: number): number {
  const key = `${service.name}@${environment}`;
  const start = Math.max(at, (context.busyUntil.get(key) ?? 0) + 2 * 60_000);
  context.busyUntil.set(key, start + 10 * 60_000);
  return start;
}

/**
 * The one service whose production deploys a person starts by hand (`workflow_dispatch`), and that person:
 * the second tier-2 service (billing-scheduler) and the last member of its team (jonas-weber), who starts
 * every one of them (a planted gap: REL-007).
 */
export function handDeployed(context: DemoContext): { readonly service: string; readonly person: string } | undefined {
  const tier2 = tierServices(context, 2);
  const service = tier2[1] ?? tier2[0];
  const members = service ? teamOf(context, service.owner).members : [];
  return service && members.length > 0 ? { service: service.name, person: loginOf(members[members.length - 1]!) } : undefined;
}

function triggeredBy(context: DemoContext, service: DemoService, environment: string): { triggeredBy?: string } {
  const manual = handDeployed(context);
  return environment === 'production' && manual?.service === service.name ? { triggeredBy: manual.person } : {};
}

function deployData(context: DemoContext, service: DemoService, environment: string, version: Version, commit: string) {
  const previous = currentVersion(context, service.name, environment);
  return {
    service: service.name,
    environment,
    version: versionText(version),
    previousVersion: versionText(previous),
    commit,
    deployId: demoDeployId(service.name, environment, version),
    commits: [commit],
    ...fixesOf(context, service.name, environment),
    strategy: service.tier === 1 && environment === 'production' ? ('canary' as const) : ('rolling' as const),
    url: `https://github.com/${repoOf(service)}/releases/tag/${versionText(version)}`,
    ...triggeredBy(context, service, environment),
  };
}

function gate(context: DemoContext, service: DemoService, version: Version, at: number, allow = false): boolean {
  const denied = !allow && context.random.chance(service.tier === 1 ? 0.08 : 0.03);
  const policy = service.tier === 1 ? 'tier1-guarded' : 'standard';
  const failing = denied ? context.random.pick(['errorBudget', 'firingAlerts', 'freezeWindow'] as const) : undefined;
  context.emit(at, 'dev.steadyops.gate.decided', { source: '/steadyops/gate', subject: service.name, actor: deployer }, {
    service: service.name,
    environment: 'production',
    policy,
    decision: denied ? 'deny' : 'allow',
    mode: 'enforce',
    version: versionText(version),
    checks: ['errorBudget', 'firingAlerts', 'openIncidents', 'freezeWindow'].map((type) => ({
      type,
      outcome: type === failing ? ('fail' as const) : ('pass' as const),
      ...(type === failing ? { reason: denialReasons[failing] } : {}),
    })),
  });
  return !denied;
}

const denialReasons = {
  errorBudget: 'error budget remaining 4% is below the policy minimum of 10%',
  firingAlerts: 'a page-severity alert is firing on a dependency',
  freezeWindow: 'inside the friday-afternoon freeze window',
} as const;

/** A production deploy: usually fine; sometimes it fails outright or trips an alert and is rolled back. */
export function productionDeploy(
  context: DemoContext,
  service: DemoService,
  version: Version,
  commit: string,
  at: number,
  forced?: 'clean' | 'alert',
): number {
  const previous = currentVersion(context, service.name, 'production');
  const roll = context.random.next();
  const outcome = forced ?? (roll < 0.04 ? 'failed' : roll < 0.09 ? 'alert' : 'clean');
  const origin: Origin = { source: `/kubernetes/${clusterOf.production}`, subject: service.name, actor: deployer };
  if (outcome === 'failed') {
    const data = deployData(context, service, 'production', version, commit);
    const startedAt = afterLastDeploy(context, service, 'production', at);
    context.emit(startedAt, 'dev.steadyops.deploy.started', origin, data);
    const failedAt = startedAt + minutes(context, 4, 10);
    context.emit(failedAt, 'dev.steadyops.deploy.failed', origin, {
      ...data,
      reason: context.random.pick(['progress deadline exceeded: 0 of 3 new pods ready', 'readiness probe failed: HTTP 503', 'ImagePullBackOff']),
    });
    rollback(context, service, version, previous, failedAt + minutes(context, 1, 4), 'deploy failed', true);
    return failedAt;
  }
  const finishedAt = deploy(context, service, 'production', version, commit, at);
  if (outcome === 'alert') {
    const firingAt = finishedAt + minutes(context, 2, 9);
    const alert = alertsOf(service)[0]!;
    const resolvedAt = rollback(context, service, version, previous, firingAt + minutes(context, 2, 6), `${alert.alertname} fired after deploy`, false);
    alertPair(context, service, 'production', alert, firingAt, resolvedAt + minutes(context, 2, 6), { version: versionText(version) });
  }
  return finishedAt;
}

function rollback(context: DemoContext, service: DemoService, from: Version, to: Version, at: number, reason: string, automatic: boolean): number {
  const actor = automatic ? deployer : personOf(context, service.owner);
  const origin: Origin = { source: `/kubernetes/${clusterOf.production}`, subject: service.name, actor };
  const data = {
    service: service.name,
    environment: 'production',
    fromVersion: versionText(from),
    toVersion: versionText(to),
    reason,
    strategy: 'kubernetes-undo' as const,
    automatic,
    deployId: demoDeployId(service.name, 'production', from),
  };
  context.emit(at, 'dev.steadyops.rollback.started', origin, data);
  const duration = minutes(context, 1, 4);
  context.emit(at + duration, 'dev.steadyops.rollback.finished', origin, { ...data, outcome: 'succeeded', durationSeconds: duration / 1000 });
  context.versions.set(`${service.name}@production`, to);
  return at + duration;
}

export function alertPair(
  context: DemoContext,
  service: DemoService,
  environment: string,
  alert: { alertname: string; severity?: string },
  firingAt: number,
  resolvedAt: number | undefined,
  extraLabels: Record<string, string> = {},
): string {
  const labels = { alertname: alert.alertname, service: service.name, severity: alert.severity ?? 'page', namespace: service.owner, ...extraLabels };
  const data = {
    alertname: alert.alertname,
    fingerprint: context.random.hex(16),
    severity: alert.severity ?? 'page',
    labels,
    annotations: { summary: `${alert.alertname} on ${service.name}` },
    startsAt: new Date(firingAt).toISOString(),
    service: service.name,
    environment,
    generatorURL: `http://prometheus.${environment === 'production' ? 'prod' : environment}.northwindpay.internal:9090/graph`,
  };
  const origin: Origin = { source: `/alertmanager/${environment}`, subject: service.name, actor: 'system:alertmanager' };
  context.emit(firingAt, 'dev.steadyops.alert.firing', origin, data);
  if (resolvedAt !== undefined) {
    context.emit(resolvedAt, 'dev.steadyops.alert.resolved', origin, { ...data, endsAt: new Date(resolvedAt).toISOString() });
  }
  return data.fingerprint;
}

