import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { z } from 'zod';
import {
  consistencyProofFileSchema,
  inclusionProofFileSchema,
  verifyConsistencyOffline,
  verifyInclusionOffline,
} from '../../ledger/offline-proof.ts';
import { findEventsByRef } from '../../ledger/find-events-by-ref.ts';
import type { Ledger, LedgerEvent } from '../../ledger/types.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import type { CliContext } from '../context.ts';
import { withRuntime, type RuntimeOptions } from '../runtime.ts';
import { startSpinner } from '../render/terminal-spinner.ts';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerLedgerCommand(program: Command, ctx: CliContext, readStdin: () => Promise<string>): void {
  const runtimeOptions = (): RuntimeOptions => ({ db: ctx.globals().db, cwd: ctx.cwd, env: ctx.env, clock: ctx.clock });
  const json = (format: string | undefined): boolean => (format ?? ctx.globals().format) === 'json';
  const ledger = program
    .command('ledger')
    .description('Check the tamper-evident ledger: verify it, prove inclusion and consistency');

  ledger
    .command('verify')
    .description('Recompute the Merkle tree from every stored event and check every signed checkpoint')
    .option('--checkpoint <file>', 'also check a signed checkpoint kept elsewhere, e.g. by a witness (repeatable)', collect, [])
    .option('--public-key <vkey>', 'verify signatures with this verifier key instead of the local signing key')
    .option('--threads <n>', 'worker threads checking rows (default: one per core for large logs)')
    .option('--format <format>', 'text or json')
    .addHelpText(
      'after',
      [
        '',
        'Exit 0 when intact, 1 when not (naming the first bad sequence number).',
        '',
        'Examples:',
        '  $ steadyops ledger verify',
        '  $ steadyops ledger verify --checkpoint witness/checkpoint-2026-11-25.txt --public-key "$(cat ledger.vkey)"',
      ].join('\n'),
    )
    .action(async (options: { checkpoint: string[]; publicKey?: string; threads?: string; format?: string }) => {
      const threads = options.threads === undefined ? undefined : Number(options.threads);
      if (threads !== undefined && (!Number.isInteger(threads) || threads < 1 || threads > 64)) {
        throw new SteadyopsError('SO_E_USAGE', { detail: `--threads ${options.threads} is not a whole number from 1 to 64` });
      }
      const extraCheckpoints = await Promise.all(options.checkpoint.map((file) => readText(file, ctx.cwd)));
      const spinner = json(options.format) ? undefined : startSpinner('verifying the ledger');
      const report = await withRuntime(runtimeOptions(), ({ ledger: store }) =>
        store.verify({
          extraCheckpoints,
          ...(threads !== undefined ? { threads } : {}),
          ...(options.publicKey ? { verifierKey: options.publicKey } : {}),
          onProgress: ({ checked, total }) => spinner?.update({ text: `verifying the ledger: ${checked}/${total} events` }),
        }),
      );
      spinner?.stop();
      if (json(options.format)) ctx.stdout(`${JSON.stringify(report, null, 2)}\n`);
      else if (report.ok) ctx.stdout(`ledger intact: ${report.size} events, ${report.checkpoints} signed checkpoints verified, root ${report.rootHash}\n`);
      else ctx.stdout(`ledger verification FAILED at sequence ${report.firstBadSeq}: ${report.reason}\n`);
      if (!report.ok) ctx.setExitCode(1);
    });

  ledger
    .command('proof')
    .description('Print an RFC 6962 inclusion proof of an event against the latest signed checkpoint')
    .argument('<event-id>', 'the CloudEvents id (or seq:N for a sequence number)')
    .option('--source <source>', 'the event source, when several sources used the same id')
    .option('--out <file>', 'write the proof to a file instead of standard output')
    .addHelpText('after', ['', 'Examples:', '  $ steadyops ledger proof deploy-4711 --out proof.json', '  $ steadyops ledger proof seq:1234'].join('\n'))
    .action(async (eventId: string, options: { source?: string; out?: string }) => {
      const proof = await withRuntime(runtimeOptions(), async ({ ledger: store }) => {
        const event = await findEvent(store, eventId, options.source);
        const latest = await store.latestCheckpoint();
        if (!latest || latest.size < event.seq) await store.cutCheckpoint();
        return { event, ...(await store.inclusionProof(event.seq)) };
      });
      const text = `${JSON.stringify(proof, null, 2)}\n`;
      if (options.out) {
        await writeFile(resolve(ctx.cwd, options.out), text);
        ctx.stderr(`wrote the inclusion proof of sequence ${proof.seq} (tree size ${proof.treeSize}) to ${options.out}\n`);
      } else {
        ctx.stdout(text);
      }
    });

  ledger
    .command('verify-proof')
    .description('Check an inclusion proof offline, with only the ledger public key')
    .argument('[file]', 'proof file from `ledger proof` (default: standard input)', '-')
    .requiredOption('--public-key <vkey>', 'the verifier key (from `steadyops ledger key`), or @FILE to read it')
    .option('--format <format>', 'text or json')
    .addHelpText(
      'after',
      ['', 'Exit 0 when the proof holds, 1 when it does not.', '', 'Examples:', '  $ steadyops ledger verify-proof proof.json --public-key @ledger.vkey'].join('\n'),
    )
    .action(async (file: string, options: { publicKey: string; format?: string }) => {
      const proof = parseJsonFile(inclusionProofFileSchema, file === '-' ? await readStdin() : await readText(file, ctx.cwd), file);
      const key = await readKeyOption(options.publicKey, ctx.cwd);
      try {
        const check = verifyInclusionOffline(proof, key);
        if (json(options.format)) ctx.stdout(`${JSON.stringify({ ok: true, seq: proof.seq, ...check })}\n`);
        else ctx.stdout(`proof OK: sequence ${proof.seq} is in ${check.origin} at tree size ${check.treeSize}\n`);
      } catch (error) {
        throw new SteadyopsError('SO_E_PROOF_INVALID', { detail: `proof does not verify: ${(error as Error).message}` });
      }
    });

  ledger
    .command('consistency')
    .description('Prove that the log at checkpoint NEW extends the log at checkpoint OLD (append-only)')
    .argument('<old>', 'tree size of the older checkpoint')
    .argument('<new>', 'tree size of the newer checkpoint')
    .option('--public-key <vkey>', 'also verify the proof with this verifier key (or @FILE)')
    .option('--format <format>', 'text or json')
    .addHelpText('after', ['', 'Examples:', '  $ steadyops ledger consistency 1000 2000', '  $ steadyops ledger checkpoint --list'].join('\n'))
    .action(async (oldSize: string, newSize: string, options: { publicKey?: string; format?: string }) => {
      const proof = await withRuntime(runtimeOptions(), async ({ ledger: store }) => {
        const result = await store.consistencyProof(toSize(oldSize), toSize(newSize));
        verifyConsistencyOffline({ ...result, hashes: [...result.hashes] }, options.publicKey ? await readKeyOption(options.publicKey, ctx.cwd) : await store.verifierKey());
        return result;
      }).catch((error: unknown) => {
        if (error instanceof SteadyopsError) throw error;
        throw new SteadyopsError('SO_E_PROOF_INVALID', { detail: `consistency does not hold: ${(error as Error).message}` });
      });
      if (json(options.format)) ctx.stdout(`${JSON.stringify(proof, null, 2)}\n`);
      else ctx.stdout(`consistent: the log at ${proof.newSize} extends the log at ${proof.oldSize} (${proof.hashes.length} proof hashes, verified)\n`);
    });

  ledger
    .command('checkpoint')
    .description('Print the latest signed checkpoint (C2SP signed note), signing a new one if events arrived since')
    .option('--list', 'list the sizes of every stored checkpoint')
    .addHelpText('after', ['', 'Examples:', '  $ steadyops ledger checkpoint > witness/checkpoint.txt', '  $ steadyops ledger checkpoint --list'].join('\n'))
    .action(async (options: { list?: boolean }) => {
      await withRuntime(runtimeOptions(), async ({ ledger: store, store: database }) => {
        await store.cutCheckpoint();
        if (options.list) {
          const rows = await database.db.selectFrom('checkpoints').select(['size', 'created_ms']).orderBy('size').execute();
          ctx.stdout(rows.map((row) => `${row.size}\t${new Date(row.created_ms).toISOString()}`).join('\n') + '\n');
          return;
        }
        const latest = await store.latestCheckpoint();
        ctx.stdout(latest?.note ?? '');
      });
    });

  ledger
    .command('key')
    .description('Print the verifier key that checks this ledger\'s checkpoints')
    .addHelpText('after', ['', 'Examples:', '  $ steadyops ledger key > ledger.vkey'].join('\n'))
    .action(async () => {
      ctx.stdout(`${await withRuntime(runtimeOptions(), ({ ledger: store }) => store.verifierKey())}\n`);
    });
}

async function findEvent(ledger: Pick<Ledger, 'findById' | 'getBySeq'>, eventId: string, source: string | undefined): Promise<LedgerEvent> {
  const matches = await findEventsByRef(ledger, eventId, source);
  if (matches.length === 0) throw new SteadyopsError('SO_E_NOT_FOUND', { what: 'event', id: eventId });
  if (matches.length > 1) {
    throw new SteadyopsError('SO_E_USAGE', {
      detail: `${matches.length} events have id ${eventId}; pick one with --source (${matches.map((event) => event.source).join(', ')})`,
    });
  }
  return matches[0] as LedgerEvent;
}

function toSize(text: string): number {
  if (!/^\d+$/.test(text)) throw new SteadyopsError('SO_E_USAGE', { detail: `"${text}" is not a tree size (a whole number)` });
  return Number(text);
}

async function readText(file: string, cwd: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `cannot read ${file}: ${(error as Error).message}` });
  }
}

async function readKeyOption(value: string, cwd: string): Promise<string> {
  return (value.startsWith('@') ? await readText(value.slice(1), cwd) : value).trim();
}

function parseJsonFile<T extends z.ZodType>(schema: T, text: string, file: string): z.infer<T> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `${file}: not JSON: ${(error as Error).message}` });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new SteadyopsError(
      'SO_E_INPUT_INVALID',
      { detail: `${file} is not a steadyops proof` },
      parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || '(root)', message: issue.message })),
    );
  }
  return parsed.data;
}
