import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateEventData } from '../../ledger/event-types.ts';
import { createSubjectResolver } from '../resolve-subject.ts';
import { isDestructive, mapTerraformPlan, plannedAction, serviceTagOf } from './map-terraform-plan.ts';
import { parseTerraformPlan, planDigest } from './parse-terraform-plan.ts';
import type { TerraformPlan, TerraformResourceChange } from './parse-terraform-plan.ts';
import { isStatefulType } from './stateful-types.ts';

const fixture = readFileSync(new URL('../../../test/fixtures/terraform/plan.json', import.meta.url), 'utf8');
const now = new Date('2026-01-05T09:00:00Z');
const model = {
  services: [{ name: 'checkout-api' }],
  datastores: [{ name: 'core-postgres' }, { name: 'session-redis' }],
} as unknown as Parameters<typeof createSubjectResolver>[0];
const context = (applied = false) => ({
  workspace: 'prod-eu',
  environment: 'production',
  applied,
  digest: planDigest(fixture),
  now,
  actor: 'cli:ada',
  resolve: createSubjectResolver(model),
});

describe('plannedAction', () => {
  it.each([
    { actions: ['create'], action: 'create' },
    { actions: ['update'], action: 'update' },
    { actions: ['delete'], action: 'delete' },
    { actions: ['delete', 'create'], action: 'replace' },
    { actions: ['create', 'delete'], action: 'replace' },
    { actions: ['no-op'], action: undefined },
    { actions: ['read'], action: undefined },
    { actions: ['forget'], action: undefined },
  ])('$actions -> $action', ({ actions, action }) => {
    expect(plannedAction(actions)).toBe(action);
  });
});

describe('isDestructive', () => {
  it.each([
    { action: 'replace', type: 'aws_db_instance', destructive: true },
    { action: 'delete', type: 'aws_s3_bucket', destructive: true },
    { action: 'delete', type: 'aws_elasticache_replication_group', destructive: true },
    { action: 'delete', type: 'azurerm_mssql_database', destructive: true },
    { action: 'replace', type: 'kubernetes_persistent_volume_claim_v1', destructive: true },
    { action: 'delete', type: 'google_sql_database_instance', destructive: true },
    { action: 'update', type: 'aws_db_instance', destructive: false },
    { action: 'create', type: 'aws_s3_bucket', destructive: false },
    { action: 'delete', type: 'aws_iam_role', destructive: false },
    { action: 'replace', type: 'aws_instance', destructive: false },
    { action: 'delete', type: 'aws_s3_bucket_policy', destructive: false },
  ] as const)('$action $type -> $destructive', ({ action, type, destructive }) => {
    expect(isDestructive(action, type)).toBe(destructive);
  });

  it('treats only whole type names as stateful', () => {
    expect(isStatefulType('aws_db_instance_role_association')).toBe(false);
    expect(isStatefulType('aws_elasticache_cluster')).toBe(true);
  });
});

describe('serviceTagOf', () => {
  it.each([
    { name: 'tags.service of the planned state', change: { actions: ['create'], after: { tags: { service: 'a' } } }, service: 'a' },
    { name: 'steadyops_service wins over service', change: { actions: ['create'], after: { tags: { service: 'a', steadyops_service: 'b' } } }, service: 'b' },
    { name: 'the prior state of a deleted resource', change: { actions: ['delete'], before: { tags: { service: 'c' } }, after: null }, service: 'c' },
    { name: 'tags_all (provider default tags)', change: { actions: ['update'], after: { tags: null, tags_all: { service: 'd' } } }, service: 'd' },
    { name: 'Google labels', change: { actions: ['create'], after: { labels: { service: 'e' } } }, service: 'e' },
    { name: 'no tags', change: { actions: ['delete'], before: { name: 'x' }, after: null }, service: undefined },
  ])('$name', ({ change, service }) => {
    expect(serviceTagOf(change as TerraformResourceChange['change'])).toBe(service);
  });
});

describe('mapTerraformPlan', () => {
  const plan = parseTerraformPlan(fixture, 'plan.json');

  it('emits one event per service and one without subject for unclaimed resources', () => {
    const events = mapTerraformPlan(plan, context());
    expect(events.map(({ event }) => [event.subject ?? null, event.data])).toEqual([
      [
        'checkout-api',
        expect.objectContaining({ add: 1, change: 0, destroy: 0, destructive: false, resources: ['aws_s3_bucket.receipts'] }),
      ],
      [
        'core-postgres',
        expect.objectContaining({
          add: 1,
          change: 0,
          destroy: 1,
          destructive: true,
          changes: [{ address: 'aws_db_instance.core', type: 'aws_db_instance', action: 'replace', destructive: true }],
        }),
      ],
      ['session-redis', expect.objectContaining({ add: 0, change: 1, destroy: 0, destructive: false })],
      [null, expect.objectContaining({ add: 0, change: 0, destroy: 1, resources: ['aws_iam_role.legacy_batch'], destructive: false })],
    ]);
    for (const { event, actor } of events) {
      expect(event).toMatchObject({ type: 'dev.steadyops.infra.planned', source: '/terraform/prod-eu', time: '2026-01-05T08:42:17Z' });
      expect(event.data).toMatchObject({ environment: 'production', workspace: 'prod-eu', tool: 'terraform', terraformVersion: '1.9.5' });
      expect(actor).toBe('cli:ada');
      expect(validateEventData(event.type, event.data)).toEqual({ ok: true });
    }
    expect(new Set(events.map(({ event }) => event.id)).size).toBe(4);
  });

  it('derives ids from the plan content and the service, different for planned and applied', () => {
    const planned = mapTerraformPlan(plan, context()).map(({ event }) => event.id);
    expect(mapTerraformPlan(plan, context()).map(({ event }) => event.id)).toEqual(planned);
    expect(planned[0]).toBe(`plan:${planDigest(fixture)}:service:checkout-api`);
    const applied = mapTerraformPlan(plan, context(true));
    expect(applied.map(({ event }) => event.id)).toEqual(planned.map((id) => id.replace(/^plan:/, 'apply:')));
    for (const { event } of applied) {
      expect(event).toMatchObject({ type: 'dev.steadyops.infra.applied', time: now.toISOString(), data: { outcome: 'succeeded' } });
      expect(validateEventData(event.type, event.data)).toEqual({ ok: true });
    }
  });

  it('without a model, the tag names the subject as is', () => {
    const events = mapTerraformPlan(plan, { ...context(), resolve: createSubjectResolver(undefined) });
    expect(events.map(({ event }) => event.subject ?? null)).toEqual(['checkout-api', 'core-postgres', 'session-redis', null]);
  });

  it.each([
    { name: 'a plan without changes', plan: { format_version: '1.2', resource_changes: [] } },
    { name: 'a plan of only no-ops and reads', plan: { format_version: '1.2', resource_changes: plan.resource_changes?.slice(4) } },
  ])('records $name as one empty workspace event', ({ plan: empty }) => {
    const events = mapTerraformPlan(empty as TerraformPlan, context());
    expect(events).toHaveLength(1);
    expect(events[0]?.event).not.toHaveProperty('subject');
    expect(events[0]?.event.data).toMatchObject({ add: 0, change: 0, destroy: 0, resources: [] });
    expect(events[0]?.event.time).toBe(now.toISOString());
  });
});
