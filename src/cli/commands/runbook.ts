import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { repositoryOfModel } from '../../audit/audit-service.ts';
import { readAlertRules } from '../../audit/scanners/read-alert-rules.ts';
import { formatRunbookFinding, lintRunbooks, type RunbookFinding } from '../../incidents/runbooks/lint-runbooks.ts';
import { newRunbook } from '../../incidents/runbooks/new-runbook.ts';
import { readRunbookFiles } from '../../incidents/runbooks/read-runbooks.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import { loadModelOrThrow } from '../../model/load-model.ts';
import { findService } from '../../model/resolve.ts';
import type { CliContext } from '../context.ts';

interface LintOptions {
  config?: string;
  format?: string;
}

interface NewOptions {
  service: string;
  out?: string;
  force?: boolean;
  config?: string;
}

/** Lints the runbooks of the model's repository (the folder holding the model). */
export async function lintRepositoryRunbooks(configPath: string | undefined, ctx: CliContext): Promise<{ root: string; findings: RunbookFinding[]; files: number }> {
  const { model } = await loadModelOrThrow(configPath, ctx.cwd);
  const root = await repositoryOfModel(configPath, ctx.cwd);
  const files = readRunbookFiles(root, model);
  const findings = lintRunbooks({ ...files, model, rules: readAlertRules(root), now: ctx.clock.now() });
  return { root, findings, files: files.runbooks.length };
}

function registerLint(runbook: Command, ctx: CliContext): void {
  runbook
    .command('lint')
    .description('Check the runbooks: every alert has one, front matter, a first action, fenced commands, rollback for tier 1, review age, links')
    .option('--config <path>', 'model file or folder (default: steadyops.yaml, steadyops.yml or .steadyops/)')
    .option('--format <format>', 'text or json')
    .addHelpText(
      'after',
      [
        '',
        "Runbooks are the Markdown files the model's services and alert routes name (paths relative to the",
        "model's repository) and those in its runbooks/ folder. Findings print as file:line:col. Exit 0 when",
        'clean, 1 with findings, 2 when the model is missing or invalid. The rules: docs/runbooks.md.',
        '',
        'Examples:',
        '  $ steadyops runbook lint',
        '  $ steadyops runbook lint --config examples/demo/.steadyops --format json',
      ].join('\n'),
    )
    .action(async (options: LintOptions) => {
      const format = options.format ?? ctx.globals().format ?? 'text';
      if (format !== 'text' && format !== 'json') throw new SteadyopsError('SO_E_USAGE', { detail: `--format ${format} is not supported here; use text or json` });
      const { findings, files } = await lintRepositoryRunbooks(options.config ?? ctx.globals().config, ctx);
      if (format === 'json') ctx.stdout(`${JSON.stringify({ runbooks: files, findings }, null, 2)}\n`);
      else ctx.stdout(findings.length === 0 ? `${files} runbook(s), no findings\n` : `${findings.map(formatRunbookFinding).join('\n')}\n${findings.length} finding(s) in ${files} runbook(s)\n`);
      if (findings.length > 0) ctx.setExitCode(1);
    });
}

function registerNew(runbook: Command, ctx: CliContext): void {
  runbook
    .command('new')
    .description("Write a runbook for a service from the model: front matter, alerts and first actions, dependencies, release checks, rollback")
    .requiredOption('--service <name>', 'the model Service')
    .option('--out <file>', "where to write it (default: runbooks/SERVICE.md in the model's repository)")
    .option('--force', 'overwrite an existing file')
    .option('--config <path>', 'model file or folder (default: steadyops.yaml, steadyops.yml or .steadyops/)')
    .addHelpText(
      'after',
      [
        '',
        "The release checks and rollback use the service's Kubernetes namespace and deployment from the model.",
        'The runbook passes `steadyops runbook lint`; reference it from the service (spec.runbooks) to use it.',
        '',
        'Examples:',
        '  $ steadyops runbook new --service checkout-api',
        '  $ steadyops runbook new --service checkout-api --out docs/runbooks/checkout-api.md --force',
      ].join('\n'),
    )
    .action(async (options: NewOptions) => {
      const configPath = options.config ?? ctx.globals().config;
      const { model } = await loadModelOrThrow(configPath, ctx.cwd);
      const service = findService(model, options.service);
      if (!service) throw new SteadyopsError('SO_E_NOT_FOUND', { what: 'service', id: options.service });
      const root = await repositoryOfModel(configPath, ctx.cwd);
      const out = options.out ? resolve(ctx.cwd, options.out) : resolve(root, 'runbooks', `${service.name}.md`);
      if (existsSync(out) && !options.force) {
        throw new SteadyopsError('SO_E_USAGE', { detail: `${relative(ctx.cwd, out) || out} already exists; pass --force to overwrite it` });
      }
      await mkdir(dirname(out), { recursive: true });
      await writeFile(out, newRunbook(model, service, ctx.clock.now().toISOString().slice(0, 10)));
      ctx.stdout(`wrote ${relative(ctx.cwd, out) || out}\n`);
    });
}

export function registerRunbookCommand(program: Command, ctx: CliContext): void {
  const runbook = program.command('runbook').description('Runbooks: lint them, write a new one from the model');
  registerLint(runbook, ctx);
  registerNew(runbook, ctx);
}
