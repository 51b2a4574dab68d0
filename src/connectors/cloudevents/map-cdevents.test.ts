import { describe, expect, it } from 'vitest';
import { validateEventData } from '../../ledger/event-types.ts';
import type { CloudEventInput } from '../../ledger/types.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import type { SubjectResolver } from '../resolve-subject.ts';
import { cdeventKindOf } from './cdevent.ts';
import { mapCloudEvents, packageName } from './map-cdevents.ts';

const services = new Map([
  ['checkout-api', 'checkout-api'],
  ['payments-api', 'payments-api'],
]);
const repos = new Map([['northwind/checkout-api', 'checkout-api']]);
const resolve: SubjectResolver = (hints) =>
  (hints.name && services.get(hints.name)) || (hints.repo && repos.get(hints.repo.replace(/^https:\/\/github\.com\//, ''))) || undefined;

const time = '2026-11-26T08:42:00Z';

/** A CDEvent as its CloudEvents binding carries it: context repeated in the CloudEvent attributes. */
function cdevent(type: string, id: string, subject: Record<string, unknown>, extra: { customData?: unknown; version?: string } = {}): CloudEventInput {
  const source = '/argocd/prod-cluster';
  const v04 = (extra.version ?? '0.4.1').startsWith('0.4');
  return {
    specversion: '1.0',
    id,
    source,
    type,
    time,
    datacontenttype: 'application/json',
    data: {
      context: { [v04 ? 'specversion' : 'version']: extra.version ?? '0.4.1', id, source, type, timestamp: time },
      subject,
      ...(extra.customData === undefined ? {} : { customData: extra.customData }),
    },
  };
}

const deployedContent = {
  environment: { id: 'production', source: '/argocd/prod-cluster' },
  artifactId: 'pkg:oci/checkout-api@sha256%3A0b31b1c02ff458ad9b7b81cbdf8f028bd54699fa151f221d1e8de6817db93427',
};

const cases: ReadonlyArray<readonly [string, CloudEventInput, string, string | undefined, Record<string, unknown>]> = [
  [
    'service.deployed (v0.4)',
    cdevent('dev.cdevents.service.deployed.0.2.0', 'd-1', { id: 'service/checkout-api', source: '/argocd/prod-cluster', type: 'service', content: deployedContent }),
    'dev.steadyops.deploy.finished',
    'checkout-api',
    { service: 'checkout-api', environment: 'production', version: deployedContent.artifactId, deployId: 'service/checkout-api' },
  ],
  [
    'service.upgraded (v0.3), subject from the artifact when the service id is unknown',
    cdevent('dev.cdevents.service.upgraded.0.1.1', 'u-1', { id: 'svc-4711', type: 'service', content: deployedContent }, { version: '0.3.0' }),
    'dev.steadyops.deploy.finished',
    'checkout-api',
    { service: 'checkout-api', environment: 'production', version: deployedContent.artifactId, cdevent: { type: 'dev.cdevents.service.upgraded.0.1.1', subjectId: 'svc-4711', version: '0.3.0' } },
  ],
  [
    'service.rolledback, previous version from customData',
    cdevent(
      'dev.cdevents.service.rolledback.0.1.1',
      'r-1',
      { id: 'service/payments-api', type: 'service', content: { environment: { id: 'staging' }, artifactId: 'pkg:oci/payments-api@v2.3.0' } },
      { customData: { fromVersion: 'pkg:oci/payments-api@v2.4.0', reason: 'error rate above 5%' } },
    ),
    'dev.steadyops.rollback.finished',
    'payments-api',
    { service: 'payments-api', environment: 'staging', fromVersion: 'pkg:oci/payments-api@v2.4.0', toVersion: 'pkg:oci/payments-api@v2.3.0', reason: 'error rate above 5%', outcome: 'succeeded' },
  ],
  [
    'service.rolledback without customData',
    cdevent('dev.cdevents.service.rolledback.0.1.1', 'r-2', { id: 'service/payments-api', content: { environment: { id: 'staging' }, artifactId: 'pkg:oci/payments-api@v2.3.0' } }),
    'dev.steadyops.rollback.finished',
    'payments-api',
    { fromVersion: 'unknown', toVersion: 'pkg:oci/payments-api@v2.3.0' },
  ],
  [
    'incident.detected',
    cdevent(
      'dev.cdevents.incident.detected.0.1.0',
      'i-1',
      { id: 'incident-123', source: '/monitoring/prod1', type: 'incident', content: { description: 'Response time above 2s', environment: { id: 'production' }, service: { id: 'service/checkout-api' }, artifactId: deployedContent.artifactId } },
      { customData: { severity: 'page' } },
    ),
    'dev.steadyops.alert.firing',
    'checkout-api',
    { fingerprint: 'incident-123', severity: 'page', startsAt: time, environment: 'production', service: 'checkout-api', annotations: { description: 'Response time above 2s' }, labels: { environment: 'production', service: 'checkout-api', artifactId: deployedContent.artifactId } },
  ],
  [
    'incident.resolved pairs with the detection by fingerprint',
    cdevent('dev.cdevents.incident.resolved.0.1.0', 'i-2', { id: 'incident-123', type: 'incident', content: { environment: { id: 'production' }, service: { id: 'checkout-api' } } }),
    'dev.steadyops.alert.resolved',
    'checkout-api',
    { fingerprint: 'incident-123', severity: 'none', startsAt: time, endsAt: time },
  ],
  [
    'change.merged with the commit in customData',
    cdevent(
      'dev.cdevents.change.merged.0.1.2',
      'c-1',
      { id: '482', source: 'https://github.com/northwind/checkout-api', type: 'change', content: { repository: { id: 'northwind/checkout-api', source: 'https://github.com' } } },
      { customData: { sha: '9f2c1e7a4b', branch: 'main', sourceBranch: 'fix-timeouts', author: 'ada' } },
    ),
    'dev.steadyops.git.merge',
    'checkout-api',
    { repo: 'northwind/checkout-api', sha: '9f2c1e7a4b', branch: 'main', sourceBranch: 'fix-timeouts', author: 'ada', pullRequest: 482, change: '482' },
  ],
  [
    'pipelinerun.started',
    cdevent('dev.cdevents.pipelinerun.started.0.1.1', 'p-1', { id: 'build-7781', source: '/tekton', type: 'pipelineRun', content: { pipelineName: 'checkout-release', url: 'https://tekton.example.com/runs/7781' } }),
    'dev.steadyops.pipeline.started',
    undefined,
    { pipeline: 'checkout-release', runId: 'build-7781', url: 'https://tekton.example.com/runs/7781' },
  ],
  ...(['success:succeeded', 'failure:failed', 'error:failed', 'cancel:cancelled'] as const).map((pair) => {
    const [outcome, expected] = pair.split(':') as [string, string];
    return [
      `pipelinerun.finished ${outcome}`,
      cdevent('dev.cdevents.pipelinerun.finished.0.1.1', `p-${outcome}`, { id: 'build-7781', content: { pipelineName: 'checkout-release', url: 'not a url', outcome } }, { customData: { repo: 'https://github.com/northwind/checkout-api' } }),
      'dev.steadyops.pipeline.finished',
      'checkout-api',
      { pipeline: 'checkout-release', runId: 'build-7781', outcome: expected, repo: 'https://github.com/northwind/checkout-api' },
    ] as const;
  }),
];

describe('mapCloudEvents: CDEvents onto the catalogue', () => {
  it.each(cases)('%s', (_name, input, type, subject, data) => {
    const [mapped] = mapCloudEvents([input], { resolve, actor: 'token:source:argocd' });
    expect(mapped!.actor).toBe('token:source:argocd');
    expect(mapped!.event).toMatchObject({ specversion: '1.0', id: input.id, source: input.source, type, time });
    expect(mapped!.event.subject).toBe(subject);
    expect(mapped!.event.data).toMatchObject(data);
    expect(validateEventData(mapped!.event.type, mapped!.event.data)).toEqual({ ok: true });
  });

  it('keeps id and source, so a redelivery maps to the same (source, id)', () => {
    const input = cases[0]![1];
    const once = mapCloudEvents([input], { resolve, actor: 'a' });
    const again = mapCloudEvents([structuredClone(input)], { resolve, actor: 'a' });
    expect(again).toEqual(once);
  });

  it.each<[string, CloudEventInput]>([
    ['a non-CDEvents type', { specversion: '1.0', id: 'x', source: '/ci', type: 'com.example.build.finished', subject: 'anything', data: { ok: true } }],
    ['a CDEvents type steadyops does not map', cdevent('dev.cdevents.artifact.published.0.1.1', 'a-1', { id: 'pkg:oci/x@1', content: {} })],
    ['a steadyops event', { specversion: '1.0', id: 's', source: '/ci', type: 'dev.steadyops.flag.changed', data: { flag: 'f', environment: 'p', enabled: true } }],
  ])('passes %s through unchanged', (_name, input) => {
    expect(mapCloudEvents([input], { resolve, actor: 'a' })).toEqual([{ event: input, actor: 'a' }]);
  });

  it('keeps a change.merged without a commit as the CDEvent it is, with its subject resolved', () => {
    const input = cdevent('dev.cdevents.change.merged.0.1.2', 'c-2', { id: 'ch-9', content: { repository: { id: 'northwind/checkout-api' } } });
    const [mapped] = mapCloudEvents([input], { resolve, actor: 'a' });
    expect(mapped!.event).toEqual({ ...input, subject: 'checkout-api' });
  });

  it('leaves the subject unset when nothing resolves', () => {
    const input = cdevent('dev.cdevents.service.deployed.0.2.0', 'd-9', { id: 'service/unknown-svc', content: { environment: { id: 'dev' }, artifactId: 'pkg:generic/other@1.0' } });
    const [mapped] = mapCloudEvents([input], { resolve, actor: 'a' });
    expect(mapped!.event.type).toBe('dev.steadyops.deploy.finished');
    expect(mapped!.event).not.toHaveProperty('subject');
    expect(mapped!.event.data).toMatchObject({ service: 'unknown-svc' });
  });

  it.each<[string, unknown, string[]]>([
    ['no subject', { context: {} }, ['[1].data.subject']],
    ['no environment on a deploy', { subject: { id: 'service/x', content: { artifactId: 'pkg:oci/x@1' } } }, ['[1].data.subject.content.environment']],
    ['an empty artifactId and environment id', { subject: { id: 'service/x', content: { environment: { id: '' }, artifactId: '' } } }, ['[1].data.subject.content.environment.id', '[1].data.subject.content.artifactId']],
    ['data that is not an object', 'deployed', ['[1].data']],
  ])('rejects a deploy CDEvent with %s, naming every path', (_name, data, paths) => {
    const bad: CloudEventInput = { specversion: '1.0', id: 'bad', source: '/x', type: 'dev.cdevents.service.deployed.0.2.0', data };
    const error = (() => {
      try {
        mapCloudEvents([cases[0]![1], bad], { resolve, actor: 'a' });
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(SteadyopsError);
    expect((error as SteadyopsError).code).toBe('SO_E_INPUT_INVALID');
    expect((error as SteadyopsError).issues.map((issue) => issue.path)).toEqual(paths);
  });
});

describe('cdeventKindOf', () => {
  it.each([
    ['dev.cdevents.service.deployed.0.1.1', 'service.deployed'],
    ['dev.cdevents.service.deployed.0.2.0-draft', 'service.deployed'],
    ['dev.cdevents.pipelinerun.finished.0.2.0', 'pipelinerun.finished'],
    ['dev.cdevents.artifact.published.0.1.1', undefined],
    ['dev.cdevents.service.deployed', undefined],
    ['com.example.service.deployed.0.1.1', undefined],
  ])('%s -> %s', (type, kind) => {
    expect(cdeventKindOf(type)).toBe(kind);
  });
});

describe('packageName', () => {
  it.each([
    ['pkg:oci/checkout-api@sha256%3A0b31?repository_url=ghcr.io/northwind', 'checkout-api'],
    ['pkg:golang/github.com/northwind/payments-api@v1.2.0', 'payments-api'],
    ['pkg:npm/%40northwind/web@1.0.0', 'web'],
    ['checkout-api:1.2.0', undefined],
  ])('%s -> %s', (purl, name) => {
    expect(packageName(purl)).toBe(name);
  });
});
