import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeCli } from '../../../test/fixtures/model/fake-cli-context.ts';
import { loadModel } from '../../model/load-model.ts';
import { registerInitCommand } from './init.ts';

async function repository(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'steadyops-init-cli-'));
  await mkdir(join(dir, 'k8s'));
  await mkdir(join(dir, '.github/workflows'), { recursive: true });
  await writeFile(join(dir, 'CODEOWNERS'), '/k8s/ @acme/payments\n');
  await writeFile(join(dir, 'k8s/api.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: api, namespace: shop }\n');
  await writeFile(join(dir, '.github/workflows/cd.yml'), 'jobs:\n  deploy: { environment: production }\n');
  return dir;
}

describe('steadyops init', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('writes a draft that validates and reports what it found', async () => {
    const dir = await repository();
    dirs.push(dir);
    const cli = fakeCli(dir);
    await cli.run(registerInitCommand, ['init']);
    expect(cli.out()).toContain('found CODEOWNERS: 1 rule(s), 1 team(s)');
    expect(cli.out()).toContain('wrote steadyops.yaml: 1 team, 1 service, 0 datastores, 0 release policies, 0 access roles, 1 environment');
    expect(cli.err()).toContain('warning: Team "payments": members are a placeholder');
    const loaded = await loadModel(undefined, dir);
    expect(loaded.issues).toEqual([]);
    expect(loaded.model.services[0]).toMatchObject({ name: 'api', owner: 'payments' });
  });

  it('refuses to overwrite without --force, and overwrites with it', async () => {
    const dir = await repository();
    dirs.push(dir);
    await writeFile(join(dir, 'steadyops.yaml'), '# mine\n');
    await expect(fakeCli(dir).run(registerInitCommand, ['init'])).rejects.toMatchObject({
      code: 'SO_E_USAGE',
      message: 'steadyops.yaml already exists; pass --force to overwrite it',
    });
    expect(await readFile(join(dir, 'steadyops.yaml'), 'utf8')).toBe('# mine\n');
    await fakeCli(dir).run(registerInitCommand, ['init', '.', '--force']);
    expect(await readFile(join(dir, 'steadyops.yaml'), 'utf8')).toContain('kind: Service');
  });

  it('scans DIR and writes to --out relative to the working directory', async () => {
    const dir = await repository();
    dirs.push(dir);
    const cli = fakeCli(tmpdir());
    const out = join(dir, 'model.yaml');
    await cli.run(registerInitCommand, ['init', dir, '--out', out]);
    expect((await loadModel(out, dir)).model.environments.map((environment) => environment.name)).toEqual(['production']);
  });
});
