import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { startSpinner } from './render/terminal-spinner.ts';
import { createAuditService, type AuditRunOptions, type AuditRunResult, type AuditService } from '../audit/audit-service.ts';
import type { Ledger } from '../ledger/types.ts';
import { SteadyopsError } from '../lib/errors.ts';
import type { CliContext } from './context.ts';
import { withRuntime } from './runtime.ts';

export interface AuditTarget {
  /** the repository folder (default: the current folder) */
  readonly path?: string;
  /** false with --no-ledger */
  readonly ledger: boolean;
}

export interface AuditSession {
  readonly service: AuditService;
  readonly root: string;
  readonly ledger?: Ledger;
}

/**
 * Opens the local ledger when there is one (--db / STEADYOPS_DB; an SQLite file that does not exist means
 * none, and the audit says so on stderr) and gives an audit service over the repository folder.
 */
export async function withAuditService<T>(ctx: CliContext, target: AuditTarget, work: (session: AuditSession) => Promise<T>): Promise<T> {
  const globals = ctx.globals();
  if (globals.server) throw new SteadyopsError('SO_E_USAGE', { detail: 'the audit reads the repository on this machine and does not use --server; POST /api/v1/audit/runs audits the server\'s own repository' });
  const root = resolve(ctx.cwd, target.path ?? '.');
  const local = (ledger?: Ledger) => work({ service: createAuditService({ root, clock: ctx.clock, ...(ledger ? { ledger } : {}) }), root, ...(ledger ? { ledger } : {}) });
  if (!target.ledger) {
    ctx.stderr('ledger: not read (--no-ledger); the ledger controls do not apply and the run is not recorded\n');
    return local();
  }
  const missing = missingSqliteFile(globals.db, ctx.cwd);
  if (missing) {
    ctx.stderr(`ledger: none at ${missing}; the ledger controls do not apply and the run is not recorded (set --db or STEADYOPS_DB to use one)\n`);
    return local();
  }
  return withRuntime({ db: globals.db, cwd: ctx.cwd, env: ctx.env, clock: ctx.clock }, async ({ ledger }) => {
    const result = await local(ledger);
    await ledger.cutCheckpoint();
    return result;
  });
}

/** The SQLite file of the URL when it does not exist (opening it would create an empty ledger). */
function missingSqliteFile(db: string, cwd: string): string | undefined {
  if (!db.startsWith('sqlite:') || db.includes(':memory:')) return undefined;
  const file = resolve(cwd, db.slice('sqlite:'.length).replace(/^\/\//, ''));
  return existsSync(file) ? undefined : relative(cwd, file) || file;
}

/** Runs the audit with a spinner counting the files scanned (on a real terminal only). */
export async function runWithProgress(service: AuditService, options: Omit<AuditRunOptions, 'onProgress'>): Promise<AuditRunResult> {
  const progress = scanProgress('auditing');
  try {
    return await service.run({ ...options, onProgress: progress.onProgress });
  } finally {
    progress.stop();
  }
}

function scanProgress(activity: string): { onProgress: (files: number) => void; stop: () => void } {
  const spinner = startSpinner(activity);
  if (!spinner) return { onProgress: () => undefined, stop: () => undefined };
  return {
    onProgress: (files) => spinner.update({ text: `${activity}: ${files} files` }),
    stop: () => {
      spinner.clear();
      spinner.stop();
    },
  };
}

/** Who ran it, for the ledger: the person at the terminal. */
export function cliActor(ctx: CliContext): string {
  return `cli:${ctx.env.STEADYOPS_USER ?? ctx.env.USER ?? 'unknown'}`;
}

/** The audited folder relative to its git repository (`examples/demo`), for SARIF and GitHub paths. */
export function pathInRepository(root: string): string {
  for (let folder = root; ; folder = dirname(folder)) {
    if (existsSync(join(folder, '.git'))) return relative(folder, root).split(sep).join('/');
    if (dirname(folder) === folder) return '';
  }
}
