import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { SteadyopsError, formatIssue } from '../../lib/errors.ts';
import { importBackstage } from '../../model/importers/backstage.ts';
import type { CatalogSource } from '../../model/importers/backstage.ts';
import { loadModelFromSources } from '../../model/load-model.ts';
import { modelSummary } from '../../model/model-summary.ts';
import type { CliContext } from '../context.ts';

/**
 * Adds `backstage` to the `import` command: pass that command itself, or the program (its `import`
 * command is found, or created when no other importer made it).
 */
export function registerImportBackstageCommand(program: Command, ctx: CliContext): void {
  const importCommand =
    program.name() === 'import'
      ? program
      : (program.commands.find((command) => command.name() === 'import') ??
        program.command('import').description('Import ownership data from other tools into the model'));
  importCommand
    .command('backstage')
    .description('Convert Backstage catalog-info.yaml entities (Group, User, Component, Resource, System) into model documents')
    .argument('<paths...>', 'catalog files, or folders searched for catalog-info.yaml')
    .option('--out <file>', 'write the model here instead of printing it')
    .option('--force', 'overwrite --out if it exists', false)
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ steadyops import backstage catalog-info.yaml',
        '  $ steadyops import backstage ./catalog --out .steadyops/backstage.yaml',
      ].join('\n'),
    )
    .action(async (paths: string[], options: { out?: string; force: boolean }) => {
      const sources = await readCatalogs(paths, ctx.cwd);
      const result = await importBackstage(sources);
      const target = options.out ? resolve(ctx.cwd, options.out) : undefined;
      const shown = target ? displayPath(target, ctx.cwd) : 'stdout';
      const check = loadModelFromSources([{ file: shown, text: result.yaml }]);
      if (target) {
        if (!options.force && (await stat(target).catch(() => undefined))) {
          throw new SteadyopsError('SO_E_USAGE', { detail: `${shown} already exists; pass --force to overwrite it` });
        }
        await writeFile(target, result.yaml, 'utf8');
        ctx.stderr(`wrote ${shown}: ${modelSummary(check.model)}\n`);
      } else {
        ctx.stdout(result.yaml);
      }
      for (const note of result.notes) ctx.stderr(`note: ${note}\n`);
      for (const warning of result.warnings) ctx.stderr(`warning: ${warning}\n`);
      for (const issue of check.issues) ctx.stderr(`${formatIssue(issue)}\n`);
      if (check.issues.length > 0) ctx.setExitCode(2);
    });
}

async function readCatalogs(paths: readonly string[], cwd: string): Promise<CatalogSource[]> {
  const files: string[] = [];
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) throw new SteadyopsError('SO_E_USAGE', { detail: `${path} does not exist` });
    if (info.isFile()) files.push(absolute);
    else files.push(...(await catalogFilesUnder(absolute)));
  }
  if (files.length === 0) {
    throw new SteadyopsError('SO_E_USAGE', { detail: `no catalog-info.yaml found under ${paths.join(', ')}` });
  }
  return Promise.all(
    files.map(async (file) => ({ file: relative(cwd, file).split(sep).join('/'), text: await readFile(file, 'utf8') })),
  );
}

async function catalogFilesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && /^catalog-info\.ya?ml$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !file.split(sep).includes('node_modules'))
    .sort();
}

function displayPath(file: string, cwd: string): string {
  const shown = relative(cwd, file);
  return shown && !shown.startsWith('..') ? shown : file;
}
