import type { Command } from 'commander';
import { parseDuration } from '../../lib/duration.ts';
import { loadModelOrThrow } from '../../model/load-model.ts';
import { createGateService } from '../../release/gate-service.ts';
import type { GateDecision } from '../../release/types.ts';
import type { CliContext } from '../context.ts';
import { renderTable } from '../render/table.ts';
import { withRuntime } from '../runtime.ts';

interface GateCheckOptions {
  service: string;
  env: string;
  release: string;
  author?: string;
  migrations?: boolean;
  lookback: string;
  format?: string;
}

export function registerGateCommand(program: Command, ctx: CliContext): void {
  const gate = program.command('gate').description('Release gates: may this release go out?');
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
    .option('--format <format>', 'text or json')
    .addHelpText(
      'after',
      [
        '',
        'Exit 0 allow, 1 deny, 2 bad input. Every decision is a dev.steadyops.gate.decided event with what it saw.',
        '',
        'Examples:',
        '  $ steadyops gate check --service checkout-api --env production --release v3.27.0',
        '  $ steadyops gate check --service checkout-api --env production --release v3.27.0 --migrations --format json',
      ].join('\n'),
    )
    .action(async (options: GateCheckOptions) => {
      const globals = ctx.globals();
      const { model } = await loadModelOrThrow(globals.config, ctx.cwd);
      const outcome = await withRuntime({ db: globals.db, cwd: ctx.cwd, env: ctx.env, clock: ctx.clock }, async ({ ledger }) => {
        const gates = createGateService({ ledger, clock: ctx.clock, model: () => model });
        const result = await gates.check(
          {
            service: options.service,
            environment: options.env,
            version: options.release,
            ...(options.author ? { author: options.author } : {}),
            shipsMigrations: Boolean(options.migrations),
            lookbackMs: parseDuration(options.lookback),
          },
          `cli:${ctx.env.USER ?? 'unknown'}`,
        );
        await ledger.cutCheckpoint();
        return result;
      });
      const { request, policy, seq, ...decision } = outcome;
      ctx.stdout((options.format ?? globals.format) === 'json' ? `${JSON.stringify({ ...request, policy, seq, ...decision }, null, 2)}\n` : renderDecision(decision, policy));
      if (decision.decision === 'deny') ctx.setExitCode(1);
    });
}

function renderDecision(decision: GateDecision, policy: string): string {
  const table = renderTable(
    ['CHECK', 'MODE', 'OUTCOME', 'WHY'],
    decision.results.map((result) => [result.type, result.mode, result.outcome, result.reason]),
  );
  const verdict = decision.decision === 'allow' ? 'ALLOW' : 'DENY';
  const shadow = decision.shadowFailures.length > 0 ? ` (${decision.shadowFailures.length} shadow check(s) would have denied)` : '';
  return `${verdict}: release policy ${policy}${shadow}\n\n${table}`;
}
