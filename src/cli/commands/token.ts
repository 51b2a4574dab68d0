import type { Command } from 'commander';
import { roles, type Role } from '../../access/types.ts';
import { parseDuration } from '../../lib/duration.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import type { CliContext } from '../context.ts';
import { renderTable } from '../render/table.ts';
import { withRuntime, type RuntimeOptions } from '../runtime.ts';

export function registerTokenCommand(program: Command, ctx: CliContext): void {
  const runtimeOptions = (): RuntimeOptions => ({ db: ctx.globals().db, cwd: ctx.cwd, env: ctx.env, clock: ctx.clock });
  const token = program.command('token').description('Manage API tokens (stored hashed; a secret is shown once)');
  const actor = (): string => `cli:${ctx.env.USER ?? 'unknown'}`;

  token
    .command('create')
    .description('Create an API token')
    .requiredOption('--name <name>', 'who or what uses it, e.g. ci-deployer')
    .requiredOption('--role <role>', `one of ${roles.join(', ')}`)
    .option('--expires-in <duration>', 'expire after this long, e.g. 90d')
    .option('--format <format>', 'text or json ({"token": "..."} for scripts)')
    .addHelpText(
      'after',
      [
        '',
        'Roles: viewer reads; operator also appends events; approver also approves; admin also manages tokens.',
        '',
        'Examples:',
        '  $ steadyops token create --name ci-deployer --role operator --expires-in 90d',
        '  $ TOKEN=$(steadyops token create --name dashboard --role viewer --format json | jq -r .token)',
      ].join('\n'),
    )
    .action(async (options: { name: string; role: string; expiresIn?: string; format?: string }) => {
      if (!(roles as readonly string[]).includes(options.role)) {
        throw new SteadyopsError('SO_E_USAGE', { detail: `--role ${options.role} is not one of ${roles.join(', ')}` });
      }
      const expiresAt = options.expiresIn ? new Date(ctx.clock.now().getTime() + parseDuration(options.expiresIn)) : undefined;
      const created = await withRuntime(runtimeOptions(), ({ tokens }) =>
        tokens.create({ name: options.name, role: options.role as Role, createdBy: actor(), ...(expiresAt ? { expiresAt } : {}) }),
      );
      if ((options.format ?? ctx.globals().format) === 'json') {
        ctx.stdout(`${JSON.stringify({ token: created.token, ...created.record })}\n`);
        return;
      }
      ctx.stdout(`${created.token}\n`);
      ctx.stderr(`created ${created.record.role} token ${created.record.name} (${created.record.id}); it is shown only this once\n`);
    });

  token
    .command('list')
    .description('List API tokens (never their secrets)')
    .option('--format <format>', 'text or json')
    .addHelpText('after', ['', 'Examples:', '  $ steadyops token list', '  $ steadyops token list --format json'].join('\n'))
    .action(async (options: { format?: string }) => {
      const records = await withRuntime(runtimeOptions(), ({ tokens }) => tokens.list());
      if ((options.format ?? ctx.globals().format) === 'json') {
        ctx.stdout(`${JSON.stringify(records, null, 2)}\n`);
        return;
      }
      ctx.stdout(
        renderTable(
          ['ID', 'NAME', 'ROLE', 'CREATED', 'EXPIRES', 'STATUS'],
          records.map((record) => [
            record.id,
            record.name,
            record.role,
            record.createdAt,
            record.expiresAt ?? '-',
            record.revokedAt ? `revoked ${record.revokedAt}` : 'active',
          ]),
        ),
      );
    });

  token
    .command('revoke')
    .description('Revoke an API token')
    .argument('<id>', 'token id, from `token list`')
    .addHelpText('after', ['', 'Examples:', '  $ steadyops token revoke tok_3f2a9c1e0b7d'].join('\n'))
    .action(async (id: string) => {
      await withRuntime(runtimeOptions(), ({ tokens }) => tokens.revoke(id, actor()));
      ctx.stdout(`revoked ${id}\n`);
    });
}
