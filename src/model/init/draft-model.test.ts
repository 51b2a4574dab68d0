import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadModelFromSources } from '../load-model.ts';
import { draftModel, unownedTeam } from './draft-model.ts';
import { scanRepository } from './scan-repository.ts';

const deployment = (name: string, namespace?: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
${namespace ? `  namespace: ${namespace}\n` : ''}spec:
  template: { spec: { containers: [{ name: app, image: ${name}:1 }] } }
`;

async function buildRepository(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'steadyops-init-'));
  const files: Record<string, string> = {
    '.github/CODEOWNERS': '* @acme/platform\n/services/checkout/ @acme/payments\n/services/search/ @ada\n',
    'services/checkout/k8s/deployment.yaml': `${deployment('checkout', 'shop')}---\napiVersion: v1\nkind: Service\nmetadata: { name: checkout }\n`,
    'services/search/k8s/statefulset.yaml': deployment('search').replace('Deployment', 'StatefulSet'),
    'services/search/k8s/helm.yaml': 'kind: Deployment\nmetadata:\n  name: {{ .Values.name }\n',
    'node_modules/x/deployment.yaml': deployment('should-not-appear'),
    '.github/workflows/deploy.yml': `on: push
jobs:
  build: { runs-on: ubuntu-latest, steps: [] }
  prod: { runs-on: ubuntu-latest, environment: { name: production, url: "https://shop.example" }, steps: [] }
  stage: { runs-on: ubuntu-latest, environment: staging, steps: [] }
  preview: { runs-on: ubuntu-latest, environment: "pr-\${{ github.event.number }}", steps: [] }
`,
  };
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

describe('scanRepository + draftModel', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('drafts teams, services and environments that validate', async () => {
    const dir = await buildRepository();
    dirs.push(dir);
    const findings = await scanRepository(dir);
    expect(findings.codeowners?.file).toBe('.github/CODEOWNERS');
    expect(findings.workloads.map((workload) => workload.name)).toEqual(['checkout', 'search']);

    const draft = await draftModel(findings);
    const loaded = loadModelFromSources([{ file: 'steadyops.yaml', text: draft.yaml }]);
    expect(loaded.issues).toEqual([]);
    expect(loaded.model.teams.map((team) => team.name)).toEqual(['platform', 'payments']);
    expect(loaded.model.services.map((service) => [service.name, service.owner, service.runtime])).toEqual([
      ['checkout', 'payments', { kind: 'kubernetes', namespace: 'shop', deployment: 'checkout' }],
      ['search', 'platform', { kind: 'kubernetes', namespace: 'default', deployment: 'search' }],
    ]);
    expect(loaded.model.environments.map((environment) => [environment.name, environment.protection, environment.order])).toEqual([
      ['staging', 'standard', 1],
      ['production', 'strict', 2],
    ]);
    expect(draft.warnings.join('\n')).toMatch(/no CODEOWNERS team owns services\/search\/k8s\/statefulset.yaml/);
    expect(draft.found).toContain('GitHub Actions environment(s): staging, production');
  });

  it('gives services a placeholder team when nothing names one', async () => {
    const draft = await draftModel({
      workloads: [{ file: 'k8s/api.yaml', kind: 'Deployment', name: 'API_Server' }],
      workflowEnvironments: [],
      catalog: [],
    });
    const loaded = loadModelFromSources([{ file: 'steadyops.yaml', text: draft.yaml }]);
    expect(loaded.issues).toEqual([]);
    expect(loaded.model.services[0]).toMatchObject({ name: 'api-server', owner: unownedTeam });
    expect(loaded.model.teams[0]?.members).toEqual([{ name: `${unownedTeam} owner`, email: 'owner@example.com', role: 'lead' }]);
    expect(draft.warnings.some((warning) => warning.includes(unownedTeam))).toBe(true);
  });

  it('takes teams and services from a Backstage catalog in the repository', async () => {
    const catalog = await readFile('test/fixtures/model/backstage/catalog-info.yaml', 'utf8');
    const draft = await draftModel({
      codeowners: { file: 'CODEOWNERS', rules: [{ pattern: '*', owners: ['@acme/payments'], line: 1 }] },
      workloads: [{ file: 'k8s/checkout.yaml', kind: 'Deployment', name: 'checkout-api' }],
      workflowEnvironments: [],
      catalog: [{ file: 'catalog-info.yaml', text: catalog }],
    });
    const loaded = loadModelFromSources([{ file: 'steadyops.yaml', text: draft.yaml }]);
    expect(loaded.issues).toEqual([]);
    // checkout-api comes from the catalog once, with its catalog owner; the payments team is not duplicated.
    expect(loaded.model.services.filter((service) => service.name === 'checkout-api')).toHaveLength(1);
    expect(loaded.model.teams.filter((team) => team.name === 'payments')).toHaveLength(1);
  });
});
