import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeCli } from '../../../test/fixtures/model/fake-cli-context.ts';
import { registerValidateCommand } from './validate.ts';

const root = resolve('.');
const broken = `apiVersion: steadyops.dev/v1
kind: Service
metadata: { name: checkout }
spec:
  owner: payments
  tier: 5
`;

describe('steadyops validate', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('says "model OK" with counts and exits 0 for a valid model', async () => {
    const cli = fakeCli(root);
    await cli.run(registerValidateCommand, ['validate', '--config', 'test/fixtures/model/valid']);
    expect(cli.out()).toBe(
      'model OK: 2 teams, 2 services, 1 datastore, 1 release policy, 1 access role, 2 environments (5 files)\n',
    );
    expect(cli.exitCode()).toBe(0);
  });

  it('prints every issue as file:line:col: message and exits 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'steadyops-validate-'));
    dirs.push(dir);
    await writeFile(join(dir, 'steadyops.yaml'), broken);
    const cli = fakeCli(dir);
    await cli.run(registerValidateCommand, ['validate']);
    expect(cli.out().split('\n')).toEqual([
      'steadyops.yaml:5:10: spec.owner: unknown Team "payments"; defined Team names: (none defined)',
      'steadyops.yaml:6:9: spec.tier: number 5 is not allowed; use one of: 1, 2, 3',
      '',
      '2 problems in 1 file',
      '',
    ]);
    expect(cli.exitCode()).toBe(2);
  });

  it('uses the global --config and --format when the command has none', async () => {
    const cli = fakeCli(root, { config: 'test/fixtures/model/valid', format: 'json' });
    await cli.run(registerValidateCommand, ['validate']);
    const report = JSON.parse(cli.out()) as { ok: boolean; counts: { services: number }; issues: unknown[] };
    expect(report).toMatchObject({ ok: true, issues: [], counts: { services: 2 } });
  });

  it('rejects an unsupported format with a usage error', async () => {
    const cli = fakeCli(root);
    await expect(cli.run(registerValidateCommand, ['validate', '--format', 'sarif'])).rejects.toMatchObject({
      code: 'SO_E_USAGE',
    });
  });

  it('raises SO_E_MODEL_NOT_FOUND when there is no model', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'steadyops-validate-'));
    dirs.push(dir);
    await expect(fakeCli(dir).run(registerValidateCommand, ['validate'])).rejects.toMatchObject({
      code: 'SO_E_MODEL_NOT_FOUND',
    });
  });
});
