import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { parseEventText } from '../../ledger/cloud-event.ts';
import type { AppendOutcome } from '../../ledger/types.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import { createApiClient } from '../api-client.ts';
import type { CliContext } from '../context.ts';
import { withRuntime } from '../runtime.ts';

interface PushOptions {
  actor?: string;
  format?: string;
}

export function registerEventsCommand(program: Command, ctx: CliContext, readStdin: () => Promise<string>): void {
  const events = program.command('events').description('Append CloudEvents to the ledger');
  events
    .command('push')
    .description('Append CloudEvents 1.0 (a JSON event, a JSON array, or NDJSON) from FILE or - (stdin)')
    .argument('<file>', 'file to read, or - for standard input')
    .option('--actor <actor>', 'who is appending, for local appends (default: cli:$USER)')
    .option('--format <format>', 'text or json')
    .addHelpText(
      'after',
      [
        '',
        'A bad event rejects the whole batch; nothing is written. Redelivered events (same source and id)',
        'are acknowledged as duplicates, not stored twice.',
        '',
        'Examples:',
        '  $ steadyops events push deploy.json',
        '  $ kubectl get events -o json | my-mapper | steadyops events push -',
        '  $ steadyops events push events.ndjson --server https://steadyops.example.com --token $STEADYOPS_TOKEN',
      ].join('\n'),
    )
    .action(async (file: string, options: PushOptions) => {
      const globals = ctx.globals();
      const text = file === '-' ? await readStdin() : await readInput(file, ctx.cwd);
      const parsed = parseEventText(text, file === '-' ? '<stdin>' : file);
      let outcomes: AppendOutcome[];
      if (globals.server) {
        const response = await createApiClient(globals.server, globals.token).request<{ events: AppendOutcome[] }>('POST', '/api/v1/events', parsed.map(toWire));
        outcomes = response.events;
      } else {
        const actor = options.actor ?? `cli:${ctx.env.USER ?? 'unknown'}`;
        outcomes = await withRuntime({ db: globals.db, cwd: ctx.cwd, env: ctx.env, clock: ctx.clock }, async ({ ledger }) => {
          const appended = await ledger.append(parsed.map((event) => ({ event, actor })));
          await ledger.cutCheckpoint();
          return appended;
        });
      }
      const stored = outcomes.filter((outcome) => !outcome.duplicate).length;
      if ((options.format ?? globals.format) === 'json') {
        ctx.stdout(`${JSON.stringify({ accepted: outcomes.length, stored, duplicates: outcomes.length - stored, events: outcomes }, null, 2)}\n`);
      } else {
        const last = outcomes.reduce((max, outcome) => Math.max(max, outcome.seq), 0);
        ctx.stdout(`appended ${stored} event(s), ${outcomes.length - stored} duplicate(s) acknowledged; ledger at sequence ${last}\n`);
      }
    });
}

async function readInput(file: string, cwd: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `cannot read ${file}: ${(error as Error).message}` });
  }
}

/** Back to the wire format: extensions are top-level attributes. */
function toWire(event: ReturnType<typeof parseEventText>[number]): Record<string, unknown> {
  const { extensions, ...attributes } = event;
  return { ...extensions, ...attributes };
}
