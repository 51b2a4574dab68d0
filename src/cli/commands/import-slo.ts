import { readFile, stat, writeFile } from 'node:fs/promises';
import { relative, resolve, sep } from 'node:path';
import type { Command } from 'commander';
import { SteadyopsError, formatIssue } from '../../lib/errors.ts';
import { importSlos } from '../../model/importers/import-slos.ts';
import type { ImportedSlo, SloImport } from '../../model/importers/imported-slo.ts';
import { where } from '../../model/importers/imported-slo.ts';
import { planSloMerge } from '../../model/importers/merge-slos.ts';
import type { SloChange, SloMergePlan } from '../../model/importers/merge-slos.ts';
import { loadModel, loadModelFromSources } from '../../model/load-model.ts';
import type { ModelIssue, ModelSource } from '../../model/load-model.ts';
import type { CliContext } from '../context.ts';
import { renderTable } from '../render/table.ts';

const formats = ['text', 'json'] as const;

interface ImportSloOptions {
  config?: string;
  write?: boolean;
  format?: string;
}

/** Adds `slo` to the `import` command group. */
export function registerImportSloCommand(importCommand: Command, ctx: CliContext): void {
  importCommand
    .command('slo')
    .description('Import SLOs from OpenSLO v1 and Sloth prometheus/v1 files into the services of the model')
    .argument('<files...>', 'OpenSLO or Sloth YAML files (multi-document, formats may be mixed)')
    .option('--config <path>', 'model file or folder (default: steadyops.yaml, steadyops.yml or .steadyops/)')
    .option('--write', 'update the model files in place (default: only print what would change)')
    .option('--format <format>', 'output format: text or json')
    .addHelpText(
      'after',
      [
        '',
        'Each SLO goes to the Service named by the file (OpenSLO spec.service, Sloth service): a new name',
        'is appended to its slos, an existing name is replaced. Without --write nothing is written.',
        'Mistakes in the files are reported as file:line:col and nothing is written (exit 2). SLOs of',
        'services the model does not define are skipped with a hint; the others are imported (exit 2).',
        '',
        'Examples:',
        '  $ steadyops import slo slos/openslo/*.yaml',
        '  $ steadyops import slo sloth/checkout-api.yaml --write',
        '  $ steadyops import slo openslo.yaml --config .steadyops/ --format json',
      ].join('\n'),
    )
    .action(async (paths: string[], options: ImportSloOptions) => {
      const format = options.format ?? ctx.globals().format ?? 'text';
      if (!(formats as readonly string[]).includes(format)) {
        throw new SteadyopsError('SO_E_USAGE', { detail: `--format ${format} is not supported here; use text or json` });
      }
      const imported = importSlos(await readInputs(paths, ctx.cwd));
      const model = await readModel(options.config ?? ctx.globals().config, ctx.cwd);
      const plan = imported.issues.length === 0 ? planSloMerge(model, imported.slos) : undefined;
      if (plan) checkMerged(model, plan);
      const written = plan !== undefined && options.write === true ? await writeModel(plan, ctx.cwd) : [];
      if (format === 'json') ctx.stdout(`${JSON.stringify(jsonReport(imported, plan, written), null, 2)}\n`);
      else printText(ctx, imported, plan, written);
      if (imported.issues.length > 0 || (plan?.skipped.length ?? 0) > 0) ctx.setExitCode(2);
    });
}

async function readInputs(paths: readonly string[], cwd: string): Promise<ModelSource[]> {
  return Promise.all(
    paths.map(async (path) => {
      const file = resolve(cwd, path);
      if (!(await stat(file).catch(() => undefined))?.isFile()) {
        throw new SteadyopsError('SO_E_USAGE', { detail: `${path} is not a file; pass OpenSLO or Sloth YAML files` });
      }
      return { file: relative(cwd, file).split(sep).join('/'), text: await readFile(file, 'utf8') };
    }),
  );
}

/** The model as text (to merge into), refused like every other command when it has problems. */
async function readModel(config: string | undefined, cwd: string): Promise<ModelSource[]> {
  const loaded = await loadModel(config, cwd);
  if (loaded.issues.length > 0) throw new SteadyopsError('SO_E_MODEL_INVALID', { count: loaded.issues.length }, loaded.issues);
  return Promise.all(loaded.files.map(async (file) => ({ file, text: await readFile(resolve(cwd, file), 'utf8') })));
}

/** The merged model must still validate; a clash the input checks did not see stops the import here. */
function checkMerged(model: readonly ModelSource[], plan: SloMergePlan): void {
  const merged = model.map((source) => ({ file: source.file, text: plan.texts.get(source.file) ?? source.text }));
  const { issues } = loadModelFromSources(merged);
  if (issues.length > 0) {
    throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: 'the model with the imported SLOs would not validate; nothing was written' }, issues);
  }
}

async function writeModel(plan: SloMergePlan, cwd: string): Promise<string[]> {
  for (const [file, text] of plan.texts) await writeFile(resolve(cwd, file), text, 'utf8');
  return [...plan.texts.keys()];
}

function printText(ctx: CliContext, imported: SloImport, plan: SloMergePlan | undefined, written: readonly string[]): void {
  for (const note of imported.notes) ctx.stderr(`note: ${note}\n`);
  for (const issue of [...imported.issues, ...(plan?.skipped.map((entry) => entry.issue) ?? [])]) ctx.stderr(`${formatIssue(issue)}\n`);
  if (!plan) {
    ctx.stderr(`\n${imported.issues.length} problem(s) in the SLO files; nothing was written\n`);
    return;
  }
  const changed = plan.changes.filter((change) => change.kind !== 'unchanged');
  for (const change of changed) ctx.stdout(describeChange(change));
  const rows = [
    ...plan.changes.map((change) => row(change.imported, change.kind, `${change.file}:${change.line}`)),
    ...plan.skipped.map(({ imported: slo }) => row(slo, 'skipped', '(unknown service)')),
  ];
  if (rows.length > 0) ctx.stdout(renderTable(['SERVICE', 'SLO', 'OBJECTIVE', 'PERIOD', 'CHANGE', 'MODEL', 'FROM'], rows));
  ctx.stdout(`${summary(plan, written)}\n`);
}

function describeChange(change: SloChange): string {
  const lines = (text: string, mark: string) => `${text.split('\n').map((line, index) => `${mark} ${index === 0 ? '- ' : '  '}${line}`).join('\n')}\n`;
  const what = `${change.file}:${change.line}: ${change.imported.service}: ${change.kind} SLO ${change.imported.slo.name}\n`;
  return `${what}${change.previous ? lines(change.previous, '-') : ''}${lines(change.entry, '+')}\n`;
}

function row(slo: ImportedSlo, change: string, model: string): string[] {
  return [slo.service, slo.slo.name, `${slo.slo.objective}%`, slo.slo.period ?? '30d', change, model, where(slo.from)];
}

function summary(plan: SloMergePlan, written: readonly string[]): string {
  const count = (kind: SloChange['kind']) => plan.changes.filter((change) => change.kind === kind).length;
  const counts = `${count('add')} to add, ${count('update')} to update, ${count('unchanged')} unchanged, ${plan.skipped.length} skipped`;
  const files = [...plan.texts.keys()];
  if (written.length > 0) return `${counts}; wrote ${written.join(', ')}`;
  if (files.length === 0) return `${counts}; the model already has these SLOs, nothing to write`;
  return `${counts}; dry run, nothing written: pass --write to update ${files.join(', ')}`;
}

function jsonReport(imported: SloImport, plan: SloMergePlan | undefined, written: readonly string[]): object {
  const entry = (slo: ImportedSlo, change: string, model?: { file: string; line: number }) => ({
    service: slo.service,
    change,
    ...(model ? { model } : {}),
    from: slo.from,
    format: slo.format,
    slo: slo.slo,
  });
  const issues: ModelIssue[] = [...imported.issues, ...(plan?.skipped.map((skipped) => skipped.issue) ?? [])];
  return {
    written,
    slos: plan
      ? [
          ...plan.changes.map((change) => entry(change.imported, change.kind, { file: change.file, line: change.line })),
          ...plan.skipped.map((skipped) => entry(skipped.imported, 'skipped')),
        ]
      : imported.slos.map((slo) => entry(slo, 'not imported')),
    notes: imported.notes,
    issues,
  };
}
