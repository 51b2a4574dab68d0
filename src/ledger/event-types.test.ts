import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  changeKindOf,
  changeKinds,
  environmentOf,
  eventTypes,
  isKnownEventType,
  nearestEventTypes,
  schemaVersionsOf,
  validateEventData,
} from './event-types.ts';
import type { EventType } from './event-types.ts';

const requiredTypes = [
  'deploy.started', 'deploy.finished', 'deploy.failed', 'rollback.started', 'rollback.finished', 'config.changed',
  'infra.planned', 'infra.applied', 'flag.changed', 'access.requested', 'access.approved', 'access.denied',
  'access.granted', 'access.revoked', 'access.breakglass', 'alert.firing', 'alert.resolved', 'incident.declared',
  'incident.acknowledged', 'incident.updated', 'incident.mitigated', 'incident.resolved', 'incident.postmortem',
  'git.commit', 'git.merge', 'git.tag', 'pipeline.started', 'pipeline.finished', 'backup.completed', 'backup.failed',
  'restore.drill.started', 'restore.drill.verified', 'restore.drill.failed', 'gate.decided', 'gate.overridden', 'release.approved', 'token.created',
  'token.revoked', 'model.applied',
].map((suffix) => `dev.steadyops.${suffix}`);

const deploy = { service: 'checkout-api', environment: 'production', version: 'v1.4.2' };

describe('eventTypes catalogue', () => {
  it('covers every required type with a description, a change kind and a schema', () => {
    for (const type of requiredTypes) {
      expect(isKnownEventType(type), type).toBe(true);
      const spec = eventTypes[type as EventType];
      expect(spec.description.length).toBeGreaterThan(10);
      expect(changeKinds).toContain(spec.changeKind);
      expect(schemaVersionsOf(type as EventType)).toContain(1);
    }
  });

  it('names every type dev.steadyops.<area>.<verb>', () => {
    for (const type of Object.keys(eventTypes)) expect(type).toMatch(/^dev\.steadyops\.[a-z]+(\.[a-z]+)+$/);
  });
});

describe('validateEventData', () => {
  const cases: Array<{ name: string; type: string; data: unknown; dataschema?: string; issues?: Array<{ path: string; message: RegExp }> }> = [
    { name: 'valid deploy', type: 'dev.steadyops.deploy.finished', data: { ...deploy, strategy: 'canary' } },
    { name: 'extra fields are allowed', type: 'dev.steadyops.deploy.finished', data: { ...deploy, cluster: 'eu-1' } },
    {
      name: 'wrong type of a known field',
      type: 'dev.steadyops.deploy.finished',
      data: { ...deploy, version: 3 },
      issues: [{ path: 'data.version', message: /expected string/ }],
    },
    {
      name: 'missing required field',
      type: 'dev.steadyops.deploy.failed',
      data: deploy,
      issues: [{ path: 'data.reason', message: /expected string/ }],
    },
    {
      name: 'bad enum value',
      type: 'dev.steadyops.deploy.started',
      data: { ...deploy, strategy: 'yolo' },
      issues: [{ path: 'data.strategy', message: /rolling/ }],
    },
    {
      name: 'nested array path',
      type: 'dev.steadyops.gate.decided',
      data: { ...deploy, policy: 'tier1', decision: 'allow', checks: [{ type: 'errorBudget', outcome: 'maybe' }] },
      issues: [{ path: 'data.checks[0].outcome', message: /pass/ }],
    },
    {
      name: 'timestamps are RFC 3339',
      type: 'dev.steadyops.access.granted',
      data: { role: 'db-admin', requester: 'ana', requestId: 'r1', reason: 'fix', expiresAt: 'tomorrow' },
      issues: [{ path: 'data.expiresAt', message: /datetime/ }],
    },
    {
      name: 'data is required for catalogue types',
      type: 'dev.steadyops.alert.firing',
      data: undefined,
      issues: [{ path: 'data', message: /requires a JSON object/ }],
    },
    {
      name: 'unknown steadyops type lists near matches',
      type: 'dev.steadyops.deploy.finshed',
      data: {},
      issues: [{ path: 'type', message: /did you mean dev\.steadyops\.deploy\.finished/ }],
    },
    {
      name: 'unknown schema version',
      type: 'dev.steadyops.deploy.finished',
      data: deploy,
      dataschema: 'https://steadyops.dev/schemas/deploy.finished/v9',
      issues: [{ path: 'dataschema', message: /no payload schema version 9; known versions: v1/ }],
    },
    {
      name: 'explicit version 1',
      type: 'dev.steadyops.deploy.finished',
      data: deploy,
      dataschema: 'https://steadyops.dev/schemas/deploy.finished/v1',
    },
    { name: 'foreign types take any data', type: 'dev.cdevents.service.deployed.0.3.0', data: [1, 'x'] },
    { name: 'foreign types take no data', type: 'com.github.push', data: undefined },
  ];

  it.each(cases)('$name', ({ type, data, dataschema, issues }) => {
    const result = validateEventData(type, data, dataschema);
    if (!issues) {
      expect(result).toEqual({ ok: true });
      return;
    }
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(issues.length);
    issues.forEach((expected, i) => {
      expect(result.issues[i]!.path).toBe(expected.path);
      expect(result.issues[i]!.message).toMatch(expected.message);
    });
  });

  it('never accepts an unknown dev.steadyops type, whatever the data', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{1,8}\.[a-z]{1,8}$/), fc.jsonValue(), (suffix, data) => {
        const type = `dev.steadyops.${suffix}`;
        fc.pre(!isKnownEventType(type));
        expect(validateEventData(type, data).ok).toBe(false);
      }),
    );
  });
});

describe('nearestEventTypes', () => {
  it('suggests types of the same area first', () => {
    expect(nearestEventTypes('dev.steadyops.access.aproved', 1)).toEqual(['dev.steadyops.access.approved']);
    expect(nearestEventTypes('dev.steadyops.restore.drill.verify', 1)).toEqual(['dev.steadyops.restore.drill.verified']);
  });
});

describe('changeKindOf', () => {
  it.each([
    ['dev.steadyops.deploy.finished', 'deploy'],
    ['dev.steadyops.rollback.started', 'rollback'],
    ['dev.steadyops.git.merge', 'code'],
    ['dev.steadyops.token.created', 'access'],
    ['dev.steadyops.restore.drill.failed', 'restore'],
    ['dev.steadyops.model.applied', 'model'],
    ['dev.cdevents.service.deployed.0.3.0', 'deploy'],
    ['dev.cdevents.service.rolledback.0.3.0', 'rollback'],
    ['dev.cdevents.pipelinerun.finished.0.3.0', 'pipeline'],
    ['com.github.push', 'other'],
    ['dev.steadyops.nope.never', 'other'],
  ])('%s counts as %s', (type, kind) => {
    expect(changeKindOf(type)).toBe(kind);
  });
});

describe('environmentOf', () => {
  const base = { specversion: '1.0' as const, id: '1', source: '/s', type: 't' };
  it.each([
    ['extension wins', { ...base, extensions: { environment: 'staging' }, data: { environment: 'production' } }, 'staging'],
    ['data.environment', { ...base, data: { environment: 'production' } }, 'production'],
    ['non-string extension is ignored', { ...base, extensions: { environment: 3 }, data: { environment: 'prod' } }, 'prod'],
    ['non-string data is ignored', { ...base, data: { environment: 42 } }, undefined],
    ['array data', { ...base, data: ['production'] }, undefined],
    ['no data', base, undefined],
  ])('%s', (_name, event, expected) => {
    expect(environmentOf(event)).toBe(expected);
  });
});
