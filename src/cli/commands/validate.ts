import type { Command } from 'commander';
import { SteadyopsError, formatIssue } from '../../lib/errors.ts';
import { loadModel } from '../../model/load-model.ts';
import { modelCounts, modelSummary } from '../../model/model-summary.ts';
import type { CliContext } from '../context.ts';

const formats = ['text', 'json'] as const;

export function registerValidateCommand(program: Command, ctx: CliContext): void {
  program
    .command('validate')
    .description('Check the ownership model and report every problem as file:line:col: message')
    .option('--config <path>', 'model file or folder (default: steadyops.yaml, steadyops.yml or .steadyops/)')
    .option('--format <format>', 'output format: text or json')
    .addHelpText(
      'after',
      [
        '',
        'Exits 0 when the model is valid and 2 when it has problems.',
        '',
        'Examples:',
        '  $ steadyops validate',
        '  $ steadyops validate --config .steadyops/',
        '  $ steadyops validate --config steadyops.yaml --format json',
      ].join('\n'),
    )
    .action(async (options: { config?: string; format?: string }) => {
      const globals = ctx.globals();
      const format = options.format ?? globals.format ?? 'text';
      if (!(formats as readonly string[]).includes(format)) {
        throw new SteadyopsError('SO_E_USAGE', { detail: `--format ${format} is not supported here; use text or json` });
      }
      const loaded = await loadModel(options.config ?? globals.config, ctx.cwd);
      const ok = loaded.issues.length === 0;
      if (format === 'json') {
        ctx.stdout(`${JSON.stringify({ ok, issues: loaded.issues, counts: modelCounts(loaded.model), files: loaded.files }, null, 2)}\n`);
      } else if (ok) {
        ctx.stdout(`model OK: ${modelSummary(loaded.model)} (${plural(loaded.files.length, 'file')})\n`);
      } else {
        for (const issue of loaded.issues) ctx.stdout(`${formatIssue(issue)}\n`);
        const files = new Set(loaded.issues.map((issue) => issue.file)).size;
        ctx.stdout(`\n${plural(loaded.issues.length, 'problem')} in ${plural(files, 'file')}\n`);
      }
      if (!ok) ctx.setExitCode(2);
    });
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
