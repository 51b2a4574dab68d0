import type { Command } from 'commander';
import { SteadyopsError } from '../../lib/errors.ts';
import { modelJsonSchema, modelKinds } from '../../model/schema.ts';
import type { ModelKind } from '../../model/schema.ts';
import type { CliContext } from '../context.ts';

export function registerSchemaCommand(program: Command, ctx: CliContext): void {
  program
    .command('schema')
    .description('Print the JSON Schema (draft 2020-12) of the ownership model, for editors and CI')
    .option('--kind <kind>', `only one kind: ${modelKinds.join(', ')}`)
    .addHelpText(
      'after',
      [
        '',
        'Save it next to the model and point yaml-language-server at it from each file:',
        '  # yaml-language-server: $schema=./steadyops.schema.json',
        '',
        'Examples:',
        '  $ steadyops schema > steadyops.schema.json',
        '  $ steadyops schema --kind Service',
      ].join('\n'),
    )
    .action((options: { kind?: string }) => {
      const kind = options.kind === undefined ? undefined : parseKind(options.kind);
      ctx.stdout(`${JSON.stringify(modelJsonSchema(kind), null, 2)}\n`);
    });
}

function parseKind(text: string): ModelKind {
  const kind = modelKinds.find((candidate) => candidate.toLowerCase() === text.toLowerCase());
  if (!kind) {
    throw new SteadyopsError('SO_E_USAGE', { detail: `unknown kind "${text}"; use one of: ${modelKinds.join(', ')}` });
  }
  return kind;
}
