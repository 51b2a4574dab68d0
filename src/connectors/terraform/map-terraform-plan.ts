import type { EventToAppend } from '../../ledger/types.ts';
import type { SubjectResolver } from '../resolve-subject.ts';
import type { TerraformPlan, TerraformResourceChange } from './parse-terraform-plan.ts';
import { isStatefulType } from './stateful-types.ts';

export type PlannedAction = 'create' | 'update' | 'delete' | 'replace';

export interface PlannedResource {
  readonly address: string;
  readonly type: string;
  readonly action: PlannedAction;
  readonly destructive: boolean;
  /** the service its tags name, or the one whose model annotation claims its address */
  readonly service?: string;
}

export interface TerraformImportContext {
  readonly workspace: string;
  readonly environment: string;
  /** `.applied` instead of `.planned` */
  readonly applied: boolean;
  /** SHA-256 of the plan text (see `planDigest`) */
  readonly digest: string;
  /** when the plan does not say (`timestamp`), or when it was applied */
  readonly now: Date;
  readonly actor: string;
  readonly resolve: SubjectResolver;
}

const serviceTagKeys = ['steadyops_service', 'service'];
const tagMaps = ['tags', 'tags_all', 'labels'];

/** `["delete","create"]` and `["create","delete"]` are a replace; no-op, read and forget change nothing. */
export function plannedAction(actions: readonly string[]): PlannedAction | undefined {
  if (actions.length === 2 && actions.includes('delete') && actions.includes('create')) return 'replace';
  const [only] = actions;
  return only === 'create' || only === 'update' || only === 'delete' ? only : undefined;
}

/** Deleting or replacing a resource that holds data. */
export function isDestructive(action: PlannedAction, type: string): boolean {
  return (action === 'delete' || action === 'replace') && isStatefulType(type);
}

/** The service a resource's tags name, from the planned state first, then the prior one. */
export function serviceTagOf(change: TerraformResourceChange['change']): string | undefined {
  for (const state of [change.after, change.before]) {
    if (!isRecord(state)) continue;
    for (const map of tagMaps) {
      const tags = state[map];
      if (!isRecord(tags)) continue;
      for (const key of serviceTagKeys) {
        const value = tags[key];
        if (typeof value === 'string' && value.trim() !== '') return value.trim();
      }
    }
  }
  return undefined;
}

export function plannedResources(plan: TerraformPlan, resolve: SubjectResolver): PlannedResource[] {
  const resources: PlannedResource[] = [];
  for (const change of plan.resource_changes ?? []) {
    if (change.mode === 'data') continue;
    const action = plannedAction(change.change.actions);
    if (!action) continue;
    const tag = serviceTagOf(change.change);
    const service = resolve({ ...(tag === undefined ? {} : { name: tag }), terraformAddress: change.address });
    resources.push({
      address: change.address,
      type: change.type,
      action,
      destructive: isDestructive(action, change.type),
      ...(service ? { service } : {}),
    });
  }
  return resources;
}

/**
 * Pure: one `infra.planned` (or `.applied`) event per service the plan touches, and one for the
 * workspace without subject holding the resources no service claims (or the whole plan when none does).
 */
export function mapTerraformPlan(plan: TerraformPlan, context: TerraformImportContext): EventToAppend[] {
  const resources = plannedResources(plan, context.resolve);
  const byService = new Map<string, PlannedResource[]>();
  const unmapped: PlannedResource[] = [];
  for (const resource of resources) {
    if (resource.service === undefined) unmapped.push(resource);
    else byService.set(resource.service, [...(byService.get(resource.service) ?? []), resource]);
  }
  const events = [...byService].sort(([a], [b]) => a.localeCompare(b)).map(([service, group]) => planEvent(plan, context, group, service));
  if (unmapped.length > 0 || events.length === 0) events.push(planEvent(plan, context, unmapped));
  return events;
}

function planEvent(plan: TerraformPlan, context: TerraformImportContext, group: readonly PlannedResource[], service?: string): EventToAppend {
  const phase = context.applied ? 'apply' : 'plan';
  const time = context.applied || plan.timestamp === undefined ? context.now.toISOString() : plan.timestamp;
  return {
    actor: context.actor,
    event: {
      specversion: '1.0',
      id: `${phase}:${context.digest}:${service === undefined ? 'workspace' : `service:${service}`}`,
      source: `/terraform/${context.workspace}`,
      type: context.applied ? 'dev.steadyops.infra.applied' : 'dev.steadyops.infra.planned',
      ...(service ? { subject: service } : {}),
      time,
      data: {
        environment: context.environment,
        workspace: context.workspace,
        tool: 'terraform',
        ...counts(group),
        destructive: group.some((resource) => resource.destructive),
        resources: group.map((resource) => resource.address),
        changes: group.map(({ address, type, action, destructive }) => ({ address, type, action, destructive })),
        ...(service ? { service } : {}),
        planDigest: context.digest,
        ...(plan.terraform_version ? { terraformVersion: plan.terraform_version } : {}),
        ...(context.applied ? { outcome: 'succeeded' } : {}),
      },
    },
  };
}

/** Counted as `terraform plan` prints them: a replace is one to add and one to destroy. */
function counts(group: readonly PlannedResource[]): { add: number; change: number; destroy: number } {
  const total = { add: 0, change: 0, destroy: 0 };
  for (const { action } of group) {
    if (action === 'create' || action === 'replace') total.add += 1;
    if (action === 'update') total.change += 1;
    if (action === 'delete' || action === 'replace') total.destroy += 1;
  }
  return total;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
