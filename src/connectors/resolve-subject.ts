import type { ResolvedModel } from '../model/resolve.ts';

/** What an outside payload says about where it belongs; any of these may be missing. */
export interface SubjectHints {
  /** a service or datastore name, e.g. an alert's `service` label */
  readonly name?: string;
  /** a repository: `owner/name`, or an https / ssh URL */
  readonly repo?: string;
  /** a path inside the repository, to pick one service of a monorepo */
  readonly path?: string;
  readonly namespace?: string;
  readonly deployment?: string;
  /** a Terraform resource address, claimed in the model by the `steadyops.dev/terraform` annotation */
  readonly terraformAddress?: string;
}

/** Model annotation listing the Terraform addresses a service or datastore owns: `aws_db_instance.core, module.cache.*`. */
export const terraformAnnotation = 'steadyops.dev/terraform';

export type SubjectResolver = (hints: SubjectHints) => string | undefined;

/**
 * Pure: maps hints to the owning service (or datastore) of the ownership model. An event nobody
 * can place keeps `subject` unset and shows up as an ownership gap; it is never dropped.
 */
export function createSubjectResolver(model: ResolvedModel | undefined): SubjectResolver {
  if (!model) return (hints) => hints.name;
  const names = new Set([...model.services.map((service) => service.name), ...model.datastores.map((store) => store.name)]);
  const claims = [...model.services, ...model.datastores].flatMap((owner) =>
    (owner.annotations?.[terraformAnnotation] ?? '')
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((pattern) => ({ pattern, owner: owner.name })),
  );
  return (hints) => {
    if (hints.name && names.has(hints.name)) return hints.name;
    if (hints.terraformAddress) {
      const address = hints.terraformAddress;
      const claim = claims.find(({ pattern }) => (pattern.endsWith('*') ? address.startsWith(pattern.slice(0, -1)) : address === pattern));
      if (claim) return claim.owner;
    }
    if (hints.deployment) {
      const byRuntime = model.services.find(
        (service) =>
          service.runtime?.kind === 'kubernetes' &&
          service.runtime.deployment === hints.deployment &&
          (hints.namespace === undefined || service.runtime.namespace === hints.namespace),
      );
      if (byRuntime) return byRuntime.name;
    }
    if (hints.repo) {
      const repo = repositoryKey(hints.repo);
      const candidates = model.services.filter((service) => service.repo && repositoryKey(service.repo.url) === repo);
      if (candidates.length === 1) return candidates[0]?.name;
      if (candidates.length > 1 && hints.path !== undefined) {
        const path = hints.path;
        const inPath = candidates
          .filter((service) => service.repo?.path && path.startsWith(service.repo.path.replace(/^\.?\//, '')))
          .sort((a, b) => (b.repo?.path?.length ?? 0) - (a.repo?.path?.length ?? 0));
        return inPath[0]?.name;
      }
    }
    return undefined;
  };
}

/**
 * For long-running servers whose model can be reloaded: builds the resolver once per model object
 * instead of once per delivery.
 */
export function createLiveSubjectResolver(current: () => ResolvedModel | undefined): SubjectResolver {
  let model: ResolvedModel | undefined;
  let resolver = createSubjectResolver(undefined);
  return (hints) => {
    const latest = current();
    if (latest !== model) {
      model = latest;
      resolver = createSubjectResolver(latest);
    }
    return resolver(hints);
  };
}

/** `https://github.com/Org/Repo.git`, `git@github.com:org/repo` and `org/repo` are the same repository. */
export function repositoryKey(reference: string): string {
  return reference
    .trim()
    .toLowerCase()
    .replace(/^git@([^:]+):/, '$1/')
    .replace(/^[a-z+]+:\/\//, '')
    .replace(/^[^/]*@/, '')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '')
    .split('/')
    .slice(-2)
    .join('/');
}
