import { Command, CommanderError, Option } from 'commander';
import { systemClock } from '../lib/clock.ts';
import { registerAdminCommand } from './commands/admin.ts';
import { registerAlertsCommand } from './commands/alerts.ts';
import { registerRunbookCommand } from './commands/runbook.ts';
import { registerAuditCommand } from './commands/audit.ts';
import { registerBacklogCommand } from './commands/backlog.ts';
import { registerChangesCommand } from './commands/changes.ts';
import { registerDiagramCommand } from './commands/diagram.ts';
import { registerEventsCommand } from './commands/events.ts';
import { registerFollowupsCommand } from './commands/followups.ts';
import { registerGateCommand } from './commands/gate.ts';
import { registerIncidentCommand } from './commands/incident.ts';
import { registerImportBackstageCommand } from './commands/import-backstage.ts';
import { registerImportGitCommand } from './commands/import-git.ts';
import { registerImportSloCommand } from './commands/import-slo.ts';
import { registerImportTerraformCommand } from './commands/import-terraform.ts';
import { registerInitCommand } from './commands/init.ts';
import { registerLedgerCommand } from './commands/ledger.ts';
import { registerMetricsCommand } from './commands/metrics.ts';
import { registerRollbackCommand } from './commands/rollback.ts';
import { registerRolloutCommand } from './commands/rollout.ts';
import { registerSchemaCommand } from './commands/schema.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerSaturationCommand } from './commands/saturation.ts';
import { registerSloCommand } from './commands/slo.ts';
import { registerTokenCommand } from './commands/token.ts';
import { registerValidateCommand } from './commands/validate.ts';
import { registerWatchCommand } from './commands/watch-kubernetes.ts';
import type { CliContext, GlobalOptions } from './context.ts';
import { reportError } from './exit-code.ts';
import { packageVersion } from './package-version.ts';
import { defaultDatabaseUrl } from '../store/open-store.ts';

export interface MainIo {
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly readStdin?: () => Promise<string>;
  readonly clock?: CliContext['clock'];
}

/** Builds the whole command tree; `main` runs it. Tests call `buildProgram` with a fake context. */
export function buildProgram(ctx: CliContext, readStdin: () => Promise<string>): Command {
  const program = new Command('steadyops')
    .description('Production ownership as one system: model, ledger, release safety and audit evidence')
    .version(packageVersion())
    .option('--config <path>', 'ownership model file or folder (default: steadyops.yaml or .steadyops/)')
    .option('--db <url>', `database URL: sqlite:PATH or postgres://... (env STEADYOPS_DB, default ${defaultDatabaseUrl})`)
    .option('--server <url>', 'talk to a remote steadyops server instead of the local store (env STEADYOPS_SERVER)')
    .option('--token <token>', 'API token for --server (env STEADYOPS_TOKEN)')
    .addOption(new Option('--format <format>', 'output format where it applies: text, json, markdown'))
    .option('--no-color', 'plain output')
    .showHelpAfterError('(add --help for usage and examples)')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ steadyops serve --demo',
        '  $ steadyops validate --config .steadyops/',
        '  $ steadyops changes --since 30m --service checkout-api',
        '  $ steadyops slo status --service checkout-api',
        '  $ steadyops saturation',
        '  $ steadyops ledger verify',
        '  $ steadyops token create --name ci --role operator --format json',
      ].join('\n'),
    )
    .exitOverride()
    .configureOutput({ writeOut: ctx.stdout, writeErr: ctx.stderr });
  program.hook('preAction', (_root, action) => {
    // every sub-command exits through our error mapper, not process.exit
    action.exitOverride();
  });
  registerServeCommand(program, ctx);
  registerValidateCommand(program, ctx);
  registerSchemaCommand(program, ctx);
  registerDiagramCommand(program, ctx);
  registerInitCommand(program, ctx);
  const importCommand = program.command('import').description('Import ownership data and history from other tools');
  registerImportBackstageCommand(importCommand, ctx);
  registerImportGitCommand(importCommand, ctx);
  registerImportSloCommand(importCommand, ctx);
  registerImportTerraformCommand(importCommand, ctx);
  registerEventsCommand(program, ctx, readStdin);
  registerChangesCommand(program, ctx);
  registerLedgerCommand(program, ctx, readStdin);
  registerTokenCommand(program, ctx);
  registerWatchCommand(program, ctx);
  registerSloCommand(program, ctx);
  registerSaturationCommand(program, ctx);
  registerGateCommand(program, ctx);
  registerIncidentCommand(program, ctx);
  registerRollbackCommand(program, ctx);
  registerRolloutCommand(program, ctx);
  registerAuditCommand(program, ctx);
  registerBacklogCommand(program, ctx);
  registerAlertsCommand(program, ctx);
  registerRunbookCommand(program, ctx);
  registerFollowupsCommand(program, ctx);
  registerMetricsCommand(program, ctx);
  registerAdminCommand(program, ctx);
  for (const command of allCommands(program)) command.exitOverride().configureOutput({ writeOut: ctx.stdout, writeErr: ctx.stderr });
  return program;
}

function allCommands(command: Command): Command[] {
  return command.commands.flatMap((child) => [child, ...allCommands(child)]);
}

/** Runs the CLI and returns the exit code (0 ok, 1 "no", 2 usage/input, 3 unreachable). */
export async function main(argv: readonly string[], io: MainIo = {}): Promise<number> {
  let exitCode = 0;
  const stdout = io.stdout ?? ((text: string) => void process.stdout.write(text));
  const stderr = io.stderr ?? ((text: string) => void process.stderr.write(text));
  let program: Command | undefined;
  const ctx: CliContext = {
    stdout,
    stderr,
    cwd: io.cwd ?? process.cwd(),
    env: io.env ?? process.env,
    clock: io.clock ?? systemClock,
    setExitCode(code) {
      exitCode = Math.max(exitCode, code);
    },
    globals(): GlobalOptions {
      const options = program?.opts<{ config?: string; db?: string; server?: string; token?: string; format?: string; color: boolean }>() ?? { color: true };
      const db = options.db ?? (ctx.env.STEADYOPS_DB || undefined);
      const server = options.server ?? (ctx.env.STEADYOPS_SERVER || undefined);
      const token = options.token ?? (ctx.env.STEADYOPS_TOKEN || undefined);
      return {
        ...(options.config ? { config: options.config } : {}),
        db: db ?? defaultDatabaseUrl,
        dbIsDefault: db === undefined,
        ...(server ? { server } : {}),
        ...(token ? { token } : {}),
        ...(options.format ? { format: options.format } : {}),
        color: options.color !== false,
      };
    },
  };
  program = buildProgram(ctx, io.readStdin ?? readProcessStdin);
  try {
    await program.parseAsync([...argv], { from: 'node' });
  } catch (error) {
    if (error instanceof CommanderError && (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0)) {
      return 0;
    }
    const report = reportError(error);
    if (report.message) stderr(report.message);
    return report.exitCode;
  }
  return exitCode;
}

async function readProcessStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
