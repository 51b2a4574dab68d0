import { stat, writeFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { SteadyopsError, formatIssue } from '../../lib/errors.ts';
import { draftModel } from '../../model/init/draft-model.ts';
import { scanRepository } from '../../model/init/scan-repository.ts';
import { loadModelFromSources } from '../../model/load-model.ts';
import { modelSummary } from '../../model/model-summary.ts';
import type { CliContext } from '../context.ts';

export function registerInitCommand(program: Command, ctx: CliContext): void {
  program
    .command('init')
    .description('Draft an ownership model from CODEOWNERS, Kubernetes manifests, GitHub workflows and Backstage files')
    .argument('[dir]', 'repository to scan', '.')
    .option('--out <file>', 'where to write the model (default: DIR/steadyops.yaml)')
    .option('--force', 'overwrite an existing file', false)
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ steadyops init',
        '  $ steadyops init ../shop --out .steadyops/model.yaml',
        '  $ steadyops init --force',
      ].join('\n'),
    )
    .action(async (dir: string, options: { out?: string; force: boolean }) => {
      const root = resolve(ctx.cwd, dir);
      const out = options.out ? resolve(ctx.cwd, options.out) : resolve(root, 'steadyops.yaml');
      const shown = displayPath(out, ctx.cwd);
      if (!options.force && (await stat(out).catch(() => undefined))) {
        throw new SteadyopsError('SO_E_USAGE', { detail: `${shown} already exists; pass --force to overwrite it` });
      }
      const rootInfo = await stat(root).catch(() => undefined);
      if (!rootInfo?.isDirectory()) {
        throw new SteadyopsError('SO_E_USAGE', { detail: `${dir} is not a directory` });
      }
      const draft = await draftModel(await scanRepository(root));
      const check = loadModelFromSources([{ file: shown, text: draft.yaml }]);
      await writeFile(out, draft.yaml, 'utf8');
      for (const line of draft.found) ctx.stdout(`found ${line}\n`);
      for (const warning of draft.warnings) ctx.stderr(`warning: ${warning}\n`);
      for (const issue of check.issues) ctx.stderr(`warning: ${formatIssue(issue)}\n`);
      ctx.stdout(`wrote ${shown}: ${modelSummary(check.model)}\n`);
      ctx.stdout(`next: review the file, then run "steadyops validate --config ${shown}"\n`);
    });
}

function displayPath(file: string, cwd: string): string {
  const shown = relative(cwd, file);
  return shown && !shown.startsWith('..') ? shown : file;
}
