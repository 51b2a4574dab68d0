import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AuditWarning } from '../facts.ts';
import { isWorkflowFile, scanWorkflow } from './workflow-scanner.ts';
import { parseYamlFile } from './yaml-documents.ts';

const fixtureWorkflow = readFileSync(new URL('../../../test/fixtures/audit/repo/.github/workflows/deploy.yml', import.meta.url), 'utf8');

function scan(file: string, text: string): { workflow: ReturnType<typeof scanWorkflow>; warnings: AuditWarning[] } {
  const warnings: AuditWarning[] = [];
  const warn = (location: AuditWarning['location'], message: string) => warnings.push({ location, message });
  return { workflow: scanWorkflow(parseYamlFile(file, text, warn), warn), warnings };
}

describe('scanWorkflow', () => {
  it('reads jobs and steps at their lines: environments, permissions, needs and reusable workflows', () => {
    const { workflow, warnings } = scan('.github/workflows/deploy.yml', fixtureWorkflow);
    expect(warnings).toEqual([]);
    expect(workflow).toEqual({
      file: '.github/workflows/deploy.yml',
      name: 'deploy',
      on: { push: { branches: ['main'] } },
      permissions: { contents: 'read' },
      jobs: [
        {
          id: 'build',
          line: 8,
          needs: [],
          steps: [
            { line: 11, uses: 'actions/checkout@v4' },
            { line: 12, name: 'Build', run: 'make build' },
          ],
        },
        { id: 'release', line: 14, needs: ['build'], uses: 'shop/workflows/.github/workflows/release.yml@v2', steps: [] },
        {
          id: 'production',
          line: 17,
          environment: 'production',
          permissions: { 'id-token': 'write' },
          needs: ['build', 'release'],
          steps: [
            { line: 26, uses: 'actions/checkout@8e5e7e5ab8b370d6c329ec480221332ada57f0ab' },
            { line: 27, name: 'Deploy', uses: 'shop/deploy-action@v1', with: { service: 'orders', environment: 'production' } },
          ],
        },
      ],
    });
  });

  it('a YAML file in the workflows folder without jobs is a warning, not a workflow', () => {
    const { workflow, warnings } = scan('.github/workflows/notes.yml', '# not a workflow\nfoo: bar\n');
    expect(workflow).toBeUndefined();
    expect(warnings).toEqual([{ location: { file: '.github/workflows/notes.yml', line: 2 }, message: 'not a GitHub Actions workflow (no `jobs:` mapping); not scanned' }]);
  });

  it('workflow files are YAML directly in a .github/workflows folder', () => {
    expect(['.github/workflows/a.yml', '.github/workflows/b.yaml', 'services/api/.github/workflows/c.yml', '.github/workflows/sub/d.yml', '.github/dependabot.yml'].filter(isWorkflowFile)).toEqual([
      '.github/workflows/a.yml',
      '.github/workflows/b.yaml',
      'services/api/.github/workflows/c.yml',
    ]);
  });
});
