import type { Command } from 'commander';
import { rebuildProjections } from '../../ledger/rebuild-projections.ts';
import type { CliContext } from '../context.ts';
import { withRuntime } from '../runtime.ts';

export function registerAdminCommand(program: Command, ctx: CliContext): void {
  const admin = program.command('admin').description('Operate the store: migrations run on start; projections rebuild here');
  admin
    .command('rebuild')
    .description('Recompute every projection (read model) from the ledger')
    .addHelpText('after', ['', 'Examples:', '  $ steadyops admin rebuild', '  $ steadyops admin rebuild --db postgres://steadyops@db/steadyops'].join('\n'))
    .action(async () => {
      const result = await withRuntime({ db: ctx.globals().db, cwd: ctx.cwd, env: ctx.env, clock: ctx.clock }, ({ store }) => rebuildProjections(store));
      ctx.stdout(`projections rebuilt: ${result.subjects} subject/type rows\n`);
    });
}
