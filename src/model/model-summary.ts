import type { ResolvedModel } from './resolve.ts';

const labels: Array<[keyof ResolvedModel, string, string]> = [
  ['teams', 'team', 'teams'],
  ['services', 'service', 'services'],
  ['datastores', 'datastore', 'datastores'],
  ['releasePolicies', 'release policy', 'release policies'],
  ['accessRoles', 'access role', 'access roles'],
  ['environments', 'environment', 'environments'],
];

/** `3 teams, 8 services, 1 datastore, ...` */
export function modelSummary(model: ResolvedModel): string {
  return labels
    .map(([key, one, many]) => `${model[key].length} ${model[key].length === 1 ? one : many}`)
    .join(', ');
}

export function modelCounts(model: ResolvedModel): Record<keyof ResolvedModel, number> {
  return {
    teams: model.teams.length,
    services: model.services.length,
    datastores: model.datastores.length,
    releasePolicies: model.releasePolicies.length,
    accessRoles: model.accessRoles.length,
    environments: model.environments.length,
  };
}
