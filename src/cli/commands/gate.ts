import { appendFileSync } from 'node:fs';
import type { Command } from 'commander';
import { prometheusFor } from '../../connectors/prometheus/prometheus-for.ts';
import { parseDuration } from '../../lib/duration.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import { loadModelOrThrow } from '../../model/load-model.ts';
import type { ResolvedModel } from '../../model/resolve.ts';
import { createGateService, type GateOutcome, type GateService } from '../../release/gate-service.ts';
import { createSloStatusService } from '../../slo/slo-status-service.ts';
import { createApiClient } from '../api-client.ts';
import type { CliContext } from '../context.ts';
import { renderGateGithub, renderGateText } from '../render/gate-report.ts';
import { withRuntime } from '../runtime.ts';

interface GateCheckOptions {
  service: string;
  env: string;
  release: string;
  author?: string;
  migrations?: boolean;
  lookback: string;
  prometheus?: string;
  format?: string;
}

interface ApproveOptions {
  service: string;
  release: string;
  env?: string;
  approver?: string;
  comment?: string;
  format?: string;
}

interface OverrideOptions {
  service: string;
  env: string;
  release: string;
  reason: string;
  by?: string;
  format?: string;
}

const formats = ['text', 'json', 'github'] as const;

export function registerGateCommand(program: Command, ctx: CliContext): void {
  const gate = program.command('gate').description('Release gates: may this release go out?');
  registerCheck(gate, ctx);
  registerApprove(gate, ctx);
  registerOverride(gate, ctx);
}

function registerCheck(gate: Command, ctx: CliContext): void {
  gate
    .command('check')
    .description("Evaluate the service's release policy for a release and record the decision in the ledger")
    .requiredOption('--service <name>', 'the service being released')
    .requiredOption('--env <environment>', 'the environment it goes to')
    // not --version: commander reads that as the program's own version flag wherever it appears
    .requiredOption('--release <version>', 'the version (tag or sha) being released')
    .option('--author <who>', 'who wrote the change (cannot approve it)')
    .option('--migrations', 'the release ships database migrations')
    .option('--lookback <duration>', 'how much ledger history the checks read', '90d')
    .option('--prometheus <url>', "Prometheus for error budgets and alerts, over the Environment's (env STEADYOPS_PROMETHEUS_URL)")
    .option('--format <format>', `${formats.join(', ')} (github: annotations, a job summary in $GITHUB_STEP_SUMMARY, decision in $GITHUB_OUTPUT)`)
    .addHelpText(
      'after',
      [
        '',
        'Exit 0 allow, 1 deny (a check failed), 2 bad input, 3 the answer hinged on a signal source that could',
        'not be reached (the policy\'s onError decided; the decision is in the output). Every decision is a',
        'dev.steadyops.gate.decided event with what it saw. With --server/--token it asks a remote server.',
        '',
        'Examples:',
        '  $ steadyops gate check --service checkout-api --env production --release v3.27.0',
        '  $ steadyops gate check --service checkout-api --env production --release v3.27.0 --migrations --format json',
        '  $ steadyops gate check --server https://steadyops.example --token $TOKEN --service checkout-api --env production --release $GITHUB_SHA --format github',
      ].join('\n'),
    )
    .action(async (options: GateCheckOptions) => {
      const format = chosenFormat(options.format ?? ctx.globals().format);
      const input = {
        service: options.service,
        environment: options.env,
        version: options.release,
        ...(options.author ? { author: options.author } : {}),
        shipsMigrations: Boolean(options.migrations),
        lookbackMs: parseDuration(options.lookback),
      };
      const outcome = await withGates(ctx, options.prometheus, async (gates) => gates.check(input, cliActor(ctx)), async (api) =>
        api.request<GateOutcome>('POST', '/api/v1/gates/check', {
          service: input.service,
          env: input.environment,
          version: input.version,
          ...(input.author ? { author: input.author } : {}),
          migrations: input.shipsMigrations,
        }),
      );
      report(ctx, outcome, format);
      ctx.setExitCode(gateExitCode(outcome));
    });
}

function registerApprove(gate: Command, ctx: CliContext): void {
  gate
    .command('approve')
    .description('Approve a release of a service version; approvals checks count distinct approvers')
    .requiredOption('--service <name>', 'the service')
    .requiredOption('--release <version>', 'the version being approved')
    .option('--env <environment>', 'approve for this environment only (default: every environment)')
    .option('--approver <who>', 'email or GitHub login of the approver (local use; a server takes it from the token)')
    .option('--comment <text>', 'what the approver looked at')
    .option('--format <format>', 'text or json')
    .addHelpText(
      'after',
      [
        '',
        'The author of a release cannot approve it unless the policy says allowAuthor: true.',
        '',
        'Examples:',
        '  $ steadyops gate approve --service checkout-api --release v3.27.0 --approver ana.lima@northwindpay.example',
        '  $ steadyops gate approve --server https://steadyops.example --token $APPROVER_TOKEN --service checkout-api --release v3.27.0 --env production',
      ].join('\n'),
    )
    .action(async (options: ApproveOptions) => {
      const approver = options.approver ?? ctx.env.STEADYOPS_USER;
      const recorded = await withGates(
        ctx,
        undefined,
        async (gates) => {
          if (!approver) throw new SteadyopsError('SO_E_USAGE', { detail: 'say who approves: --approver EMAIL (or STEADYOPS_USER)' });
          return gates.approve({ service: options.service, version: options.release, approver, ...optional('environment', options.env), ...optional('comment', options.comment) }, cliActor(ctx));
        },
        async (api) =>
          api.request<{ seq: number }>('POST', '/api/v1/gates/approvals', {
            service: options.service,
            version: options.release,
            ...optional('env', options.env),
            ...optional('approver', options.approver),
            ...optional('comment', options.comment),
          }),
      );
      const json = (options.format ?? ctx.globals().format) === 'json';
      ctx.stdout(json ? `${JSON.stringify(recorded)}\n` : `Approved ${options.service} ${options.release}${options.env ? ` for ${options.env}` : ''} (ledger seq ${recorded.seq}).\n`);
    });
}

function registerOverride(gate: Command, ctx: CliContext): void {
  gate
    .command('override')
    .description('Let a denied release go out anyway, with a reason; the override is its own ledger event')
    .requiredOption('--service <name>', 'the service')
    .requiredOption('--env <environment>', 'the environment')
    .requiredOption('--release <version>', 'the denied version')
    .requiredOption('--reason <text>', 'why, for whoever reads the ledger later (at least 10 characters)')
    .option('--by <who>', 'the approver overriding (local use; a server takes it from the token)')
    .option('--format <format>', 'text or json')
    .addHelpText(
      'after',
      [
        '',
        'Needs a denied decision for the same service, environment and version. Every later gate check of',
        'that release reports ALLOW with the override, its author and reason.',
        '',
        'Examples:',
        '  $ steadyops gate override --service checkout-api --env production --release v3.27.1 --by ana.lima@northwindpay.example \\',
        '      --reason "hotfix for INC-2291; budget spent by the incident itself"',
      ].join('\n'),
    )
    .action(async (options: OverrideOptions) => {
      const by = options.by ?? ctx.env.STEADYOPS_USER;
      const recorded = await withGates(
        ctx,
        undefined,
        async (gates) => {
          if (!by) throw new SteadyopsError('SO_E_USAGE', { detail: 'say who overrides: --by EMAIL (or STEADYOPS_USER)' });
          return gates.override({ service: options.service, environment: options.env, version: options.release, reason: options.reason, overriddenBy: by }, cliActor(ctx));
        },
        async (api) =>
          api.request<{ seq: number; by: string }>('POST', '/api/v1/gates/overrides', {
            service: options.service,
            env: options.env,
            version: options.release,
            reason: options.reason,
          }),
      );
      const json = (options.format ?? ctx.globals().format) === 'json';
      ctx.stdout(json ? `${JSON.stringify(recorded)}\n` : `Overrode the deny of ${options.service} ${options.release} in ${options.env} (ledger seq ${recorded.seq}).\n`);
    });
}

/** Runs against the local ledger, or through a remote server when --server is given. */
async function withGates<T>(
  ctx: CliContext,
  prometheusUrl: string | undefined,
  local: (gates: GateService, model: ResolvedModel) => Promise<T>,
  remote: (api: ReturnType<typeof createApiClient>) => Promise<T>,
): Promise<T> {
  const globals = ctx.globals();
  if (globals.server) return remote(createApiClient(globals.server, globals.token));
  const { model } = await loadModelOrThrow(globals.config, ctx.cwd);
  const override = prometheusUrl ?? (ctx.env.STEADYOPS_PROMETHEUS_URL || undefined);
  return withRuntime({ db: globals.db, cwd: ctx.cwd, env: ctx.env, clock: ctx.clock }, async ({ ledger }) => {
    const prometheus = prometheusFor(model, { ...(override ? { override } : {}), timeoutMs: 5_000 });
    const gates = createGateService({
      ledger,
      clock: ctx.clock,
      model: () => model,
      budgets: createSloStatusService({ prometheus, clock: ctx.clock }),
      prometheus,
    });
    const result = await local(gates, model);
    await ledger.cutCheckpoint();
    return result;
  });
}

function report(ctx: CliContext, outcome: GateOutcome, format: (typeof formats)[number]): void {
  if (format === 'json') {
    ctx.stdout(`${JSON.stringify(outcome, null, 2)}\n`);
    return;
  }
  if (format === 'github') {
    const { annotations, summary } = renderGateGithub(outcome);
    ctx.stdout(annotations);
    if (ctx.env.GITHUB_STEP_SUMMARY) appendFileSync(ctx.env.GITHUB_STEP_SUMMARY, `${summary}\n`);
    if (ctx.env.GITHUB_OUTPUT) appendFileSync(ctx.env.GITHUB_OUTPUT, `decision=${outcome.decision}\nseq=${outcome.seq}\n`);
    return;
  }
  ctx.stdout(renderGateText(outcome));
}

/**
 * 0 allow; 1 deny because a check failed on the facts; 3 the answer hinged on a signal source that
 * could not be reached (onError decided it); 1 any other deny. An override makes it 0.
 */
export function gateExitCode(outcome: GateOutcome): number {
  if (outcome.decision === 'allow' && (outcome.override || outcome.unreachable.length === 0)) return 0;
  if (outcome.enforcedFailures.some((failure) => failure.outcome === 'fail')) return 1;
  if (outcome.unreachable.length > 0) return 3;
  return outcome.decision === 'deny' ? 1 : 0;
}

function chosenFormat(format: string | undefined): (typeof formats)[number] {
  if (format === undefined) return 'text';
  if ((formats as readonly string[]).includes(format)) return format as (typeof formats)[number];
  throw new SteadyopsError('SO_E_USAGE', { detail: `--format must be one of ${formats.join(', ')}, not "${format}"` });
}

function cliActor(ctx: CliContext): string {
  return `cli:${ctx.env.USER ?? 'unknown'}`;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
