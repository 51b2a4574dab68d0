/** The resources the test server serves, and the discovery documents kubectl reads to find them. */
export interface ResourceInfo {
  readonly group: string;
  readonly version: string;
  readonly name: string;
  readonly singularName: string;
  readonly kind: string;
  readonly shortNames: readonly string[];
}

const verbs = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

export const resources: readonly ResourceInfo[] = [
  { group: '', version: 'v1', name: 'pods', singularName: 'pod', kind: 'Pod', shortNames: ['po'] },
  { group: '', version: 'v1', name: 'configmaps', singularName: 'configmap', kind: 'ConfigMap', shortNames: ['cm'] },
  { group: 'apps', version: 'v1', name: 'deployments', singularName: 'deployment', kind: 'Deployment', shortNames: ['deploy'] },
  { group: 'apps', version: 'v1', name: 'replicasets', singularName: 'replicaset', kind: 'ReplicaSet', shortNames: ['rs'] },
  { group: 'apps', version: 'v1', name: 'statefulsets', singularName: 'statefulset', kind: 'StatefulSet', shortNames: ['sts'] },
  { group: 'apps', version: 'v1', name: 'daemonsets', singularName: 'daemonset', kind: 'DaemonSet', shortNames: ['ds'] },
];

export function findResource(group: string, version: string, name: string): ResourceInfo | undefined {
  return resources.find((resource) => resource.group === group && resource.version === version && resource.name === name);
}

/** Discovery documents by path; undefined for any other path. */
export function discoveryDocument(path: string): unknown {
  if (path === '/version') return versionInfo;
  if (path === '/api') return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] };
  if (path === '/apis') return apiGroupList;
  if (path === '/api/v1') return resourceList('', 'v1');
  if (path === '/apis/apps/v1') return resourceList('apps', 'v1');
  if (path === '/apis/apps') return appsGroup;
  if (path === '/openapi/v3') return openApiRoot;
  const groupVersion = path.startsWith('/openapi/v3/') ? path.slice('/openapi/v3/'.length) : undefined;
  return groupVersion === undefined ? undefined : openApiDocument(groupVersion);
}

/** Enough OpenAPI v3 for kubectl to see that PATCH takes `fieldValidation`, so it validates server-side. */
const openApiRoot = {
  paths: Object.fromEntries(['api/v1', 'apis/apps/v1'].map((groupVersion) => [groupVersion, { serverRelativeURL: `/openapi/v3/${groupVersion}` }])),
};

function openApiDocument(groupVersion: string): unknown {
  const served = resources.filter((resource) => (resource.group ? `apis/${resource.group}/${resource.version}` : `api/${resource.version}`) === groupVersion);
  if (served.length === 0) return undefined;
  const paths = served.map((resource) => [
    `/${groupVersion}/namespaces/{namespace}/${resource.name}/{name}`,
    {
      patch: {
        'x-kubernetes-group-version-kind': { group: resource.group, version: resource.version, kind: resource.kind },
        parameters: [{ name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } }],
        responses: {},
      },
    },
  ]);
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: versionInfo.gitVersion }, paths: Object.fromEntries(paths), components: {} };
}

const versionInfo = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-steadyops-test',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2025-01-01T00:00:00Z',
  goVersion: 'go1.23',
  compiler: 'gc',
  platform: 'linux/amd64',
};

const appsGroup = {
  kind: 'APIGroup',
  apiVersion: 'v1',
  name: 'apps',
  versions: [{ groupVersion: 'apps/v1', version: 'v1' }],
  preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
};

const apiGroupList = { kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: 'apps', versions: appsGroup.versions, preferredVersion: appsGroup.preferredVersion }] };

function resourceList(group: string, version: string) {
  const served = resources.filter((resource) => resource.group === group && resource.version === version);
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources: served.flatMap((resource) => [
      { name: resource.name, singularName: resource.singularName, namespaced: true, kind: resource.kind, verbs, shortNames: resource.shortNames },
      ...(resource.kind === 'Deployment'
        ? [
            { name: 'deployments/status', singularName: '', namespaced: true, kind: 'Deployment', verbs: ['get', 'patch', 'update'] },
            { name: 'deployments/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] },
          ]
        : []),
    ]),
  };
}
