import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeCli } from '../../../test/fixtures/model/fake-cli-context.ts';
import { isSteadyopsError } from '../../lib/errors.ts';
import { registerSloCommand } from './slo.ts';

const root = resolve('.');
const demo = 'examples/demo/.steadyops';

describe('steadyops slo rules', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('prints one rule group per SLO of the model', async () => {
    const cli = fakeCli(root);
    await cli.run(registerSloCommand, ['slo', 'rules', '--config', demo]);
    const file = parse(cli.out()) as { groups: Array<{ name: string }> };
    expect(file.groups.map((group) => group.name)).toContain('slo:checkout-api:availability');
    expect(file.groups.map((group) => group.name)).toContain('slo:checkout-api:latency');
    expect(cli.exitCode()).toBe(0);
  });

  it('takes the model from the global --config', async () => {
    const fromOption = fakeCli(root);
    await fromOption.run(registerSloCommand, ['slo', 'rules', '--config', demo]);
    const fromGlobal = fakeCli(root, { config: demo });
    await fromGlobal.run(registerSloCommand, ['slo', 'rules']);
    expect(fromGlobal.out()).toBe(fromOption.out());
  });

  it('writes --out and says how much it wrote', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'steadyops-slo-'));
    dirs.push(dir);
    const cli = fakeCli(root);
    await cli.run(registerSloCommand, ['slo', 'rules', '--config', demo, '--out', join(dir, 'rules.yaml')]);
    const written = parse(await readFile(join(dir, 'rules.yaml'), 'utf8')) as { groups: unknown[] };
    expect(cli.out()).toMatch(new RegExp(`^wrote \\d+ rule\\(s\\) for ${written.groups.length} SLO\\(s\\) to `));
  });

  it.each([
    { name: 'missing', text: undefined, code: 'SO_E_MODEL_NOT_FOUND' },
    { name: 'invalid', text: 'apiVersion: steadyops.dev/v1\nkind: Service\nmetadata: { name: a }\nspec: { owner: nobody, tier: 1 }\n', code: 'SO_E_MODEL_INVALID' },
  ])('fails with $code on a $name model and writes nothing', async ({ text, code }) => {
    const dir = await mkdtemp(join(tmpdir(), 'steadyops-slo-'));
    dirs.push(dir);
    if (text !== undefined) await writeFile(join(dir, 'steadyops.yaml'), text);
    const cli = fakeCli(dir);
    const error = await cli
      .run(registerSloCommand, ['slo', 'rules', '--out', join(dir, 'rules.yaml')])
      .catch((caught: unknown) => caught);
    expect(isSteadyopsError(error) && error.code).toBe(code);
    expect(cli.out()).toBe('');
    await expect(readFile(join(dir, 'rules.yaml'), 'utf8')).rejects.toThrow(/ENOENT/);
  });
});
