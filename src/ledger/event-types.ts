import { z } from 'zod';
import type { CloudEventInput } from './types.ts';

/** What an event counts as when answering "what changed". */
export const changeKinds = [
  'deploy',
  'rollback',
  'config',
  'infra',
  'flag',
  'access',
  'alert',
  'incident',
  'code',
  'pipeline',
  'backup',
  'restore',
  'gate',
  'audit',
  'model',
  'other',
] as const;

export type ChangeKind = (typeof changeKinds)[number];

export const steadyopsTypePrefix = 'dev.steadyops.';

const name = z.string().min(1);
const timestamp = z.iso.datetime({ offset: true });
const url = z.url();
const count = z.int().nonnegative();
const seconds = z.number().nonnegative();
const sha = z.string().regex(/^[0-9a-f]{7,64}$/, 'must be a hex commit id (7 to 64 characters of 0-9a-f)');
const duration = z.string().regex(/^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/, 'must be a duration such as 30m, 4h or 7d');
const labels = z.record(z.string(), z.string());

const deploy = {
  service: name,
  environment: name,
  version: name,
  previousVersion: name.optional(),
  commit: sha.optional(),
  url: url.optional(),
  strategy: z.enum(['rolling', 'blue-green', 'canary', 'recreate', 'other']).optional(),
  deployId: name.optional(),
  /** lineage for delivery metrics: the commits this deploy ships (lead time starts at the earliest) */
  commits: z.array(sha).optional(),
  /** lineage: the pull requests this deploy ships */
  pullRequests: z.array(z.int().positive()).optional(),
  /** lineage: an unplanned deploy that fixes a failed deploy or an incident (rework) */
  fixes: z.looseObject({ deployId: name.optional(), incidentId: name.optional() }).optional(),
};

const rollback = {
  service: name,
  environment: name,
  fromVersion: name,
  toVersion: name,
  reason: name,
  strategy: z.enum(['kubernetes-undo', 'redeploy-previous', 'feature-flag', 'manual']).optional(),
  automatic: z.boolean().optional(),
  rollbackId: name.optional(),
  /** lineage: the deployId of the deploy rolled back */
  deployId: name.optional(),
};

const infra = {
  environment: name,
  workspace: name,
  tool: z.enum(['terraform', 'opentofu', 'pulumi', 'cloudformation', 'other']),
  add: count,
  change: count,
  destroy: count,
  resources: z.array(name).optional(),
  commit: sha.optional(),
  url: url.optional(),
  service: name.optional(),
  /** true when a change deletes or replaces a stateful resource (a database, a bucket, a volume) */
  destructive: z.boolean().optional(),
  changes: z
    .array(
      z.looseObject({
        address: name,
        type: name.optional(),
        action: z.enum(['create', 'update', 'delete', 'replace']),
        destructive: z.boolean(),
      }),
    )
    .optional(),
  /** SHA-256 of the plan the event was read from */
  planDigest: name.optional(),
};

const access = {
  role: name,
  requester: name,
  requestId: name.optional(),
  approver: name.optional(),
  reason: name,
  expiresAt: timestamp.optional(),
  environment: name.optional(),
};

const alert = {
  alertname: name,
  fingerprint: name,
  severity: name,
  labels,
  annotations: labels.optional(),
  startsAt: timestamp,
  endsAt: timestamp.optional(),
  service: name.optional(),
  environment: name.optional(),
  generatorURL: url.optional(),
};

const incidentSeverity = z.enum(['sev1', 'sev2', 'sev3', 'sev4']);
/** who holds the incident roles; an update names only the roles it changes */
const incidentRoles = z.looseObject({ commander: name.optional(), communications: name.optional(), scribe: name.optional() });

/** A delivery's target is a team name or `pagerduty`, never a webhook URL (it holds a secret). */
const notification = {
  channel: z.enum(['chat', 'pagerduty']),
  target: name,
  forEvent: z.looseObject({ seq: z.int().positive(), id: name, type: name }),
  attempts: z.int().positive(),
  status: z.int().optional(),
};

const pipeline = {
  pipeline: name,
  runId: name,
  repo: name.optional(),
  branch: name.optional(),
  commit: sha.optional(),
  trigger: name.optional(),
  url: url.optional(),
};

const check = z.looseObject({ name, passed: z.boolean(), detail: z.string().optional() });

const drill = {
  datastore: name,
  drillId: name,
  environment: name.optional(),
  backupId: name.optional(),
};

const gateCheck = z.looseObject({
  type: name,
  outcome: z.enum(['pass', 'fail', 'error', 'skip']),
  reason: z.string().optional(),
});

/** A Deployment rollout watched by `steadyops rollout guard`; `version` is its container images. */
const rollout = {
  service: name,
  environment: name,
  guardId: name,
  namespace: name,
  deployment: name,
  version: name,
  revision: count.optional(),
};

/** an audit finding as a run records it: identity and placement, never the evidence */
const auditFinding = z.looseObject({
  fingerprint: name,
  controlId: name,
  severity: z.enum(['low', 'medium', 'high', 'critical']),
  service: name.optional(),
  team: name.optional(),
  datastore: name.optional(),
});

const measurement = z.looseObject({
  criterion: name,
  at: timestamp.optional(),
  /** null when the query gave no number (inconclusive) or failed (error) */
  value: z.number().nullable(),
  outcome: z.enum(['pass', 'fail', 'inconclusive', 'error']),
  error: z.string().optional(),
});

interface EventTypeSpec {
  readonly description: string;
  readonly changeKind: ChangeKind;
  readonly schemas: Readonly<Record<number, z.ZodType>>;
}

/**
 * The product's own event types, `dev.steadyops.<area>.<verb>`. Each has versioned payload schemas:
 * an event uses the latest version unless its `dataschema` ends in `/v<N>`. Payloads accept extra fields
 * but insist on the types of the fields they know.
 */
export const eventTypes = {
  'dev.steadyops.deploy.started': {
    description: 'A deployment of a service version to an environment began.',
    changeKind: 'deploy',
    schemas: { 1: z.looseObject(deploy) },
  },
  'dev.steadyops.deploy.finished': {
    description: 'A deployment completed and the new version serves traffic.',
    changeKind: 'deploy',
    schemas: { 1: z.looseObject({ ...deploy, durationSeconds: seconds.optional() }) },
  },
  'dev.steadyops.deploy.failed': {
    description: 'A deployment did not complete.',
    changeKind: 'deploy',
    schemas: { 1: z.looseObject({ ...deploy, reason: name, durationSeconds: seconds.optional() }) },
  },
  'dev.steadyops.rollback.started': {
    description: 'A rollback to an earlier version began.',
    changeKind: 'rollback',
    schemas: { 1: z.looseObject(rollback) },
  },
  'dev.steadyops.rollback.finished': {
    description: 'A rollback ended, successfully or not.',
    changeKind: 'rollback',
    schemas: {
      1: z.looseObject({ ...rollback, outcome: z.enum(['succeeded', 'failed']), durationSeconds: seconds.optional() }),
    },
  },
  'dev.steadyops.rollout.started': {
    description: 'The rollout guard began watching a Deployment rollout against its rollback criteria.',
    changeKind: 'deploy',
    schemas: {
      1: z.looseObject({
        ...rollout,
        context: name.optional(),
        previousVersion: name.optional(),
        previousRevision: count.optional(),
        criteria: z.array(
          z.looseObject({ name, query: name, threshold: z.number(), failWhen: z.enum(['above', 'below']), consecutiveFailures: z.int().positive() }),
        ),
        bakeSeconds: seconds,
        intervalSeconds: seconds,
        rollback: z.enum(['automatic', 'manual']),
      }),
    },
  },
  'dev.steadyops.rollout.analysis': {
    description: "A measurement round of the rollout guard, recorded when a criterion's outcome changed or the analysis was decided.",
    changeKind: 'gate',
    schemas: {
      1: z.looseObject({
        service: name,
        environment: name,
        guardId: name,
        revision: count.optional(),
        round: z.int().positive(),
        stage: z.enum(['rollout', 'bake', 'settle']),
        verdict: z.enum(['running', 'failed', 'inconclusive', 'error']),
        measurements: z.array(measurement.extend({ failureStreak: count.optional() })).min(1),
        summary: name,
      }),
    },
  },
  'dev.steadyops.rollout.rolledback': {
    description: 'The rollout guard rolled a Deployment back to its previous revision after a rollback criterion failed.',
    changeKind: 'rollback',
    schemas: {
      1: z.looseObject({
        ...rollback,
        guardId: name,
        namespace: name,
        deployment: name,
        criterion: name,
        measurements: z.array(measurement),
        fromRevision: count,
        toRevision: count,
        newRevision: count.optional(),
        outcome: z.enum(['succeeded', 'failed']),
        durationSeconds: seconds,
      }),
    },
  },
  'dev.steadyops.rollout.succeeded': {
    description: 'A guarded rollout completed and baked with every rollback criterion passing.',
    changeKind: 'deploy',
    schemas: {
      1: z.looseObject({
        ...rollout,
        previousVersion: name.optional(),
        bakeSeconds: seconds,
        rounds: count,
        criteria: z.array(
          z.looseObject({ criterion: name, pass: count, fail: count, inconclusive: count, error: count, last: z.number().nullable() }),
        ),
      }),
    },
  },
  'dev.steadyops.rollout.halted': {
    description: 'The rollout guard stopped without rolling back: rollback is manual, the analysis was inconclusive or errored, or the Deployment moved on.',
    changeKind: 'deploy',
    schemas: {
      1: z.looseObject({
        ...rollout,
        verdict: z.enum(['failed', 'inconclusive', 'error', 'superseded']),
        reason: name,
        criterion: name.optional(),
        measurements: z.array(measurement).optional(),
      }),
    },
  },
  'dev.steadyops.config.changed': {
    description: 'Runtime configuration of a service changed (config map, secret reference, settings).',
    changeKind: 'config',
    schemas: {
      1: z.looseObject({
        service: name,
        environment: name,
        resource: name,
        keys: z.array(name).min(1),
        summary: z.string().optional(),
        commit: sha.optional(),
      }),
    },
  },
  'dev.steadyops.infra.planned': {
    description: 'An infrastructure plan was produced (not yet applied).',
    changeKind: 'infra',
    schemas: { 1: z.looseObject(infra) },
  },
  'dev.steadyops.infra.applied': {
    description: 'An infrastructure change was applied.',
    changeKind: 'infra',
    schemas: { 1: z.looseObject({ ...infra, outcome: z.enum(['succeeded', 'failed']) }) },
  },
  'dev.steadyops.flag.changed': {
    description: 'A feature flag was switched or its rollout changed.',
    changeKind: 'flag',
    schemas: {
      1: z.looseObject({
        flag: name,
        environment: name,
        service: name.optional(),
        enabled: z.boolean(),
        previousEnabled: z.boolean().optional(),
        rolloutPercent: z.number().min(0).max(100).optional(),
        provider: name.optional(),
      }),
    },
  },
  'dev.steadyops.access.requested': {
    description: 'Someone asked for privileged access through a role.',
    changeKind: 'access',
    schemas: { 1: z.looseObject({ ...access, requestId: name, duration: duration.optional() }) },
  },
  'dev.steadyops.access.approved': {
    description: 'An approver approved a privileged access request.',
    changeKind: 'access',
    schemas: { 1: z.looseObject({ ...access, requestId: name, approver: name }) },
  },
  'dev.steadyops.access.denied': {
    description: 'An approver denied a privileged access request.',
    changeKind: 'access',
    schemas: { 1: z.looseObject({ ...access, requestId: name, approver: name }) },
  },
  'dev.steadyops.access.granted': {
    description: 'Privileged access was granted until it expires.',
    changeKind: 'access',
    schemas: { 1: z.looseObject({ ...access, requestId: name, expiresAt: timestamp }) },
  },
  'dev.steadyops.access.revoked': {
    description: 'A grant was revoked or expired.',
    changeKind: 'access',
    schemas: { 1: z.looseObject({ ...access, requestId: name, revokedBy: name.optional() }) },
  },
  'dev.steadyops.access.breakglass': {
    description: 'Emergency access was taken without prior approval.',
    changeKind: 'access',
    schemas: { 1: z.looseObject({ ...access, expiresAt: timestamp, notified: z.array(name).optional() }) },
  },
  'dev.steadyops.alert.firing': {
    description: 'An alert started firing.',
    changeKind: 'alert',
    schemas: { 1: z.looseObject(alert) },
  },
  'dev.steadyops.alert.resolved': {
    description: 'A firing alert resolved.',
    changeKind: 'alert',
    schemas: { 1: z.looseObject({ ...alert, endsAt: timestamp }) },
  },
  'dev.steadyops.alert.acknowledged': {
    description: 'A responder acknowledged a firing alert (e.g. a PagerDuty acknowledge event).',
    changeKind: 'alert',
    schemas: { 1: z.looseObject({ ...alert, acknowledgedAt: timestamp }) },
  },
  'dev.steadyops.change.reported': {
    description: 'An outside system reported a change in free form (e.g. a PagerDuty change event).',
    changeKind: 'other',
    schemas: {
      1: z.looseObject({
        summary: name,
        timestamp,
        source: name.optional(),
        service: name.optional(),
        details: z.record(z.string(), z.unknown()).optional(),
        links: z.array(z.looseObject({ href: url, text: z.string().optional() })).optional(),
      }),
    },
  },
  'dev.steadyops.incident.declared': {
    description: 'An incident was declared.',
    changeKind: 'incident',
    schemas: {
      1: z.looseObject({
        incidentId: name,
        title: name,
        severity: incidentSeverity,
        services: z.array(name).min(1),
        environment: name.optional(),
        commander: name.optional(),
        summary: z.string().optional(),
        roles: incidentRoles.optional(),
        /** the fingerprint of the alert the incident was declared from */
        fromAlert: name.optional(),
        /** lineage: the deploy that triggered the incident */
        causedBy: z.looseObject({ deployId: name }).optional(),
      }),
    },
  },
  'dev.steadyops.incident.acknowledged': {
    description: 'The on-call responder acknowledged an incident.',
    changeKind: 'incident',
    schemas: { 1: z.looseObject({ incidentId: name, by: name }) },
  },
  'dev.steadyops.incident.updated': {
    description: 'A status update was posted on an incident.',
    changeKind: 'incident',
    schemas: {
      1: z.looseObject({
        incidentId: name,
        message: name,
        status: z.enum(['investigating', 'identified', 'monitoring']).optional(),
        severity: incidentSeverity.optional(),
        roles: incidentRoles.optional(),
        /** lineage: the deploy found to have triggered the incident */
        causedBy: z.looseObject({ deployId: name }).optional(),
      }),
    },
  },
  'dev.steadyops.incident.mitigated': {
    description: 'Customer impact of an incident stopped.',
    changeKind: 'incident',
    schemas: { 1: z.looseObject({ incidentId: name, summary: name }) },
  },
  'dev.steadyops.incident.resolved': {
    description: 'An incident was closed.',
    changeKind: 'incident',
    schemas: {
      1: z.looseObject({
        incidentId: name,
        summary: z.string().optional(),
        /** the share of each SLO's error budget the incident burned, in percent */
        budgetBurned: z.array(z.looseObject({ slo: name, percent: z.number().nonnegative() })).optional(),
      }),
    },
  },
  'dev.steadyops.incident.postmortem': {
    description: 'A postmortem was published for an incident.',
    changeKind: 'incident',
    schemas: {
      1: z.looseObject({
        incidentId: name,
        url,
        followUps: z
          .array(z.looseObject({ title: name, owner: name.optional(), due: z.iso.date().optional() }))
          .optional(),
        /** the likely trigger the postmortem names: the ledger event of the change */
        trigger: z.looseObject({ seq: z.int().positive(), type: name, summary: name.optional() }).optional(),
      }),
    },
  },
  'dev.steadyops.followup.created': {
    description: 'An incident follow-up (an action with an owner and a due date, id SO-FU-<n>) was recorded.',
    changeKind: 'incident',
    schemas: { 1: z.looseObject({ followUpId: name, incidentId: name, title: name, owner: name, due: z.iso.date() }) },
  },
  'dev.steadyops.followup.linked': {
    description: 'A follow-up was linked by hand to the change that carries it out.',
    changeKind: 'incident',
    schemas: {
      1: z.looseObject({
        followUpId: name,
        change: z.looseObject({ seq: z.int().positive().optional(), type: name.optional(), ref: name.optional() }),
      }),
    },
  },
  'dev.steadyops.followup.closed': {
    description: 'A follow-up was closed.',
    changeKind: 'incident',
    schemas: { 1: z.looseObject({ followUpId: name, reason: z.string().optional() }) },
  },
  'dev.steadyops.notification.claimed': {
    description: 'A server took on sending a notification about a ledger event (one claim per notification, so replicas never send it twice).',
    changeKind: 'other',
    schemas: { 1: z.looseObject({ channel: notification.channel, target: name, forEvent: notification.forEvent }) },
  },
  'dev.steadyops.notification.delivered': {
    description: 'A notification (team chat webhook, PagerDuty event) about a ledger event was delivered.',
    changeKind: 'other',
    schemas: { 1: z.looseObject(notification) },
  },
  'dev.steadyops.notification.failed': {
    description: 'A notification about a ledger event could not be delivered after its retries.',
    changeKind: 'other',
    schemas: { 1: z.looseObject({ ...notification, error: name }) },
  },
  'dev.steadyops.git.commit': {
    description: 'A commit was pushed to a tracked branch.',
    changeKind: 'code',
    schemas: {
      1: z.looseObject({
        repo: name,
        sha,
        branch: name,
        author: name,
        message: z.string(),
        files: z.array(name).optional(),
        /** lineage: the pull request the commit belongs to */
        pullRequest: z.int().positive().optional(),
      }),
    },
  },
  'dev.steadyops.git.merge': {
    description: 'A pull request was merged.',
    changeKind: 'code',
    schemas: {
      1: z.looseObject({
        repo: name,
        sha,
        branch: name,
        sourceBranch: name,
        author: name,
        pullRequest: z.int().positive().optional(),
        mergedBy: name.optional(),
        title: z.string().optional(),
        /** lineage: the commits of the pull request, oldest first */
        commits: z.array(sha).optional(),
      }),
    },
  },
  'dev.steadyops.git.tag': {
    description: 'A release tag was created.',
    changeKind: 'code',
    schemas: { 1: z.looseObject({ repo: name, tag: name, sha, author: name.optional() }) },
  },
  'dev.steadyops.git.release': {
    description: 'A release was published for a tag (the tag may not name its commit yet).',
    changeKind: 'code',
    schemas: {
      1: z.looseObject({
        repo: name,
        tag: name,
        target: name.optional(),
        name: z.string().optional(),
        prerelease: z.boolean().optional(),
        url: url.optional(),
        author: name.optional(),
        releaseId: name.optional(),
      }),
    },
  },
  'dev.steadyops.pipeline.started': {
    description: 'A CI/CD pipeline run started.',
    changeKind: 'pipeline',
    schemas: { 1: z.looseObject(pipeline) },
  },
  'dev.steadyops.pipeline.finished': {
    description: 'A CI/CD pipeline run ended.',
    changeKind: 'pipeline',
    schemas: {
      1: z.looseObject({
        ...pipeline,
        outcome: z.enum(['succeeded', 'failed', 'cancelled']),
        durationSeconds: seconds.optional(),
      }),
    },
  },
  'dev.steadyops.backup.completed': {
    description: 'A backup of a datastore completed.',
    changeKind: 'backup',
    schemas: {
      1: z.looseObject({
        datastore: name,
        backupId: name,
        environment: name.optional(),
        method: name.optional(),
        sizeBytes: count.optional(),
        durationSeconds: seconds.optional(),
        location: name.optional(),
      }),
    },
  },
  'dev.steadyops.backup.failed': {
    description: 'A backup of a datastore failed.',
    changeKind: 'backup',
    schemas: {
      1: z.looseObject({ datastore: name, backupId: name.optional(), environment: name.optional(), reason: name }),
    },
  },
  'dev.steadyops.restore.drill.started': {
    description: 'A restore drill began restoring a backup into a scratch environment.',
    changeKind: 'restore',
    schemas: { 1: z.looseObject(drill) },
  },
  'dev.steadyops.restore.drill.verified': {
    description: 'A restore drill finished and its verification queries passed.',
    changeKind: 'restore',
    schemas: {
      1: z.looseObject({
        ...drill,
        durationSeconds: seconds,
        rtoSeconds: seconds.optional(),
        checks: z.array(check),
      }),
    },
  },
  'dev.steadyops.restore.drill.failed': {
    description: 'A restore drill failed to restore or to verify.',
    changeKind: 'restore',
    schemas: { 1: z.looseObject({ ...drill, reason: name, checks: z.array(check).optional() }) },
  },
  'dev.steadyops.gate.decided': {
    description: 'A release gate allowed or denied a release.',
    changeKind: 'gate',
    schemas: {
      1: z.looseObject({
        service: name,
        environment: name,
        policy: name,
        decision: z.enum(['allow', 'deny']),
        mode: z.enum(['enforce', 'shadow']).optional(),
        version: name.optional(),
        checks: z.array(gateCheck),
      }),
    },
  },
  'dev.steadyops.gate.overridden': {
    description: 'An approver let a denied release go out anyway, with a reason.',
    changeKind: 'gate',
    schemas: {
      1: z.looseObject({
        service: name,
        environment: name,
        version: name,
        reason: name,
        overriddenBy: name,
        /** the ledger sequence number of the deny decision this override answers */
        deniedSeq: count,
        policy: name.optional(),
      }),
    },
  },
  'dev.steadyops.release.approved': {
    description: 'A person approved a release of a service version.',
    changeKind: 'gate',
    schemas: {
      1: z.looseObject({
        service: name,
        version: name,
        approver: name,
        environment: name.optional(),
        comment: z.string().optional(),
        url: url.optional(),
      }),
    },
  },
  'dev.steadyops.token.created': {
    description: 'An API token was created.',
    changeKind: 'access',
    schemas: {
      1: z.looseObject({
        tokenId: name,
        name,
        role: name,
        createdBy: name,
        expiresAt: timestamp.optional(),
      }),
    },
  },
  'dev.steadyops.token.revoked': {
    description: 'An API token was revoked.',
    changeKind: 'access',
    schemas: { 1: z.looseObject({ tokenId: name, revokedBy: name, reason: z.string().optional() }) },
  },
  'dev.steadyops.model.applied': {
    description: 'A new revision of the ownership model took effect.',
    changeKind: 'model',
    schemas: {
      1: z.looseObject({
        digest: name,
        commit: sha.optional(),
        files: z.array(name).optional(),
        counts: z.record(z.string(), count).optional(),
        summary: z.string().optional(),
      }),
    },
  },
  'dev.steadyops.audit.completed': {
    description: 'A production audit (steadyops audit) ran over a repository; its open findings by fingerprint, without the evidence.',
    changeKind: 'audit',
    schemas: {
      1: z.looseObject({
        root: name,
        at: timestamp,
        filesScanned: count.optional(),
        counts: z.looseObject({ open: count, riskAccepted: count, bySeverity: z.record(z.string(), count), byDomain: z.record(z.string(), count) }),
        controls: z.looseObject({ pass: count, fail: count, notApplicable: count }),
        /** ids of the controls that did not apply */
        notApplicable: z.array(name).optional(),
        /** the open findings */
        findings: z.array(auditFinding),
        /** the findings that were risk-accepted in this run */
        riskAccepted: z.array(auditFinding).optional(),
      }),
    },
  },
  'dev.steadyops.audit.risk.accepted': {
    description: 'An approver accepted the risk of an audit finding until an expiry, with a reason.',
    changeKind: 'audit',
    schemas: {
      1: z.looseObject({
        fingerprint: name,
        controlId: name,
        reason: z.string().min(10, 'say why, in at least 10 characters'),
        expiresAt: timestamp,
        acceptedBy: name,
        resource: name.optional(),
        service: name.optional(),
      }),
    },
  },
} as const satisfies Record<string, EventTypeSpec>;

export type EventType = keyof typeof eventTypes;

export interface EventDataIssue {
  readonly path: string;
  readonly message: string;
}

export type EventDataResult = { readonly ok: true } | { readonly ok: false; readonly issues: EventDataIssue[] };

const knownTypes = Object.keys(eventTypes) as EventType[];

export function isKnownEventType(type: string): type is EventType {
  return Object.hasOwn(eventTypes, type);
}

/** The payload schema versions of a catalogue type, ascending. */
export function schemaVersionsOf(type: EventType): number[] {
  const schemas: Readonly<Record<number, z.ZodType>> = eventTypes[type].schemas;
  return Object.keys(schemas)
    .map(Number)
    .sort((a, b) => a - b);
}

/**
 * Validates an event's `data` against the catalogue. Types outside `dev.steadyops.` carry any data;
 * an unknown `dev.steadyops.` type is invalid and the issue names the nearest known types.
 */
export function validateEventData(type: string, data: unknown, dataschema?: string): EventDataResult {
  if (!type.startsWith(steadyopsTypePrefix)) return { ok: true };
  if (!isKnownEventType(type)) {
    return { ok: false, issues: [{ path: 'type', message: unknownTypeMessage(type) }] };
  }
  const versions = schemaVersionsOf(type);
  const requested = dataschema === undefined ? undefined : /\/v(\d+)$/.exec(dataschema)?.[1];
  const version = requested === undefined ? versions[versions.length - 1]! : Number(requested);
  const schemas: Readonly<Record<number, z.ZodType>> = eventTypes[type].schemas;
  const schema = schemas[version];
  if (!schema) {
    return {
      ok: false,
      issues: [
        {
          path: 'dataschema',
          message: `${type} has no payload schema version ${version}; known versions: ${versions.map((v) => `v${v}`).join(', ')}`,
        },
      ],
    };
  }
  if (data === undefined || data === null) {
    return { ok: false, issues: [{ path: 'data', message: `${type} requires a JSON object as data` }] };
  }
  const result = schema.safeParse(data);
  if (result.success) return { ok: true };
  return { ok: false, issues: result.error.issues.map(toDataIssue) };
}

function toDataIssue(issue: z.core.$ZodIssue): EventDataIssue {
  const path = issue.path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : `${text}.${String(key)}`),
    'data',
  );
  return { path, message: issue.message };
}

export function unknownTypeMessage(type: string): string {
  const near = nearestEventTypes(type, 3);
  const suggestion = near.length > 0 ? `did you mean ${near.join(', ')}?` : `known areas: ${knownAreas().join(', ')}`;
  return `unknown event type ${type}; types under ${steadyopsTypePrefix} must be in the catalogue (${suggestion})`;
}

/** Catalogue types closest to `type` by edit distance, best first. */
export function nearestEventTypes(type: string, limit: number): EventType[] {
  const wanted = type.slice(steadyopsTypePrefix.length);
  const scored = knownTypes.map((known) => ({
    known,
    distance: editDistance(wanted, known.slice(steadyopsTypePrefix.length)),
  }));
  const area = wanted.split('.')[0];
  const maxDistance = Math.max(3, Math.floor(wanted.length / 3));
  return scored
    .filter(({ known, distance }) => distance <= maxDistance || areaOf(known) === area)
    .sort((a, b) => a.distance - b.distance || a.known.localeCompare(b.known))
    .slice(0, limit)
    .map(({ known }) => known);
}

function areaOf(type: EventType): string {
  return type.slice(steadyopsTypePrefix.length).split('.')[0] ?? '';
}

function knownAreas(): string[] {
  return [...new Set(knownTypes.map(areaOf))];
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** CDEvents (`dev.cdevents.<subject>.<predicate>.<version>`) that count as changes. */
const cdeventKinds: ReadonlyArray<readonly [RegExp, ChangeKind]> = [
  [/^dev\.cdevents\.service\.(deployed|upgraded|published|removed)\./, 'deploy'],
  [/^dev\.cdevents\.service\.rolledback\./, 'rollback'],
  [/^dev\.cdevents\.(pipelinerun|taskrun|build|testcaserun|testsuiterun)\./, 'pipeline'],
  [/^dev\.cdevents\.(change|branch|repository)\./, 'code'],
  [/^dev\.cdevents\.incident\./, 'incident'],
];

export function changeKindOf(type: string): ChangeKind {
  if (isKnownEventType(type)) return eventTypes[type].changeKind;
  return cdeventKinds.find(([pattern]) => pattern.test(type))?.[1] ?? 'other';
}

/** The environment an event concerns: the `environment` extension attribute, else `data.environment`. */
export function environmentOf(event: CloudEventInput): string | undefined {
  const fromExtension = event.extensions?.['environment'];
  if (typeof fromExtension === 'string') return fromExtension;
  const data = event.data;
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
    const fromData = (data as Record<string, unknown>)['environment'];
    if (typeof fromData === 'string') return fromData;
  }
  return undefined;
}
