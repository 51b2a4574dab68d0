import { terraformAnnotation } from '../../connectors/resolve-subject.ts';
import type { ResolvedDatastore } from '../../model/resolve.ts';
import type { FindingDraft } from '../control.ts';
import type { AuditFacts, TerraformResourceFact } from '../facts.ts';
import { asString, compareStrings, valueAt } from './plain-values.ts';
import { stringMap } from './pod-workloads.ts';

/** An argument as Terraform would see it: `unknown` when it is an expression (`${var.x}`) the audit cannot evaluate. */
export type Argument<T> = T | undefined | 'unknown';

export function booleanArgument(resource: TerraformResourceFact, path: string): Argument<boolean> {
  const value = valueAt(resource.attributes, path);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return 'unknown';
}

export function numberArgument(resource: TerraformResourceFact, path: string): Argument<number> {
  const value = valueAt(resource.attributes, path);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return 'unknown';
}

export function stringArgument(resource: TerraformResourceFact, path: string): Argument<string> {
  const value = valueAt(resource.attributes, path);
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' && !value.includes('${') ? value : 'unknown';
}

/** Resources of these types (all without `types`), in a stable order. */
export function resourcesOfType(facts: AuditFacts, types?: readonly string[]): readonly TerraformResourceFact[] {
  return facts.terraform
    .filter((resource) => types === undefined || types.includes(resource.type))
    .sort((a, b) => compareStrings(a.address, b.address) || compareStrings(a.location.file, b.location.file));
}

/** A read replica: deleting it loses no data and it inherits its source's backups and encryption. */
export function isReplica(resource: TerraformResourceFact): boolean {
  return ['replicate_source_db', 'replication_source_identifier', 'master_instance_name'].some((field) => {
    const value = resource.attributes[field];
    return value !== undefined && value !== null && value !== '';
  });
}

/** `${aws_s3_bucket.backups.id}` or the literal name: does an argument point at that resource? */
export function refersTo(value: unknown, target: TerraformResourceFact, nameField: string): boolean {
  const text = asString(value);
  if (text === undefined) return false;
  const literal = asString(target.attributes[nameField]);
  return text.includes(`${target.type}.${target.name}.`) || (literal !== undefined && !literal.includes('${') && text === literal);
}

const datastoreTag = 'steadyops.dev/datastore';
const identifierFields = ['identifier', 'cluster_identifier', 'replication_group_id', 'cluster_id', 'name', 'bucket'];

function claims(annotations: Readonly<Record<string, string>>, address: string): boolean {
  const bare = address.replace(/\[[^\]]*\]$/, '');
  return (annotations[terraformAnnotation] ?? '')
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((pattern) => (pattern.endsWith('*') ? address.startsWith(pattern.slice(0, -1)) : pattern === address || pattern === bare));
}

const normalised = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]+/g, '_');

/**
 * The model Datastore a Terraform resource is: claimed by the `steadyops.dev/terraform` annotation,
 * tagged `steadyops.dev/datastore`, identified by the datastore's name, or (last) named after it.
 */
export function datastoreOf(facts: AuditFacts, resource: TerraformResourceFact): ResolvedDatastore | undefined {
  const datastores = facts.model?.model.datastores ?? [];
  const claimed = datastores.find((datastore) => claims(datastore.annotations, resource.address));
  if (claimed) return claimed;
  const tags = { ...stringMap(resource.attributes['tags']), ...stringMap(resource.attributes['labels']) };
  const tagged = tags[datastoreTag] ? datastores.find((datastore) => datastore.name === tags[datastoreTag]) : undefined;
  if (tagged) return tagged;
  const identifiers = identifierFields.flatMap((field) => {
    const value = asString(resource.attributes[field]);
    return value && !value.includes('${') ? [normalised(value)] : [];
  });
  const names = [...identifiers, normalised(resource.name)];
  return [...datastores]
    .sort((a, b) => b.name.length - a.name.length || compareStrings(a.name, b.name))
    .find((datastore) => names.some((name) => name.includes(normalised(datastore.name))));
}

/** `aws_db_instance.core (core-postgres, tier 1)`, for evidence. */
export function describeResource(resource: TerraformResourceFact, datastore: ResolvedDatastore | undefined): string {
  if (!datastore) return resource.address;
  return `${resource.address} (${datastore.name}${datastore.tier ? `, tier ${datastore.tier}` : ''})`;
}

/** A finding about a Terraform resource, owned by the datastore's team (or the service that claims the address). */
export function terraformDraft(facts: AuditFacts, resource: TerraformResourceFact, evidence: string): FindingDraft {
  const datastore = datastoreOf(facts, resource);
  const service = datastore ? undefined : facts.model?.model.services.find((entry) => claims(entry.annotations, resource.address));
  const team = datastore?.owner ?? service?.owner;
  return {
    resource: resource.address,
    location: resource.location,
    evidence,
    ...(service ? { service: service.name } : {}),
    ...(team ? { team } : {}),
  };
}

/** A datastore the model ranks tier 1; no model, no mapping or no tier is not tier 1. */
export function isTierOne(datastore: ResolvedDatastore | undefined): datastore is ResolvedDatastore {
  return datastore?.tier === 1;
}
