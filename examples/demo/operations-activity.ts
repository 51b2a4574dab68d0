import type { DemoDatastore } from './demo-model.ts';
import { DAY, HOUR, MINUTE, alertsOf, dayStarts, isWeekend, loginOf, minutes, personOf, sha, teamOf, workTime } from './demo-context.ts';
import type { DemoContext, Origin } from './demo-context.ts';
import { alertPair } from './release-activity.ts';

const environments = ['staging', 'production'] as const;

/** Alerts that fire and resolve on their own: the background noise every on-call knows. */
export function alertNoise(context: DemoContext): void {
  const weights = context.model.services.map((service) => (service.tier === 1 ? 3 : service.tier === 2 ? 2 : 1));
  for (const day of dayStarts(context)) {
    const count = context.random.int(10, 16);
    for (let index = 0; index < count; index++) {
      const service = context.model.services[context.random.weighted(weights)]!;
      const alert = context.random.pick(alertsOf(service));
      const environment = context.random.chance(0.7) ? 'production' : 'staging';
      const firingAt = day + context.random.int(0, DAY / MINUTE - 1) * MINUTE;
      alertPair(context, service, environment, alert, firingAt, firingAt + minutes(context, 3, 110));
    }
  }
}

const configKeys = ['HTTP_TIMEOUT_MS', 'POOL_MAX', 'RETRY_LIMIT', 'LOG_LEVEL', 'RATE_LIMIT_RPS', 'FEATURE_CACHE_TTL'];
const flagNames = ['new-checkout-flow', 'acquirer-failover', 'fraud-rules-v2', 'passkeys', 'search-synonyms', 'email-digest'];

export function configAndFlags(context: DemoContext): void {
  for (const day of dayStarts(context)) {
    if (isWeekend(day)) continue;
    for (let index = context.random.int(1, 4); index > 0; index--) configChange(context, workTime(context, day));
    for (let index = context.random.int(1, 4); index > 0; index--) flagChange(context, workTime(context, day));
  }
}

export function configChange(context: DemoContext, at: number, serviceName?: string): void {
  const service = context.model.services.find((candidate) => candidate.name === serviceName) ?? context.random.pick(context.model.services);
  const environment = context.random.pick(environments);
  const keys = [context.random.pick(configKeys)];
  const origin: Origin = { source: `/kubernetes/${environment === 'production' ? 'prod-eu' : 'staging-eu'}`, subject: service.name, actor: personOf(context, service.owner) };
  context.emit(at, 'dev.steadyops.config.changed', origin, {
    service: service.name,
    environment,
    resource: `configmap/${service.name}`,
    keys,
    summary: `${keys[0]} changed`,
    commit: sha(context),
  });
}

export function flagChange(context: DemoContext, at: number, flag?: string, enabled?: boolean, serviceName?: string): void {
  const service = context.model.services.find((candidate) => candidate.name === serviceName) ?? context.random.pick(context.model.services);
  const on = enabled ?? context.random.chance(0.6);
  context.emit(at, 'dev.steadyops.flag.changed', { source: '/unleash/northwind', subject: service.name, actor: personOf(context, service.owner) }, {
    flag: flag ?? context.random.pick(flagNames),
    environment: context.random.chance(0.6) ? 'production' : 'staging',
    service: service.name,
    enabled: on,
    previousEnabled: !on,
    rolloutPercent: on ? context.random.pick([5, 10, 25, 50, 100]) : 0,
    provider: 'unleash',
  });
}

const workspaces = [
  { workspace: 'prod-data', environment: 'production' },
  { workspace: 'staging-data', environment: 'staging' },
  { workspace: 'prod-network', environment: 'production' },
] as const;

/** Terraform plans followed by applies, every couple of days. */
export function infraChanges(context: DemoContext): void {
  const platform = context.model.teams.find((team) => team.name === 'platform')?.name ?? context.model.teams[0]!.name;
  dayStarts(context).forEach((day, index) => {
    if (isWeekend(day) || index % 2 === 1) return;
    const target = context.random.pick(workspaces);
    const subject = target.workspace.endsWith('data') ? context.random.pick(context.model.datastores).name : platform;
    const origin: Origin = { source: '/terraform/northwind-infra', subject, actor: personOf(context, platform) };
    const plan = {
      environment: target.environment,
      workspace: target.workspace,
      tool: 'terraform' as const,
      add: context.random.int(0, 3),
      change: context.random.int(1, 4),
      destroy: context.random.chance(0.15) ? 1 : 0,
      resources: ['aws_db_instance.core', 'aws_elasticache_replication_group.sessions'].slice(0, context.random.int(1, 2)),
      commit: sha(context),
    };
    const plannedAt = workTime(context, day);
    context.emit(plannedAt, 'dev.steadyops.infra.planned', origin, plan);
    context.emit(plannedAt + minutes(context, 15, 90), 'dev.steadyops.infra.applied', origin, { ...plan, outcome: 'succeeded' });
  });
}

/** Just-in-time access: requested, approved (or denied), granted, revoked at expiry. */
export function accessRequests(context: DemoContext): void {
  let counter = 0;
  for (const day of dayStarts(context)) {
    if (isWeekend(day)) continue;
    for (let index = context.random.int(0, 2); index > 0; index--) {
      counter += 1;
      accessRequest(context, workTime(context, day), `AR-${1000 + counter}`);
    }
  }
}

export interface AccessRequestOptions {
  readonly approve?: boolean;
  readonly role?: string;
  /** the request is about the first service of this team (a random service otherwise) */
  readonly team?: string;
  /** the request is about this service */
  readonly service?: string;
  readonly requester?: string;
  readonly reason?: string;
}

export function accessRequest(context: DemoContext, at: number, requestId: string, options: AccessRequestOptions = {}): void {
  const service =
    context.model.services.find((candidate) => candidate.name === options.service) ??
    (options.team
      ? (context.model.services.find((candidate) => candidate.owner === options.team) ?? context.model.services[0]!)
      : context.random.pick(context.model.services));
  const requester = options.requester ?? personOf(context, service.owner);
  const approver = approverFor(context, requester);
  const role = options.role ?? context.random.pick(context.model.accessRoles).name;
  const reason = options.reason ?? `investigate ${service.name} ${context.random.pick(['slow queries', 'stuck jobs', 'data fix ticket', 'pod restarts'])}`;
  const base = { role, requester, requestId, reason, environment: 'production' };
  const origin = (actor: string): Origin => ({ source: '/steadyops/access', subject: service.name, actor });
  context.emit(at, 'dev.steadyops.access.requested', origin(requester), { ...base, duration: '2h' });
  const decidedAt = at + minutes(context, 2, 25);
  if (!(options.approve ?? context.random.chance(0.88))) {
    context.emit(decidedAt, 'dev.steadyops.access.denied', origin(approver), { ...base, approver, reason: 'use the read-only replica for this' });
    return;
  }
  const expiresAt = decidedAt + 2 * HOUR;
  context.emit(decidedAt, 'dev.steadyops.access.approved', origin(approver), { ...base, approver });
  context.emit(decidedAt + 15_000, 'dev.steadyops.access.granted', origin('system:steadyops'), {
    ...base,
    approver,
    expiresAt: new Date(expiresAt).toISOString(),
    credentialId: credentialOf(context, role, requester),
  });
  context.emit(expiresAt, 'dev.steadyops.access.revoked', origin('system:steadyops'), { ...base, reason: 'grant expired' });
}

/**
 * The credential a grant hands out. The first role (prod-db-admin) hands everyone the one shared
 * `northwind_admin` database login (a planted gap: ACC-001); the other roles mint a credential per person.
 */
export function credentialOf(context: DemoContext, role: string, requester: string): string {
  if (role === context.model.accessRoles[0]?.name) return `${context.model.datastores[0]?.name ?? 'database'}/northwind_admin`;
  return `oidc:${requester.replace('github:', '')}`;
}

function approverFor(context: DemoContext, requester: string): string {
  const platform = teamOf(context, 'platform');
  const candidates = platform.members.map(loginOf).filter((login) => login !== requester);
  return context.random.pick(candidates.length > 0 ? candidates : [requester]);
}

/** Backups per the datastore's schedule: Redis hourly, the rest nightly; one failed night on the third datastore. */
export function backups(context: DemoContext): void {
  context.model.datastores.forEach((datastore, index) => {
    const hourly = datastore.engine === 'redis';
    const slots = hourly ? Array.from({ length: 24 }, (_, hour) => hour * HOUR) : [(1 + index) * HOUR + 15 * MINUTE];
    dayStarts(context).forEach((day, dayIndex) => {
      for (const slot of slots) {
        const at = day + slot;
        if (at < context.start) continue;
        const failNight = index === 2 && dayIndex === Math.max(1, context.days - 5) && !hourly;
        backup(context, datastore, at, failNight);
        if (failNight) backup(context, datastore, at + 2 * HOUR, false);
      }
    });
  });
}

function backup(context: DemoContext, datastore: DemoDatastore, at: number, fail: boolean): void {
  const origin: Origin = { source: `/backups/${datastore.name}`, subject: datastore.name, actor: 'system:backup-operator' };
  const backupId = `${datastore.name}-${new Date(at).toISOString().slice(0, 16).replace(/[-:T]/g, '')}`;
  if (fail) {
    context.emit(at + minutes(context, 5, 20), 'dev.steadyops.backup.failed', origin, {
      datastore: datastore.name,
      backupId,
      environment: 'production',
      reason: 'S3 PutObject timed out after 3 retries',
    });
    return;
  }
  const duration = minutes(context, 1, datastore.engine === 'redis' ? 3 : 40);
  context.emit(at + duration, 'dev.steadyops.backup.completed', origin, {
    datastore: datastore.name,
    backupId,
    environment: 'production',
    method: methodOf[datastore.engine] ?? 'snapshot',
    sizeBytes: context.random.int(2, 900) * 1024 * 1024 * (datastore.engine === 'postgresql' ? 64 : 1),
    durationSeconds: duration / 1000,
    location: `s3://northwind-backups/${datastore.name}/`,
  });
}

const methodOf: Record<string, string> = {
  postgresql: 'pgbackrest',
  redis: 'elasticache-snapshot',
  kafka: 'topic-export',
  elasticsearch: 'snapshot-repository',
};

/** How long ago each datastore's last drill ran; the last datastore's is older than its 30d cadence on purpose. */
const drillAgesInDays = [6, 11, 9, 23];
const overdueDrillAgeInDays = 47;

export function restoreDrills(context: DemoContext): void {
  const stores = context.model.datastores;
  stores.forEach((datastore, index) => {
    const overdue = index === stores.length - 1 && stores.length > 1;
    const age = overdue ? overdueDrillAgeInDays : Math.min(drillAgesInDays[index % drillAgesInDays.length]!, context.days - 1);
    const at = Math.floor((context.now - age * DAY) / DAY) * DAY + 9 * HOUR + 30 * MINUTE;
    if (index === 2) drill(context, datastore, at - DAY, false);
    drill(context, datastore, at, true);
  });
}

function drill(context: DemoContext, datastore: DemoDatastore, at: number, passes: boolean): void {
  const drillId = `drill-${datastore.name}-${new Date(at).toISOString().slice(0, 10)}`;
  const origin: Origin = { source: '/steadyops/recovery', subject: datastore.name, actor: personOf(context, datastore.owner) };
  const base = { datastore: datastore.name, drillId, environment: 'restore-sandbox', backupId: `${datastore.name}-latest` };
  context.emit(at, 'dev.steadyops.restore.drill.started', origin, base);
  const duration = minutes(context, 18, 55);
  const names = datastore.restoreDrill?.verification?.map((check) => check.name) ?? ['smoke'];
  if (!passes) {
    context.emit(at + duration, 'dev.steadyops.restore.drill.failed', origin, {
      ...base,
      reason: 'restored cluster came up without the payments.events topic',
      checks: names.map((name) => ({ name, passed: false, detail: 'topic not found' })),
    });
    return;
  }
  context.emit(at + duration, 'dev.steadyops.restore.drill.verified', origin, {
    ...base,
    durationSeconds: duration / 1000,
    rtoSeconds: duration / 1000,
    checks: names.map((name) => ({ name, passed: true })),
  });
}

/** The control plane's own changes: model revisions and API tokens. */
export function platformAdmin(context: DemoContext): void {
  const platform = teamOf(context, 'platform');
  const lead = loginOf(platform.members[0]!);
  const origin: Origin = { source: '/steadyops/admin', subject: platform.name, actor: lead };
  const at = (fraction: number): number => context.start + fraction * (context.now - context.start);
  context.emit(at(0.05), 'dev.steadyops.token.created', origin, { tokenId: 'tok_ci_01', name: 'github-actions', role: 'writer', createdBy: lead });
  context.emit(at(0.06), 'dev.steadyops.token.created', origin, { tokenId: 'tok_am_01', name: 'alertmanager-webhook', role: 'writer', createdBy: lead });
  context.emit(at(0.4), 'dev.steadyops.token.created', origin, {
    tokenId: 'tok_tmp_01',
    name: 'laptop-debug',
    role: 'admin',
    createdBy: lead,
    expiresAt: new Date(at(0.4) + DAY).toISOString(),
  });
  context.emit(at(0.41), 'dev.steadyops.token.revoked', origin, { tokenId: 'tok_tmp_01', revokedBy: lead, reason: 'admin token no longer needed' });
  for (const fraction of [0.02, 0.35, 0.72]) {
    context.emit(at(fraction), 'dev.steadyops.model.applied', origin, {
      digest: `sha256:${context.random.hex(64)}`,
      commit: sha(context),
      files: ['.steadyops/services.yaml'],
      counts: {
        teams: context.model.teams.length,
        services: context.model.services.length,
        datastores: context.model.datastores.length,
      },
      summary: 'ownership model updated',
    });
  }
}
