import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { createGitMigrationSource } from '../../connectors/git/migration-diff.ts';
import { loadKubeConfig } from '../../connectors/kubernetes/load-kube-config.ts';
import { findPreviousReplicaSet, type PreviousReplicaSetCheck, type ReplicaSetSummary } from '../../connectors/kubernetes/previous-replica-set.ts';
import { isSteadyopsError, SteadyopsError } from '../../lib/errors.ts';
import { loadModelOrThrow } from '../../model/load-model.ts';
import { findService } from '../../model/resolve.ts';
import { createRollbackCheckService, type RollbackReport } from '../../release/rollback/rollback-check-service.ts';
import { loadSqlParser } from '../../release/rollback/sql-parser.ts';
import type { MigrationReport } from '../../release/rollback/types.ts';
import type { CliContext } from '../context.ts';

interface RollbackCheckOptions {
  service: string;
  from?: string;
  to?: string;
  repo?: string;
  acceptForwardFix?: boolean;
  kubeconfig?: string;
  context?: string;
  kubernetes: boolean;
  format?: string;
}

export function registerRollbackCommand(program: Command, ctx: CliContext): void {
  const rollback = program.command('rollback').description('Rollback safety: can we roll back without data loss?');
  rollback
    .command('check')
    .description("Classify the database migrations between two versions of a service and look for the Deployment's previous ReplicaSet")
    .requiredOption('--service <name>', 'the service to roll back (its model names the migration paths and layout)')
    .option('--from <revision>', 'the version running now', 'HEAD')
    .option('--to <revision>', 'the version to roll back to (default: the tag before --from, git describe --tags --abbrev=0 <from>^)')
    .option('--repo <path>', "the service's git checkout; migration paths are relative to it (default: the current folder)")
    .option('--accept-forward-fix', 'treat forward-fix findings as safe: you checked the previous release copes with them')
    .option('--kubeconfig <file>', 'kubeconfig file; an unreachable cluster is then an error (exit 3)')
    .option('--context <name>', "kubeconfig context (default: the service's runtime context); an unreachable cluster is then an error (exit 3)")
    .option('--no-kubernetes', 'do not look for the previous ReplicaSet')
    .option('--format <format>', 'text or json')
    .addHelpText(
      'after',
      [
        '',
        'Every statement of every migration added between the two versions is classified: safe (additive),',
        'forward-fix (no data lost, but the previous release may break on the new schema) or data-loss.',
        'Exit 0 safe, 1 unsafe (any data-loss, or forward-fix without --accept-forward-fix), 2 bad input,',
        '3 Kubernetes unreachable when --kubeconfig or --context was given. See docs/rollback.md.',
        '',
        'Examples:',
        '  $ steadyops rollback check --service checkout-api',
        '  $ steadyops rollback check --service checkout-api --from v3.27.0 --to v3.26.2 --repo ../checkout-api',
        '  $ steadyops rollback check --service checkout-api --context prod-eu --format json',
        '  $ steadyops rollback check --service checkout-api --accept-forward-fix --no-kubernetes',
      ].join('\n'),
    )
    .action(async (options: RollbackCheckOptions) => {
      const globals = ctx.globals();
      const format = options.format ?? globals.format ?? 'text';
      if (!['text', 'json'].includes(format)) throw new SteadyopsError('SO_E_USAGE', { detail: `--format ${format} is not supported here; use text or json` });
      const { model } = await loadModelOrThrow(globals.config, ctx.cwd);
      const checks = createRollbackCheckService({ model, repository: createGitMigrationSource(resolve(ctx.cwd, options.repo ?? '.')), parser: await loadSqlParser() });
      const report = await checks.check({
        service: options.service,
        ...(options.from ? { from: options.from } : {}),
        ...(options.to ? { to: options.to } : {}),
        acceptForwardFix: Boolean(options.acceptForwardFix),
      });
      const replicaSet = await checkReplicaSet(findService(model, options.service)?.runtime, options, ctx.env);
      ctx.stdout(format === 'json' ? `${JSON.stringify({ ...report, replicaSet }, null, 2)}\n` : renderReport(report, replicaSet));
      if (!report.verdict.safe) ctx.setExitCode(1);
    });
}

type Runtime = NonNullable<ReturnType<typeof findService>>['runtime'];

/**
 * Kubernetes is asked only when the service runs there. Without --kubeconfig or --context a
 * cluster that cannot be reached is reported as not checked; with them it is an error.
 */
async function checkReplicaSet(runtime: Runtime, options: RollbackCheckOptions, env: NodeJS.ProcessEnv): Promise<PreviousReplicaSetCheck> {
  if (!options.kubernetes) return { status: 'not-checked', reason: '--no-kubernetes was given' };
  if (runtime?.kind !== 'kubernetes') return { status: 'not-checked', reason: 'the service has no Kubernetes runtime in the ownership model' };
  const explicit = Boolean(options.kubeconfig || options.context);
  const file = options.kubeconfig ?? defaultKubeconfig(env);
  try {
    if (!file) throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: 'no kubeconfig found (KUBECONFIG is not set and ~/.kube/config does not exist); pass --kubeconfig' });
    const kubeConfig = loadKubeConfig(file, options.context ?? runtime.context);
    return await findPreviousReplicaSet(kubeConfig, { namespace: runtime.namespace, deployment: runtime.deployment });
  } catch (error) {
    if (explicit || !isSteadyopsError(error)) throw error;
    return { status: 'not-checked', reason: error.message };
  }
}

/** The first file of $KUBECONFIG, else ~/.kube/config, when it exists. */
function defaultKubeconfig(env: NodeJS.ProcessEnv): string | undefined {
  const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).find(Boolean);
  const candidate = fromEnv ?? (env.HOME ? join(env.HOME, '.kube', 'config') : undefined);
  return candidate && existsSync(candidate) ? candidate : undefined;
}

export function renderReport(report: RollbackReport, replicaSet: PreviousReplicaSetCheck): string {
  const short = (commit: string) => commit.slice(0, 12);
  const changed = report.migrations.length;
  const lines = [
    `Rollback check for ${report.service}: from ${report.from.ref} (${short(report.from.commit)}) back to ${report.to.ref} (${short(report.to.commit)})`,
    `Migrations under ${report.paths.join(', ')} (${report.layout} layout): ${changed} changed`,
    '',
    ...report.migrations.flatMap(renderMigration),
    ...(report.skipped.length > 0 ? ['Not migrations:', ...report.skipped.map((file) => `  ${file.path}: ${file.reason}`), ''] : []),
    `Previous ReplicaSet: ${describeReplicaSet(replicaSet)}`,
    '',
    `${report.verdict.safe ? 'SAFE' : 'UNSAFE'}: ${report.verdict.summary}`,
  ];
  return `${lines.join('\n')}\n`;
}

function renderMigration(migration: MigrationReport): string[] {
  const reverse = migration.reverse ? `reversed by ${migration.reverse}` : 'no reverse migration';
  const edited = migration.status === 'modified' ? ', edited after it was released' : '';
  const header = `${migration.class.toUpperCase()}  ${migration.path} (${reverse}${edited})`;
  if (migration.findings.length === 0) return [header, '  no statements that change the database', ''];
  const findings = migration.findings.flatMap((finding) => [`  ${finding.file}:${finding.line}  ${finding.class}  ${finding.statement}`, `      ${finding.reason}`]);
  return [header, ...findings, ''];
}

function describeReplicaSet(check: PreviousReplicaSetCheck): string {
  if (check.status === 'not-checked') return `not checked: ${check.reason}`;
  const current = check.current ? ` Current: ${describeSummary(check.current)}.` : '';
  if (check.status === 'missing') return `none. ${check.reason}.${current}`;
  return `${describeSummary(check.previous)} still exists in ${check.context}; kubectl rollout undo deployment/${check.deployment} -n ${check.namespace} returns to it.${current}`;
}

function describeSummary(summary: ReplicaSetSummary): string {
  return `${summary.name} (revision ${summary.revision}, ${summary.images.join(', ') || 'no images'}, ${summary.replicas} replica(s))`;
}
