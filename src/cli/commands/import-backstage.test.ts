import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeCli } from '../../../test/fixtures/model/fake-cli-context.ts';
import { loadModelFromSources } from '../../model/load-model.ts';
import { registerImportBackstageCommand } from './import-backstage.ts';

const root = resolve('.');

describe('steadyops import backstage', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('prints model YAML for a folder of catalog files, notes and warnings on stderr', async () => {
    const cli = fakeCli(root);
    await cli.run(registerImportBackstageCommand, ['import', 'backstage', 'test/fixtures/model/backstage']);
    expect(loadModelFromSources([{ file: 'out.yaml', text: cli.out() }]).issues).toEqual([]);
    expect(cli.out()).toContain('name: checkout-api');
    expect(cli.err()).toContain('note: test/fixtures/model/backstage/catalog-info.yaml');
    expect(cli.err()).toContain('warning: ');
    expect(cli.exitCode()).toBe(0);
  });

  it('writes --out and refuses to overwrite it without --force', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'steadyops-import-'));
    dirs.push(dir);
    const out = join(dir, 'backstage.yaml');
    const args = ['import', 'backstage', 'test/fixtures/model/backstage/catalog-info.yaml', '--out', out];
    const cli = fakeCli(root);
    await cli.run(registerImportBackstageCommand, args);
    expect(cli.out()).toBe('');
    expect(cli.err()).toMatch(/wrote .*backstage\.yaml: 3 teams, 4 services, 2 datastores/);
    expect(await readFile(out, 'utf8')).toContain('kind: Datastore');
    await expect(fakeCli(root).run(registerImportBackstageCommand, args)).rejects.toMatchObject({ code: 'SO_E_USAGE' });
  });

  it('joins an existing import command instead of adding a second one', () => {
    const program = new Command();
    program.command('import').command('openslo');
    registerImportBackstageCommand(program, fakeCli(root).ctx);
    const importCommands = program.commands.filter((command) => command.name() === 'import');
    expect(importCommands).toHaveLength(1);
    expect(importCommands[0]?.commands.map((command) => command.name())).toEqual(['openslo', 'backstage']);
  });

  it('adds backstage to an import command passed in directly', () => {
    const program = new Command();
    const importCommand = program.command('import');
    registerImportBackstageCommand(importCommand, fakeCli(root).ctx);
    expect(importCommand.commands.map((command) => command.name())).toEqual(['backstage']);
    expect(program.commands.map((command) => command.name())).toEqual(['import']);
  });

  it('rejects a path that does not exist', async () => {
    await expect(
      fakeCli(root).run(registerImportBackstageCommand, ['import', 'backstage', 'nope.yaml']),
    ).rejects.toMatchObject({ code: 'SO_E_USAGE', message: 'nope.yaml does not exist' });
  });
});
