import type {
  AccessRoleSpec,
  DatastoreSpec,
  EnvironmentSpec,
  Metadata,
  ModelDocument,
  ReleasePolicySpec,
  ServiceSpec,
  TeamSpec,
} from './schema.ts';

/** The fields every resolved entry carries from its document's metadata. */
export interface Named {
  name: string;
  title?: string;
  description?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export type ResolvedTeam = Named & TeamSpec;
export type ResolvedService = Named & ServiceSpec;
export type ResolvedDatastore = Named & DatastoreSpec;
export type ResolvedReleasePolicy = Named & ReleasePolicySpec;
export type ResolvedAccessRole = Named & AccessRoleSpec;
export type ResolvedEnvironment = Named & EnvironmentSpec;

/** The ownership model as engines read it: plain, JSON-serialisable, defaults applied, references checked. */
export interface ResolvedModel {
  teams: ResolvedTeam[];
  services: ResolvedService[];
  datastores: ResolvedDatastore[];
  releasePolicies: ResolvedReleasePolicy[];
  accessRoles: ResolvedAccessRole[];
  environments: ResolvedEnvironment[];
}

export type SubjectKind = 'Service' | 'Datastore' | 'Team';

export interface ResolvedSubject {
  kind: SubjectKind;
  name: string;
  /** The owning team; a team owns itself. */
  owner: string;
}

export function emptyModel(): ResolvedModel {
  return { teams: [], services: [], datastores: [], releasePolicies: [], accessRoles: [], environments: [] };
}

function named(metadata: Metadata, specDescription?: string): Named {
  const description = specDescription ?? metadata.description;
  return {
    name: metadata.name,
    ...(metadata.title !== undefined ? { title: metadata.title } : {}),
    ...(description !== undefined ? { description } : {}),
    labels: metadata.labels ?? {},
    annotations: metadata.annotations ?? {},
  };
}

/** Builds the resolved model from validated documents (the loader has already checked references). */
export function resolveModel(documents: readonly ModelDocument[]): ResolvedModel {
  const model = emptyModel();
  for (const document of documents) {
    switch (document.kind) {
      case 'Team':
        model.teams.push({ ...named(document.metadata), ...document.spec });
        break;
      case 'Service':
        model.services.push({ ...document.spec, ...named(document.metadata, document.spec.description) });
        break;
      case 'Datastore':
        model.datastores.push({ ...named(document.metadata), ...document.spec });
        break;
      case 'ReleasePolicy':
        model.releasePolicies.push({ ...named(document.metadata), ...document.spec });
        break;
      case 'AccessRole':
        model.accessRoles.push({ ...document.spec, ...named(document.metadata, document.spec.description) });
        break;
      case 'Environment':
        model.environments.push({ ...named(document.metadata), ...document.spec });
        break;
    }
  }
  return model;
}

export function findTeam(model: ResolvedModel, name: string): ResolvedTeam | undefined {
  return model.teams.find((team) => team.name === name);
}

export function findService(model: ResolvedModel, name: string): ResolvedService | undefined {
  return model.services.find((service) => service.name === name);
}

export function findDatastore(model: ResolvedModel, name: string): ResolvedDatastore | undefined {
  return model.datastores.find((datastore) => datastore.name === name);
}

export function findReleasePolicy(model: ResolvedModel, name: string): ResolvedReleasePolicy | undefined {
  return model.releasePolicies.find((policy) => policy.name === name);
}

export function findAccessRole(model: ResolvedModel, name: string): ResolvedAccessRole | undefined {
  return model.accessRoles.find((role) => role.name === name);
}

export function findEnvironment(model: ResolvedModel, name: string): ResolvedEnvironment | undefined {
  return model.environments.find((environment) => environment.name === name);
}

export function servicesOwnedBy(model: ResolvedModel, team: string): ResolvedService[] {
  return model.services.filter((service) => service.owner === team);
}

export function datastoresOwnedBy(model: ResolvedModel, team: string): ResolvedDatastore[] {
  return model.datastores.filter((datastore) => datastore.owner === team);
}

/** Services that declare a dependency on the given service or datastore. */
export function dependentsOf(model: ResolvedModel, name: string): ResolvedService[] {
  return model.services.filter((service) =>
    (service.dependsOn ?? []).some((dependency) => dependency.service === name || dependency.datastore === name),
  );
}

const subjectPrefixes: Record<string, SubjectKind> = { service: 'Service', datastore: 'Datastore', team: 'Team' };

/**
 * What a ledger event's `subject` refers to. Accepts a bare name (services first, then datastores,
 * then teams) or a qualified `service/NAME`, `datastore/NAME`, `team/NAME`.
 */
export function resolveSubject(model: ResolvedModel, subject: string): ResolvedSubject | undefined {
  const slash = subject.indexOf('/');
  const prefix = slash > 0 ? subjectPrefixes[subject.slice(0, slash).toLowerCase()] : undefined;
  const name = prefix ? subject.slice(slash + 1) : subject;
  const kinds: SubjectKind[] = prefix ? [prefix] : ['Service', 'Datastore', 'Team'];
  for (const kind of kinds) {
    const found = lookupSubject(model, kind, name);
    if (found) return found;
  }
  return undefined;
}

function lookupSubject(model: ResolvedModel, kind: SubjectKind, name: string): ResolvedSubject | undefined {
  if (kind === 'Service') {
    const service = findService(model, name);
    return service && { kind, name, owner: service.owner };
  }
  if (kind === 'Datastore') {
    const datastore = findDatastore(model, name);
    return datastore && { kind, name, owner: datastore.owner };
  }
  const team = findTeam(model, name);
  return team && { kind, name, owner: team.name };
}
