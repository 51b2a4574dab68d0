import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { mapTerraformPlan } from '../../connectors/terraform/map-terraform-plan.ts';
import { parseTerraformPlan, planDigest } from '../../connectors/terraform/parse-terraform-plan.ts';
import { createSubjectResolver } from '../../connectors/resolve-subject.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import type { CliContext } from '../context.ts';
import { withRuntime } from '../runtime.ts';
import { loadModelIfPresent } from '../../model/load-model.ts';

interface ImportTerraformOptions {
  plan: string;
  applied: boolean;
  workspace: string;
  environment?: string;
  actor?: string;
  format?: string;
}

/** Adds `terraform` to the `import` command: a plan's changes become infra events in the ledger. */
export function registerImportTerraformCommand(importCommand: Command, ctx: CliContext): void {
  importCommand
    .command('terraform')
    .description('Record a Terraform plan (terraform show -json) as infra.planned, or infra.applied with --applied')
    .requiredOption('--plan <file>', 'the JSON of `terraform show -json plan.out`')
    .option('--applied', 'the plan was applied: record dev.steadyops.infra.applied', false)
    .option('--workspace <name>', 'the Terraform workspace', 'default')
    .option('--environment <name>', 'the environment the workspace manages (default: the workspace name)')
    .option('--actor <actor>', 'who planned or applied (default: cli:$USER)')
    .option('--format <format>', 'text or json')
    .addHelpText(
      'after',
      [
        '',
        'One event per service the plan touches (from the resources\' tags.steadyops_service or tags.service),',
        'and one without subject for the resources no service claims. Deleting or replacing a stateful',
        'resource (a database, a bucket, a volume) marks the event destructive. Importing the same plan',
        'again stores nothing twice.',
        '',
        'Examples:',
        '  $ terraform plan -out plan.out && terraform show -json plan.out > plan.json',
        '  $ steadyops import terraform --plan plan.json --workspace prod-eu --environment production',
        '  $ steadyops import terraform --plan plan.json --workspace prod-eu --environment production --applied',
      ].join('\n'),
    )
    .action(async (options: ImportTerraformOptions) => {
      const globals = ctx.globals();
      const text = await readPlan(options.plan, ctx.cwd);
      const plan = parseTerraformPlan(text, options.plan);
      const model = await loadModelIfPresent(globals.config, ctx.cwd);
      const events = mapTerraformPlan(plan, {
        workspace: options.workspace,
        environment: options.environment ?? options.workspace,
        applied: options.applied,
        digest: planDigest(text),
        now: ctx.clock.now(),
        actor: options.actor ?? `cli:${ctx.env.USER ?? 'unknown'}`,
        resolve: createSubjectResolver(model),
      });
      const outcomes = await withRuntime({ db: globals.db, cwd: ctx.cwd, env: ctx.env, clock: ctx.clock }, async ({ ledger }) => {
        const appended = await ledger.append(events);
        await ledger.cutCheckpoint();
        return appended;
      });
      const duplicates = outcomes.filter((outcome) => outcome.duplicate).length;
      if ((options.format ?? globals.format) === 'json') {
        ctx.stdout(`${JSON.stringify({ stored: outcomes.length - duplicates, duplicates, events: events.map(({ event }) => event) }, null, 2)}\n`);
        return;
      }
      for (const { event } of events) ctx.stdout(`${describePlanEvent(event.subject, event.data as PlanData)}\n`);
      ctx.stdout(`recorded ${outcomes.length - duplicates} event(s) (${duplicates} already in the ledger)\n`);
    });
}

interface PlanData {
  add: number;
  change: number;
  destroy: number;
  destructive: boolean;
  changes: Array<{ address: string; action: string; destructive: boolean }>;
}

function describePlanEvent(subject: string | undefined, data: PlanData): string {
  const who = subject ?? '(no service)';
  const warning = data.destructive
    ? `  DESTRUCTIVE: ${data.changes.filter((change) => change.destructive).map((change) => `${change.action} ${change.address}`).join(', ')}`
    : '';
  return `${who}: ${data.add} to add, ${data.change} to change, ${data.destroy} to destroy${warning}`;
}

async function readPlan(file: string, cwd: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `cannot read ${file}: ${(error as Error).message}` });
  }
}
