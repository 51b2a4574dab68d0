import { describe, expect, it } from 'vitest';
import type { AuditWarning } from '../facts.ts';
import { nothingFound, scanFile, type FileScanContext } from './scan-file.ts';

function contextFor(overrides: Partial<FileScanContext> = {}): { context: FileScanContext; warnings: AuditWarning[] } {
  const warnings: AuditWarning[] = [];
  return {
    warnings,
    context: {
      warn: (location, message) => warnings.push({ location, message }),
      renderedByKustomize: () => false,
      isMigration: (path) => path.startsWith('migrations/'),
      chartOf: (path) => (path.startsWith('chart/templates/') ? 'chart' : undefined),
      ...overrides,
    },
  };
}

const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api }\n';
const kubeconfig = 'apiVersion: v1\nkind: Config\nusers:\n  - name: admin\n    user: { token: fake-token }\n';

describe('scanFile', () => {
  it('hands each file to the scanners its name and content call for', () => {
    const { context, warnings } = contextFor();
    const found = nothingFound();
    scanFile('k8s/api.yml', deployment, context, found);
    scanFile('infra/main.tf', 'resource "a" "b" {}', context, found);
    scanFile('migrations/001.sql', 'CREATE TABLE t (id int);', context, found);
    scanFile('.github/CODEOWNERS', '* @org/team', context, found);
    scanFile('rules/api.yaml', 'groups: [{ name: g, rules: [{ alert: A, expr: up == 0 }] }]', context, found);
    scanFile('ops/admin.conf', kubeconfig, context, found);
    scanFile('README.md', 'kind: Config is how a kubeconfig starts', context, found);
    expect(found.kubernetes.map((object) => object.name)).toEqual(['api']);
    expect(found.terraformFiles.map((file) => file.file)).toEqual(['infra/main.tf']);
    expect([...found.migrationTexts.keys()]).toEqual(['migrations/001.sql']);
    expect([...found.codeowners.keys()]).toEqual(['.github/CODEOWNERS']);
    expect(found.alertRules.map((rule) => rule.alert)).toEqual(['A']);
    expect(found.secrets).toEqual([{ location: { file: 'ops/admin.conf', line: 4 }, kind: 'kubeconfig-admin', detail: 'kubeconfig user "admin" with an embedded token' }]);
    expect(warnings).toEqual([]);
  });

  it('leaves the objects of kustomize-rendered files and Helm templates out, counting the templates per chart', () => {
    const { context, warnings } = contextFor({ renderedByKustomize: (path) => path.startsWith('deploy/') });
    const found = nothingFound();
    scanFile('deploy/base/deployment.yaml', deployment, context, found);
    scanFile('deploy/base/kubeconfig.yaml', kubeconfig, context, found);
    scanFile('chart/templates/a.yaml', 'metadata:\n  name: {{ .Release.Name }}\n', context, found);
    scanFile('chart/templates/b.yaml', 'kind: Service\nmetadata: { name: {{ .Values.name }} }\n', context, found);
    scanFile('chart/templates/plain.yaml', deployment, context, found);
    expect(found.kubernetes.map((object) => object.location.file)).toEqual(['chart/templates/plain.yaml']);
    expect(found.secrets.map((secret) => secret.location.file)).toEqual(['deploy/base/kubeconfig.yaml']);
    expect([...found.skippedTemplates]).toEqual([['chart', 2]]);
    expect(warnings).toEqual([]);
  });
});
