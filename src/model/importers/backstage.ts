import {
  DefaultNamespaceEntityPolicy,
  EntityPolicies,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  componentEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  parseEntityRef,
  resourceEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
} from '@backstage/catalog-model';
import type { Entity } from '@backstage/catalog-model';
import { LineCounter, parseAllDocuments } from 'yaml';
import { apiVersion, datastoreEngines } from '../schema.ts';
import type { ModelDocumentInput } from '../schema.ts';
import { documentsToYaml } from '../documents-to-yaml.ts';
import { toModelName } from '../to-model-name.ts';

export interface CatalogSource {
  file: string;
  text: string;
}

export interface BackstageImport {
  documents: ModelDocumentInput[];
  /** Multi-document YAML of `documents`, ready to save as a model file. */
  yaml: string;
  warnings: string[];
  /** Entities left out on purpose (APIs, domains, libraries...), one line each. */
  notes: string[];
}

type Input<K extends ModelDocumentInput['kind']> = Extract<ModelDocumentInput, { kind: K }>;

interface LocatedEntity {
  entity: Entity;
  where: string;
}

const entityPolicy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

const kindValidators = {
  component: componentEntityV1alpha1Validator,
  group: groupEntityV1alpha1Validator,
  resource: resourceEntityV1alpha1Validator,
  system: systemEntityV1alpha1Validator,
  user: userEntityV1alpha1Validator,
} as const;

/** Backstage `spec.type` of a Resource (or a tag) → datastore engine. */
const engineAliases: Record<string, (typeof datastoreEngines)[number]> = {
  postgres: 'postgresql',
  postgresql: 'postgresql',
  mysql: 'mysql',
  mariadb: 'mariadb',
  redis: 'redis',
  cache: 'redis',
  mongodb: 'mongodb',
  mongo: 'mongodb',
  elasticsearch: 'elasticsearch',
  opensearch: 'elasticsearch',
  kafka: 'kafka',
  s3: 's3',
  bucket: 's3',
  's3-bucket': 's3',
};
const datastoreTypes = new Set(['database', 'datastore', 'storage', 'queue', 'message-queue', ...Object.keys(engineAliases)]);

/** Converts Backstage catalog entities into steadyops model documents. */
export async function importBackstage(sources: readonly CatalogSource[]): Promise<BackstageImport> {
  const warnings: string[] = [];
  const notes: string[] = [];
  const entities = await readEntities(sources, warnings);
  const catalog = new Catalog(entities, warnings, notes);
  const documents = catalog.build();
  return { documents, yaml: documentsToYaml(documents, 'Imported from Backstage catalog entities'), warnings, notes };
}

async function readEntities(sources: readonly CatalogSource[], warnings: string[]): Promise<LocatedEntity[]> {
  const located: LocatedEntity[] = [];
  for (const source of sources) {
    const lineCounter = new LineCounter();
    for (const document of parseAllDocuments(source.text, { lineCounter })) {
      const line = lineCounter.linePos(document.contents?.range?.[0] ?? 0).line;
      const where = `${source.file}:${line}`;
      if (document.errors.length > 0) {
        warnings.push(`${where}: skipped, the YAML does not parse: ${document.errors[0]?.message.split('\n')[0] ?? ''}`);
        continue;
      }
      const data = document.toJS() as unknown;
      if (data === null || data === undefined) continue;
      const entity = await checkEntity(data, where, warnings);
      if (entity) located.push({ entity, where });
    }
  }
  return located;
}

async function checkEntity(data: unknown, where: string, warnings: string[]): Promise<Entity | undefined> {
  try {
    const entity = await entityPolicy.enforce(data as Entity);
    if (!entity) return undefined;
    const validator = kindValidators[entity.kind.toLowerCase() as keyof typeof kindValidators];
    if (validator) await validator.check(entity);
    return entity;
  } catch (error) {
    warnings.push(`${where}: skipped, not a valid Backstage entity: ${(error as Error).message}`);
    return undefined;
  }
}

const refKey = (kind: string, namespace: string, name: string) =>
  `${kind.toLowerCase()}:${namespace.toLowerCase()}/${name.toLowerCase()}`;

function entityKey(entity: Entity): string {
  return refKey(entity.kind, entity.metadata.namespace ?? 'default', entity.metadata.name);
}

const stringField = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);
const stringList = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item) => typeof item === 'string') : []);

class Catalog {
  private readonly byKey = new Map<string, Entity>();
  private readonly teams = new Map<string, Input<'Team'>>();
  private readonly datastoreNames = new Map<string, string>();
  private readonly serviceNames = new Map<string, string>();
  private readonly usedNames = new Map<string, string>();

  constructor(
    private readonly entities: readonly LocatedEntity[],
    private readonly warnings: string[],
    private readonly notes: string[],
  ) {
    for (const { entity } of entities) this.byKey.set(entityKey(entity), entity);
  }

  build(): ModelDocumentInput[] {
    for (const { entity } of this.ofKind('group')) this.addTeam(entity);
    const datastores = this.ofKind('resource').flatMap(({ entity, where }) => this.toDatastore(entity, where));
    for (const { entity } of this.ofKind('component')) this.reserveService(entity);
    const services = this.ofKind('component').flatMap(({ entity, where }) => this.toService(entity, where));
    for (const { entity, where } of this.entities) {
      if (!['group', 'user', 'resource', 'component', 'system'].includes(entity.kind.toLowerCase())) {
        this.notes.push(`${where}: ${entity.kind} "${entity.metadata.name}" has no counterpart in the model; ignored`);
      }
    }
    return [...this.teams.values(), ...datastores, ...services];
  }

  private ofKind(kind: string): LocatedEntity[] {
    return this.entities.filter(({ entity }) => entity.kind.toLowerCase() === kind);
  }

  private uniqueName(kind: string, source: string): string {
    const name = toModelName(source);
    const key = `${kind}/${name}`;
    const previous = this.usedNames.get(key);
    if (previous !== undefined && previous !== source) {
      this.warnings.push(`${kind} names "${previous}" and "${source}" both become "${name}"; rename one`);
    }
    this.usedNames.set(key, source);
    return name;
  }

  // ------------------------------------------------------------ teams

  private addTeam(group: Entity): string {
    const key = entityKey(group);
    const existing = this.teams.get(key);
    if (existing) return existing.metadata.name;
    const name = this.uniqueName('Team', group.metadata.name);
    const profile = (group.spec?.profile ?? {}) as Record<string, unknown>;
    const members = this.membersOf(group);
    if (members.length === 0) {
      const email = stringField(profile.email) ?? `${name}@example.com`;
      members.push({ name: stringField(profile.displayName) ?? `${name} team`, email });
      this.warnings.push(
        `Team "${name}": no User entity with an email is a member; added ${email} as a placeholder member, replace it with the real members`,
      );
    }
    const title = stringField(profile.displayName) ?? group.metadata.title;
    this.teams.set(key, {
      apiVersion,
      kind: 'Team',
      metadata: {
        name,
        ...(title ? { title } : {}),
        ...(group.metadata.description ? { description: group.metadata.description } : {}),
      },
      spec: { members, timezone: stringField(group.metadata.annotations?.['steadyops.dev/timezone']) ?? 'UTC' },
    });
    return name;
  }

  private membersOf(group: Entity): Array<{ name: string; email: string }> {
    const namespace = group.metadata.namespace ?? 'default';
    const groupKey = entityKey(group);
    const listed = new Set(
      stringList(group.spec?.members).map((ref) => this.refKeyOf(ref, 'user', namespace)).filter((key) => key !== undefined),
    );
    const members: Array<{ name: string; email: string }> = [];
    for (const { entity: user } of this.ofKind('user')) {
      const userNamespace = user.metadata.namespace ?? 'default';
      const memberOf = stringList(user.spec?.memberOf).map((ref) => this.refKeyOf(ref, 'group', userNamespace));
      if (!memberOf.includes(groupKey) && !listed.has(entityKey(user))) continue;
      const profile = (user.spec?.profile ?? {}) as Record<string, unknown>;
      const email = stringField(profile.email);
      if (!email) {
        this.warnings.push(`User "${user.metadata.name}" has no spec.profile.email; left out of Team "${toModelName(group.metadata.name)}"`);
        continue;
      }
      members.push({ name: stringField(profile.displayName) ?? user.metadata.name, email });
    }
    return members;
  }

  private refKeyOf(ref: string, defaultKind: string, defaultNamespace: string): string | undefined {
    try {
      const parsed = parseEntityRef(ref, { defaultKind, defaultNamespace });
      return refKey(parsed.kind, parsed.namespace, parsed.name);
    } catch {
      this.warnings.push(`"${ref}" is not an entity reference; ignored`);
      return undefined;
    }
  }

  /** The owning team for an owner ref: a Group becomes its Team; a User's first group, or a one-person team. */
  private ownerTeam(owner: unknown, namespace: string, where: string): string {
    const ref = stringField(owner);
    const key = ref ? this.refKeyOf(ref, 'group', namespace) : undefined;
    const entity = key ? this.byKey.get(key) : undefined;
    if (entity?.kind.toLowerCase() === 'group') return this.addTeam(entity);
    if (entity?.kind.toLowerCase() === 'user') {
      const group = this.groupsOf(entity)[0];
      if (group) return this.addTeam(group);
    }
    return this.placeholderTeam(ref ?? 'unowned-review-me', entity, where);
  }

  /** Groups a user belongs to, by the user's `memberOf` or the group's `members`. */
  private groupsOf(user: Entity): Entity[] {
    const userKey = entityKey(user);
    const namespace = user.metadata.namespace ?? 'default';
    const memberOf = new Set(stringList(user.spec?.memberOf).map((ref) => this.refKeyOf(ref, 'group', namespace)));
    return this.ofKind('group')
      .map(({ entity }) => entity)
      .filter((group) => {
        const groupNamespace = group.metadata.namespace ?? 'default';
        const members = stringList(group.spec?.members).map((ref) => this.refKeyOf(ref, 'user', groupNamespace));
        return memberOf.has(entityKey(group)) || members.includes(userKey);
      });
  }

  private placeholderTeam(ref: string, user: Entity | undefined, where: string): string {
    const source = ref.includes('/') ? ref.slice(ref.lastIndexOf('/') + 1) : ref.slice(ref.indexOf(':') + 1);
    const name = toModelName(source);
    const key = `placeholder:${name}`;
    if (!this.teams.has(key)) {
      const profile = (user?.spec?.profile ?? {}) as Record<string, unknown>;
      const email = stringField(profile.email) ?? `${name}@example.com`;
      this.teams.set(key, {
        apiVersion,
        kind: 'Team',
        metadata: { name, description: `Created on import for owner "${ref}"; review its members` },
        spec: { members: [{ name: stringField(profile.displayName) ?? `${name} owner`, email }], timezone: 'UTC' },
      });
      const why = user ? 'is a User in no Group' : 'is not a Group in the catalog';
      this.warnings.push(`${where}: owner "${ref}" ${why}; created Team "${name}" with member ${email}, review it`);
    }
    return name;
  }

  // ------------------------------------------------------------ datastores

  private toDatastore(resource: Entity, where: string): Input<'Datastore'>[] {
    const type = String(resource.spec?.type ?? '').toLowerCase();
    if (!datastoreTypes.has(type)) {
      this.notes.push(`${where}: Resource "${resource.metadata.name}" of type "${type}" is not a datastore; ignored`);
      return [];
    }
    const name = this.uniqueName('Datastore', resource.metadata.name);
    this.datastoreNames.set(entityKey(resource), name);
    const namespace = resource.metadata.namespace ?? 'default';
    const engine = engineAliases[type] ?? this.engineFromTags(resource) ?? 'other';
    return [
      {
        apiVersion,
        kind: 'Datastore',
        metadata: this.metadataOf(resource, name),
        spec: {
          engine,
          owner: this.ownerTeam(resource.spec?.owner, namespace, where),
          ...this.tierOf(resource, false),
        },
      },
    ];
  }

  private engineFromTags(entity: Entity): (typeof datastoreEngines)[number] | undefined {
    for (const tag of entity.metadata.tags ?? []) {
      const engine = engineAliases[tag.toLowerCase()];
      if (engine) return engine;
    }
    return undefined;
  }

  // ------------------------------------------------------------ services

  private reserveService(component: Entity): void {
    if (this.isLibrary(component)) return;
    this.serviceNames.set(entityKey(component), this.uniqueName('Service', component.metadata.name));
  }

  private isLibrary(component: Entity): boolean {
    return String(component.spec?.type ?? '').toLowerCase() === 'library';
  }

  private toService(component: Entity, where: string): Input<'Service'>[] {
    if (this.isLibrary(component)) {
      this.notes.push(`${where}: Component "${component.metadata.name}" is a library, not a running service; ignored`);
      return [];
    }
    const name = this.serviceNames.get(entityKey(component)) ?? toModelName(component.metadata.name);
    const namespace = component.metadata.namespace ?? 'default';
    const metadata = this.metadataOf(component, name);
    const system = stringField(component.spec?.system);
    if (system) metadata.labels = { ...metadata.labels, system: this.systemName(system, namespace) };
    const dependsOn = stringList(component.spec?.dependsOn).flatMap((ref) => this.dependencyOf(ref, namespace, name));
    const repo = this.repoOf(component);
    const runtime = this.runtimeOf(component);
    return [
      {
        apiVersion,
        kind: 'Service',
        metadata,
        spec: {
          owner: this.ownerTeam(component.spec?.owner, namespace, where),
          tier: this.tierOf(component, true).tier ?? 2,
          lifecycle: this.lifecycleOf(component, where),
          ...(repo ? { repo } : {}),
          ...(runtime ? { runtime } : {}),
          ...(dependsOn.length > 0 ? { dependsOn } : {}),
        },
      },
    ];
  }

  private systemName(ref: string, namespace: string): string {
    const key = this.refKeyOf(ref, 'system', namespace);
    const system = key ? this.byKey.get(key) : undefined;
    return toModelName(system?.metadata.name ?? ref.slice(ref.lastIndexOf('/') + 1));
  }

  private dependencyOf(ref: string, namespace: string, self: string): NonNullable<Input<'Service'>['spec']['dependsOn']> {
    const key = this.refKeyOf(ref, 'component', namespace);
    if (!key) return [];
    const service = this.serviceNames.get(key);
    if (service && service !== self) return [{ service }];
    const datastore = this.datastoreNames.get(key);
    if (datastore) return [{ datastore }];
    const external = key.slice(key.indexOf('/') + 1);
    this.notes.push(`Service "${self}": dependency "${ref}" is not a service or datastore in the catalog; kept as external`);
    return [{ external }];
  }

  private lifecycleOf(component: Entity, where: string): 'production' | 'experimental' | 'deprecated' {
    const lifecycle = String(component.spec?.lifecycle ?? 'production').toLowerCase();
    if (lifecycle === 'production' || lifecycle === 'experimental' || lifecycle === 'deprecated') return lifecycle;
    this.warnings.push(`${where}: lifecycle "${lifecycle}" has no model equivalent; used "experimental"`);
    return 'experimental';
  }

  /** Tier from the `steadyops.dev/tier` or `tier` annotation or label (`1`, `tier-1`, `tier1`). */
  private tierOf(entity: Entity, defaultToTwo: boolean): { tier?: 1 | 2 | 3 } {
    const { annotations = {}, labels = {} } = entity.metadata;
    const raw =
      annotations['steadyops.dev/tier'] ?? labels['steadyops.dev/tier'] ?? annotations.tier ?? labels.tier ?? undefined;
    const digit = raw?.match(/[123]/)?.[0];
    if (digit) return { tier: Number(digit) as 1 | 2 | 3 };
    return defaultToTwo ? { tier: 2 } : {};
  }

  private repoOf(component: Entity): { url: string } | undefined {
    const annotations = component.metadata.annotations ?? {};
    const slug = annotations['github.com/project-slug'];
    if (slug) return { url: `https://github.com/${slug}` };
    const source = annotations['backstage.io/source-location'];
    if (source?.startsWith('url:')) return { url: source.slice('url:'.length) };
    return undefined;
  }

  private runtimeOf(component: Entity): Input<'Service'>['spec']['runtime'] {
    const annotations = component.metadata.annotations ?? {};
    const deployment = annotations['backstage.io/kubernetes-id'];
    if (!deployment) return undefined;
    return { kind: 'kubernetes', namespace: annotations['backstage.io/kubernetes-namespace'] ?? 'default', deployment };
  }

  private metadataOf(entity: Entity, name: string): Input<'Service'>['metadata'] {
    const labels = Object.fromEntries(
      Object.entries(entity.metadata.labels ?? {}).filter(([key]) => key !== 'tier' && key !== 'steadyops.dev/tier'),
    );
    return {
      name,
      ...(entity.metadata.title ? { title: entity.metadata.title } : {}),
      ...(entity.metadata.description ? { description: entity.metadata.description } : {}),
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
      annotations: { 'backstage.io/entity-ref': entityKey(entity) },
    };
  }
}
