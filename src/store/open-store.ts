import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Kysely } from 'kysely';
import { SteadyopsError } from '../lib/errors.ts';
import { createPostgresDialect, createSqliteDialect, type StoreDialect } from './dialect.ts';
import { migrateToLatest } from './migrate.ts';
import type { Schema } from './schema.ts';

export const defaultDatabaseUrl = 'sqlite:.steadyops/steadyops.db';

export interface Store {
  readonly db: Kysely<Schema>;
  readonly dialect: StoreDialect;
  /** the URL it was opened with, so another thread can open its own connection (may hold credentials) */
  readonly url: string;
  /** the URL without credentials, for messages */
  readonly label: string;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens `sqlite:PATH` (or `sqlite::memory:`) or `postgres://...` (optionally `?schema=NAME`),
 * and migrates it to the latest schema.
 */
export async function openStore(
  url: string = defaultDatabaseUrl,
  cwd: string = process.cwd(),
  options: { migrate?: boolean } = {},
): Promise<Store> {
  const { dialect, label } = await dialectFor(url, cwd);
  const db = new Kysely<Schema>({ dialect: dialect.kysely });
  try {
    if (options.migrate !== false) {
      await dialect.prepare(db);
      await migrateToLatest(db, dialect);
    }
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw new SteadyopsError('SO_E_DB_UNAVAILABLE', { target: label, detail: (error as Error).message }, [], { cause: error });
  }
  return {
    db,
    dialect,
    url: url.startsWith('sqlite:') && !url.includes(':memory:') ? `sqlite:${resolve(cwd, url.slice('sqlite:'.length).replace(/^\/\//, ''))}` : url,
    label,
    async ping() {
      await db.selectFrom('ledger_state').select('size').where('id', '=', 1).executeTakeFirstOrThrow();
    },
    async close() {
      await db.destroy();
    },
  };
}

async function dialectFor(url: string, cwd: string): Promise<{ dialect: StoreDialect; label: string }> {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (path === ':memory:') return { dialect: await createSqliteDialect(':memory:'), label: url };
    const file = resolve(cwd, path);
    mkdirSync(dirname(file), { recursive: true });
    try {
      return { dialect: await createSqliteDialect(file), label: `sqlite:${file}` };
    } catch (error) {
      throw new SteadyopsError('SO_E_DB_UNAVAILABLE', { target: `sqlite:${file}`, detail: (error as Error).message });
    }
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const parsed = new URL(url);
    parsed.password = parsed.password ? '***' : '';
    return { dialect: await createPostgresDialect(url), label: parsed.toString() };
  }
  throw new SteadyopsError('SO_E_USAGE', {
    detail: `unsupported database URL "${url}"; use sqlite:PATH (e.g. ${defaultDatabaseUrl}) or postgres://user@host:5432/db`,
  });
}
