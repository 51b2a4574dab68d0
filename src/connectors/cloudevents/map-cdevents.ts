import type { z } from 'zod';
import { validateEventData } from '../../ledger/event-types.ts';
import type { CloudEventInput, EventToAppend } from '../../ledger/types.ts';
import { SteadyopsError, type ErrorIssue } from '../../lib/errors.ts';
import type { SubjectHints, SubjectResolver } from '../resolve-subject.ts';
import { cdeventKindOf, cdeventSchema, type Cdevent, type CdeventKind } from './cdevent.ts';

export interface CloudEventsMappingOptions {
  readonly resolve: SubjectResolver;
  /** who submitted the events, e.g. `token:github-actions` */
  readonly actor: string;
}

type Mapped = { readonly ok: true; readonly event: CloudEventInput } | { readonly ok: false; readonly issues: ErrorIssue[] };

/** What one CDEvent becomes: a catalogue type, its payload, and the hints that place it, best first. */
interface Target {
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly hints: readonly SubjectHints[];
}

type AnyCdevent = Cdevent<CdeventKind>;

/**
 * Pure: CDEvents of the kinds steadyops knows become `dev.steadyops.*` events with the original id and
 * source (so a redelivery is a duplicate); every other event passes as it is. A CDEvent whose content
 * cannot fill the catalogue type (e.g. a `change.merged` without a commit) is kept as the CDEvent it is,
 * with its subject resolved. Bad CDEvent content rejects the whole batch with every problem listed.
 */
export function mapCloudEvents(events: readonly CloudEventInput[], options: CloudEventsMappingOptions): EventToAppend[] {
  const results = events.map((event) => mapCloudEvent(event, options.resolve));
  const issues = results.flatMap((result, index) =>
    result.ok ? [] : result.issues.map((issue) => ({ ...issue, path: `[${index}].${issue.path ?? 'data'}` })),
  );
  if (issues.length > 0) {
    const first = issues[0]!;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `invalid CDEvent: ${first.path}: ${first.message}${more}` }, issues);
  }
  return results.map((result) => ({ event: (result as { event: CloudEventInput }).event, actor: options.actor }));
}

export function mapCloudEvent(event: CloudEventInput, resolve: SubjectResolver): Mapped {
  const kind = cdeventKindOf(event.type);
  if (kind === undefined) return { ok: true, event };
  const parsed = cdeventSchema(kind).safeParse(event.data);
  if (!parsed.success) return { ok: false, issues: parsed.error.issues.map(toIssue) };
  const cdevent = parsed.data;
  const time = event.time ?? cdevent.context?.timestamp;
  const target = targets[kind](cdevent, { type: event.type, time });
  const subject = resolveFirst(resolve, target.hints);
  const data = withSubject(target.data, subject);
  if (!validateEventData(target.type, data).ok) {
    return { ok: true, event: { ...event, ...(subject === undefined ? {} : { subject }) } };
  }
  const { subject: _unplaced, ...rest } = event;
  return {
    ok: true,
    event: {
      ...rest,
      type: target.type,
      ...(subject === undefined ? {} : { subject }),
      ...(time === undefined ? {} : { time }),
      datacontenttype: 'application/json',
      data,
    },
  };
}

interface Origin {
  readonly type: string;
  readonly time: string | undefined;
}

const targets: Record<CdeventKind, (cdevent: AnyCdevent, origin: Origin) => Target> = {
  'service.deployed': (cdevent, origin) => deployTarget(cdevent as Cdevent<'service.deployed'>, origin),
  'service.upgraded': (cdevent, origin) => deployTarget(cdevent as Cdevent<'service.upgraded'>, origin),
  'service.rolledback': (cdevent, origin) => rollbackTarget(cdevent as Cdevent<'service.rolledback'>, origin),
  'incident.detected': (cdevent, origin) => incidentTarget(cdevent as Cdevent<'incident.detected'>, origin, 'firing'),
  'incident.resolved': (cdevent, origin) => incidentTarget(cdevent as Cdevent<'incident.resolved'>, origin, 'resolved'),
  'change.merged': (cdevent, origin) => mergeTarget(cdevent as Cdevent<'change.merged'>, origin),
  'pipelinerun.started': (cdevent, origin) => pipelineTarget(cdevent as Cdevent<'pipelinerun.started'>, origin, false),
  'pipelinerun.finished': (cdevent, origin) => pipelineTarget(cdevent as Cdevent<'pipelinerun.finished'>, origin, true),
};

function deployTarget(cdevent: Cdevent<'service.deployed'>, origin: Origin): Target {
  const { content } = cdevent.subject;
  return {
    type: 'dev.steadyops.deploy.finished',
    data: {
      service: lastSegment(cdevent.subject.id),
      environment: content.environment.id,
      version: content.artifactId,
      artifactId: content.artifactId,
      deployId: cdevent.subject.id,
      cdevent: provenance(cdevent, origin),
    },
    hints: serviceHints(cdevent.subject.id, content.artifactId),
  };
}

function rollbackTarget(cdevent: Cdevent<'service.rolledback'>, origin: Origin): Target {
  const { content } = cdevent.subject;
  // CDEvents names only the artifact now running; what it replaced comes from customData when the sender knows it
  return {
    type: 'dev.steadyops.rollback.finished',
    data: {
      service: lastSegment(cdevent.subject.id),
      environment: content.environment.id,
      fromVersion: customString(cdevent, 'fromVersion') ?? 'unknown',
      toVersion: content.artifactId,
      reason: customString(cdevent, 'reason') ?? 'reported as a CDEvents service.rolledback event',
      outcome: 'succeeded',
      artifactId: content.artifactId,
      cdevent: provenance(cdevent, origin),
    },
    hints: serviceHints(cdevent.subject.id, content.artifactId),
  };
}

function incidentTarget(cdevent: Cdevent<'incident.detected'>, origin: Origin, status: 'firing' | 'resolved'): Target {
  const { content } = cdevent.subject;
  const service = content.service ? lastSegment(content.service.id) : undefined;
  const labels = {
    environment: content.environment.id,
    ...(service === undefined ? {} : { service }),
    ...(content.artifactId === undefined ? {} : { artifactId: content.artifactId }),
  };
  return {
    type: status === 'firing' ? 'dev.steadyops.alert.firing' : 'dev.steadyops.alert.resolved',
    data: {
      alertname: customString(cdevent, 'alertname') ?? 'CDEventsIncident',
      // detected and resolved share the incident id, so the two pair up like an alert and its resolution
      fingerprint: cdevent.subject.id,
      severity: customString(cdevent, 'severity') ?? 'none',
      labels,
      ...(content.description ? { annotations: { description: content.description } } : {}),
      ...(origin.time === undefined ? {} : { startsAt: origin.time }),
      ...(status === 'resolved' && origin.time !== undefined ? { endsAt: origin.time } : {}),
      environment: content.environment.id,
      ...(service === undefined ? {} : { service }),
      cdevent: provenance(cdevent, origin),
    },
    hints: [
      ...(service === undefined ? [] : [{ name: service }]),
      ...(content.artifactId === undefined ? [] : serviceHints(undefined, content.artifactId)),
    ],
  };
}

function mergeTarget(cdevent: Cdevent<'change.merged'>, origin: Origin): Target {
  const repo = cdevent.subject.content.repository?.id;
  const change = cdevent.subject.id;
  const fromCustom = (key: string) => {
    const value = customString(cdevent, key);
    return value === undefined ? {} : { [key]: value };
  };
  return {
    type: 'dev.steadyops.git.merge',
    data: {
      ...(repo === undefined ? {} : { repo }),
      ...fromCustom('sha'),
      ...fromCustom('branch'),
      ...fromCustom('sourceBranch'),
      ...fromCustom('author'),
      ...fromCustom('mergedBy'),
      ...fromCustom('title'),
      ...(/^[1-9]\d{0,9}$/.test(change) ? { pullRequest: Number(change) } : {}),
      change,
      cdevent: provenance(cdevent, origin),
    },
    hints: repo === undefined ? [] : [{ repo }],
  };
}

const pipelineOutcomes: Readonly<Record<string, 'succeeded' | 'failed' | 'cancelled'>> = {
  success: 'succeeded',
  failure: 'failed',
  error: 'failed',
  cancel: 'cancelled',
};

function pipelineTarget(cdevent: Cdevent<'pipelinerun.started'>, origin: Origin, finished: boolean): Target {
  const { content } = cdevent.subject;
  const outcome = content.outcome === undefined ? undefined : pipelineOutcomes[content.outcome.toLowerCase()];
  const repo = customString(cdevent, 'repo');
  return {
    type: finished ? 'dev.steadyops.pipeline.finished' : 'dev.steadyops.pipeline.started',
    data: {
      ...(content.pipelineName ? { pipeline: content.pipelineName } : {}),
      runId: cdevent.subject.id,
      ...(content.url && URL.canParse(content.url) ? { url: content.url } : {}),
      ...(finished && outcome ? { outcome } : {}),
      ...(finished && content.errors ? { errors: content.errors } : {}),
      ...(repo === undefined ? {} : { repo }),
      cdevent: provenance(cdevent, origin),
    },
    hints: repo === undefined ? [] : [{ repo }],
  };
}

/** Where a mapped event came from, so the CDEvent stays recognisable in the ledger. */
function provenance(cdevent: AnyCdevent, origin: Origin) {
  const version = cdevent.context?.specversion ?? cdevent.context?.version;
  return {
    type: origin.type,
    subjectId: cdevent.subject.id,
    ...(cdevent.subject.source ? { subjectSource: cdevent.subject.source } : {}),
    ...(version ? { version } : {}),
  };
}

/** CDEvents service ids are often paths (`service/checkout-api`); an artifact is a package URL. */
function serviceHints(serviceId: string | undefined, artifactId: string): SubjectHints[] {
  const artifact = packageName(artifactId);
  return [
    ...(serviceId === undefined ? [] : [{ name: lastSegment(serviceId) }]),
    ...(artifact === undefined ? [] : [{ name: artifact }]),
  ];
}

/** The name of a package URL: `pkg:oci/checkout-api@sha256:...?repository_url=...` -> `checkout-api`. */
export function packageName(purl: string): string | undefined {
  const name = /^pkg:[^/]+\/(?:[^@?#]*\/)?([^@?#/]+)/.exec(purl)?.[1];
  if (name === undefined) return undefined;
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

function lastSegment(id: string): string {
  return id.split('/').filter(Boolean).pop() ?? id;
}

function resolveFirst(resolve: SubjectResolver, hints: readonly SubjectHints[]): string | undefined {
  for (const hint of hints) {
    const subject = resolve(hint);
    if (subject) return subject;
  }
  return undefined;
}

function withSubject(data: Record<string, unknown>, subject: string | undefined): Record<string, unknown> {
  return subject !== undefined && typeof data['service'] === 'string' ? { ...data, service: subject } : data;
}

function customString(cdevent: AnyCdevent, key: string): string | undefined {
  const custom = cdevent.customData;
  if (typeof custom !== 'object' || custom === null || Array.isArray(custom)) return undefined;
  const value = (custom as Record<string, unknown>)[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function toIssue(issue: z.core.$ZodIssue): ErrorIssue {
  return { path: ['data', ...issue.path.map(String)].join('.'), message: issue.message };
}
