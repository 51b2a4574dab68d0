import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { SteadyopsError } from '../../lib/errors.ts';
import { loadModelOrThrow } from '../../model/load-model.ts';
import { buildRuleFile, generateRules } from '../../slo/generate-rules.ts';
import type { CliContext } from '../context.ts';

interface RulesOptions {
  config?: string;
  out?: string;
}

export function registerSloCommand(program: Command, ctx: CliContext): void {
  const slo = program.command('slo').description('Service level objectives: error budgets and burn-rate alerts');
  slo
    .command('rules')
    .description('Print the Prometheus rule file (recording + multiwindow burn-rate alerts) for every SLO in the model')
    .option('--config <path>', 'model file or folder (default: steadyops.yaml, steadyops.yml or .steadyops/)')
    .option('--out <file>', 'write the rule file here instead of standard output')
    .addHelpText(
      'after',
      [
        '',
        'Output is deterministic: the same model always gives the same file. Check it with promtool.',
        '',
        'Examples:',
        '  $ steadyops slo rules > slo-rules.yaml',
        '  $ steadyops slo rules --config .steadyops/ --out /etc/prometheus/rules/steadyops-slo.yaml',
        '  $ steadyops slo rules | promtool check rules /dev/stdin',
      ].join('\n'),
    )
    .action(async (options: RulesOptions) => {
      const { model } = await loadModelOrThrow(options.config ?? ctx.globals().config, ctx.cwd);
      const text = generateRules(model);
      if (options.out === undefined) {
        ctx.stdout(text);
        return;
      }
      await writeOut(resolve(ctx.cwd, options.out), text);
      const groups = buildRuleFile(model).groups;
      const rules = groups.reduce((sum, group) => sum + group.rules.length, 0);
      ctx.stdout(`wrote ${rules} rule(s) for ${groups.length} SLO(s) to ${options.out}\n`);
    });
}

async function writeOut(file: string, text: string): Promise<void> {
  try {
    await writeFile(file, text);
  } catch (error) {
    throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `cannot write ${file}: ${(error as Error).message}` });
  }
}
