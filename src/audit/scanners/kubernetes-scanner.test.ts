import { describe, expect, it } from 'vitest';
import { kubectlAvailable } from '../../../test/support/kube-api/kubectl.ts';
import type { AuditWarning } from '../facts.ts';
import { objectsOfDocument, renderKustomization } from './kubernetes-scanner.ts';
import { planKustomizations, readKustomization } from './kustomizations.ts';
import { parseYamlFile } from './yaml-documents.ts';

const fixture = new URL('../../../test/fixtures/audit/repo/', import.meta.url).pathname.replace(/\/$/, '');
const hasKubectl = await kubectlAvailable();

function collect(): { warnings: AuditWarning[]; warn: (location: AuditWarning['location'], message: string) => void } {
  const warnings: AuditWarning[] = [];
  return { warnings, warn: (location, message) => warnings.push({ location, message }) };
}

const manifests = `# a file of many kinds of documents
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: shop }
spec: { replicas: 2 }
---
apiVersion: v1
kind: DeploymentList
items:
  - apiVersion: apps/v1
    kind: Deployment
    metadata: { name: worker }
  - { apiVersion: v1, kind: Service, metadata: { name: worker, namespace: shop } }
---
# a patch: no name, so not an object
apiVersion: apps/v1
kind: Deployment
spec: { replicas: 4 }
---
apiVersion: steadyops.dev/v1
kind: Service
metadata: { name: api }
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata: { name: api }
---
apiVersion: v1
kind: Config
users: []
---
just: a mapping
`;

describe('objectsOfDocument', () => {
  it('keeps Kubernetes objects and List items at their lines; patches, models, catalogs and kubeconfigs are not objects', () => {
    const { warnings, warn } = collect();
    const yaml = parseYamlFile('k8s/all.yaml', manifests, warn);
    const objects = yaml.documents.flatMap((document) => objectsOfDocument(yaml.file, document, yaml.lineCounter));
    expect(objects.map((object) => [object.kind, object.namespace ?? null, object.name, object.location.line])).toEqual([
      ['Deployment', 'shop', 'api', 2],
      ['Deployment', null, 'worker', 10],
      ['Service', 'shop', 'worker', 13],
    ]);
    expect(objects[0]).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'api',
      namespace: 'shop',
      location: { file: 'k8s/all.yaml', line: 2 },
      object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' }, spec: { replicas: 2 } },
    });
    expect(warnings).toEqual([]);
  });

  it('a document with a syntax error is a warning at the parser position; the other documents are kept', () => {
    const { warnings, warn } = collect();
    const yaml = parseYamlFile('k8s/bad.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ok }\n---\nkey: [unclosed\n', warn);
    expect(yaml.documents.flatMap((document) => objectsOfDocument(yaml.file, document, yaml.lineCounter)).map((object) => object.name)).toEqual(['ok']);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.location).toMatchObject({ file: 'k8s/bad.yaml', line: 6 });
    expect(warnings[0]?.message).toMatch(/^YAML syntax: .+; the document is not scanned$/);
  });
});

describe('kustomizations', () => {
  it('reads local references (resources, bases, components, patches) and leaves remote ones out', () => {
    const { warn } = collect();
    const kustomization = readKustomization(
      'deploy/overlays/prod/kustomization.yaml',
      [
        'resources: [../../base, extra.yaml, "https://github.com/org/repo//deploy?ref=v1", github.com/org/other]',
        'components: [../../components/tls]',
        'patches: [{ path: replicas.yaml }, { patch: "inline" }]',
        'patchesStrategicMerge: [memory.yaml]',
      ].join('\n'),
      warn,
    );
    expect(kustomization).toEqual({
      dir: 'deploy/overlays/prod',
      file: 'deploy/overlays/prod/kustomization.yaml',
      references: ['deploy/base', 'deploy/overlays/prod/extra.yaml', 'deploy/components/tls', 'deploy/overlays/prod/memory.yaml', 'deploy/overlays/prod/replicas.yaml'],
    });
  });

  it('renders the kustomizations nothing else pulls in, and covers the raw files they render', () => {
    const { warn } = collect();
    const base = readKustomization('deploy/base/kustomization.yaml', 'resources: [deployment.yaml, ../shared/service.yaml]', warn);
    const overlay = readKustomization('deploy/overlays/prod/kustomization.yaml', 'resources: [../../base]\npatches: [{ path: patch.yaml }]', warn);
    const plan = planKustomizations([base, overlay]);
    expect(plan.roots.map((root) => root.dir)).toEqual(['deploy/overlays/prod']);
    expect(['deploy/base/deployment.yaml', 'deploy/base/nested/x.yaml', 'deploy/shared/service.yaml', 'deploy/shared/other.yaml', 'deploy/overlays/prod/patch.yaml', 'k8s/app.yaml'].filter((path) => plan.covers(path))).toEqual([
      'deploy/base/deployment.yaml',
      'deploy/shared/service.yaml',
      'deploy/overlays/prod/patch.yaml',
    ]);
  });
});

describe.skipIf(!hasKubectl)('renderKustomization with the real kubectl', () => {
  it('takes the rendered objects, located at the kustomization file', async () => {
    const { warnings, warn } = collect();
    const overlay = { dir: 'deploy/kustomize/overlays/prod', file: 'deploy/kustomize/overlays/prod/kustomization.yaml', references: [] };
    const objects = await renderKustomization(fixture, overlay, 'kubectl', warn);
    expect(objects.map((object) => [object.kind, object.namespace, object.name, object.location, object.kustomization])).toEqual([
      ['Service', 'shop-prod', 'storefront', { file: overlay.file }, overlay.dir],
      ['Deployment', 'shop-prod', 'storefront', { file: overlay.file }, overlay.dir],
    ]);
    expect(warnings).toEqual([]);
  });

  it('a kustomization that does not build is a warning with kubectl’s reason', async () => {
    const { warnings, warn } = collect();
    const broken = { dir: 'deploy/kustomize/broken', file: 'deploy/kustomize/broken/kustomization.yaml', references: [] };
    expect(await renderKustomization(fixture, broken, 'kubectl', warn)).toEqual([]);
    expect(warnings).toEqual([{ location: { file: broken.file }, message: expect.stringContaining("accumulating resources from 'missing-deployment.yaml'") }]);
  });
});

describe('renderKustomization without kubectl', () => {
  it('is a warning that names the missing program', async () => {
    const { warnings, warn } = collect();
    const overlay = { dir: 'deploy/kustomize/overlays/prod', file: 'deploy/kustomize/overlays/prod/kustomization.yaml', references: [] };
    expect(await renderKustomization(fixture, overlay, '/nonexistent/kubectl', warn)).toEqual([]);
    expect(warnings).toEqual([
      {
        location: { file: overlay.file },
        message: 'kubectl kustomize deploy/kustomize/overlays/prod failed: /nonexistent/kubectl was not found; its manifests are not scanned',
      },
    ]);
  });
});
