import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditWarning } from '../facts.ts';
import { loadModelFacts } from './model-facts.ts';

const demo = new URL('../../../examples/demo/', import.meta.url).pathname;
const folders: string[] = [];
afterAll(() => Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true }))));

async function tempFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'steadyops-model-facts-'));
  folders.push(folder);
  return folder;
}

function collect() {
  const warnings: AuditWarning[] = [];
  return { warnings, warn: (location: AuditWarning['location'], message: string) => warnings.push({ location, message }) };
}

describe('loadModelFacts', () => {
  it('loads the model and where each document starts', async () => {
    const { warnings, warn } = collect();
    const loaded = await loadModelFacts(demo, warn);
    expect(warnings).toEqual([]);
    expect(loaded.files).toEqual(expect.arrayContaining(['.steadyops/datastores.yaml', '.steadyops/services.yaml', '.steadyops/teams.yaml']));
    expect(loaded.model?.model.teams.map((team) => team.name).sort()).toEqual(['growth', 'identity', 'payments', 'platform']);
    expect(loaded.model?.locations.get('Team/payments')).toEqual({ file: '.steadyops/teams.yaml', line: 2 });
    expect(loaded.model?.locations.get('Datastore/core-postgres')).toEqual({ file: '.steadyops/datastores.yaml', line: 1 });
    expect(loaded.model?.locations.size).toBe(
      (['teams', 'services', 'datastores', 'releasePolicies', 'accessRoles', 'environments'] as const).reduce((sum, kind) => sum + (loaded.model?.model[kind].length ?? 0), 0),
    );
  });

  it('a model with problems is not used: each problem is a warning at its file:line:col', async () => {
    const root = await tempFolder();
    await writeFile(
      join(root, 'steadyops.yaml'),
      ['apiVersion: steadyops.dev/v1', 'kind: Service', 'metadata:', '  name: orders', 'spec:', '  owner: nobody', '  tier: 7', ''].join('\n'),
    );
    const { warnings, warn } = collect();
    const loaded = await loadModelFacts(root, warn);
    expect(loaded).toEqual({ files: ['steadyops.yaml'] });
    expect(warnings.length).toBeGreaterThanOrEqual(2);
    for (const warning of warnings) {
      expect(warning.location).toEqual({ file: 'steadyops.yaml', line: expect.any(Number), column: expect.any(Number) });
      expect(warning.message).toMatch(/^ownership model: /);
    }
    expect(warnings.map((warning) => warning.location.line)).toEqual(expect.arrayContaining([6, 7]));
  });

  it('a repository without a model has none, and no warning', async () => {
    const root = await tempFolder();
    await cp(join(demo, 'k8s'), join(root, 'k8s'), { recursive: true });
    const { warnings, warn } = collect();
    expect(await loadModelFacts(root, warn)).toEqual({ files: [] });
    expect(warnings).toEqual([]);
  });
});
