import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { parseDuration } from '../../lib/duration.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import { loadModelOrThrow } from '../../model/load-model.ts';
import { findReleasePolicy, findService } from '../../model/resolve.ts';
import { evaluateGate } from '../../release/evaluate-gate.ts';
import { signalsFromEvents } from '../../release/ledger-signals.ts';
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

/** The ledger types whose history the gate reads. */
const signalTypes = ['dev.steadyops.alert.*', 'dev.steadyops.incident.*', 'dev.steadyops.restore.drill.verified', 'dev.steadyops.deploy.finished'];

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
      const service = findService(model, options.service);
      if (!service) {
        throw new SteadyopsError('SO_E_USAGE', { detail: `unknown service "${options.service}"; services: ${model.services.map((entry) => entry.name).join(', ')}` });
      }
      const policyName = service.releasePolicy;
      const policy = policyName ? findReleasePolicy(model, policyName) : undefined;
      if (!policy) throw new SteadyopsError('SO_E_USAGE', { detail: `service ${service.name} names no release policy (spec.releasePolicy)` });
      const now = ctx.clock.now();
      const request = { service: service.name, environment: options.env, version: options.release, ...(options.author ? { author: options.author } : {}) };
      const decision = await withRuntime({ db: globals.db, cwd: ctx.cwd, env: ctx.env, clock: ctx.clock }, async ({ ledger }) => {
        const events = await ledger.query({ since: new Date(now.getTime() - parseDuration(options.lookback)), until: now, types: signalTypes, limit: 100_000 });
        const signals = { ...signalsFromEvents([...events].reverse(), service.name, options.env), shipsMigrations: Boolean(options.migrations) };
        const evaluated = evaluateGate(request, policy, service, model, signals, now);
        await ledger.append([
          {
            actor: `cli:${ctx.env.USER ?? 'unknown'}`,
            event: {
              specversion: '1.0',
              id: randomUUID(),
              source: '/steadyops/gates',
              type: 'dev.steadyops.gate.decided',
              subject: service.name,
              time: now.toISOString(),
              datacontenttype: 'application/json',
              extensions: { environment: options.env },
              data: {
                service: service.name,
                environment: options.env,
                policy: policy.name,
                decision: evaluated.decision,
                mode: policy.mode,
                version: options.release,
                checks: evaluated.results.map(({ type, mode, outcome, reason, inputs }) => ({ type, mode, outcome, reason, inputs })),
              },
            },
          },
        ]);
        await ledger.cutCheckpoint();
        return evaluated;
      });
      ctx.stdout((options.format ?? globals.format) === 'json' ? `${JSON.stringify({ ...request, policy: policy.name, ...decision }, null, 2)}\n` : renderDecision(decision, policy.name));
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
