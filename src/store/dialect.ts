import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { PostgresDialect, SqliteDialect, sql, type Dialect, type Kysely, type Transaction } from 'kysely';
import type { Schema } from './schema.ts';

/**
 * Everything that differs between SQLite and PostgreSQL lives here, and nowhere else:
 * connection setup, binary and integer column types, and how the ledger's single ordering
 * point is locked inside a transaction.
 */
export interface StoreDialect {
  readonly name: 'sqlite' | 'postgres';
  readonly kysely: Dialect;
  readonly bytesType: 'blob' | 'bytea';
  readonly bigintType: 'integer' | 'bigint';
  /** rows per multi-row INSERT that stay under the driver's bound-parameter limit */
  readonly maxParameters: number;
  /** the PostgreSQL schema the store lives in, when not the default */
  readonly schema?: string;
  /** takes the ledger's write lock for the rest of the transaction */
  lockLedger(trx: Transaction<Schema>): Promise<void>;
  /** runs before migrations (e.g. creates the PostgreSQL schema) */
  prepare(db: Kysely<Schema>): Promise<void>;
  close(): Promise<void>;
}

export async function createSqliteDialect(file: string): Promise<StoreDialect> {
  const database = new BetterSqlite3(file);
  database.pragma('journal_mode = WAL');
  // FULL: an acknowledged append survives a power cut, not only a process crash
  database.pragma('synchronous = FULL');
  database.pragma('busy_timeout = 10000');
  database.pragma('foreign_keys = ON');
  return {
    name: 'sqlite',
    kysely: new SqliteDialect({ database }),
    bytesType: 'blob',
    bigintType: 'integer',
    maxParameters: 32_000,
    async lockLedger(trx) {
      // a write first takes SQLite's RESERVED lock (waiting on busy_timeout), so the read that
      // follows can never be invalidated by another process's commit
      await sql`update ledger_state set size = size where id = 1`.execute(trx);
    },
    async prepare() {},
    async close() {
      if (database.open) database.close();
    },
  };
}

export async function createPostgresDialect(url: string): Promise<StoreDialect> {
  const { Pool, types } = pg;
  // int8 as number: sequence numbers and epoch milliseconds stay far below 2^53
  types.setTypeParser(20, (value: string) => Number(value));
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  if (schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const pool = new Pool({
    connectionString: parsed.toString(),
    max: 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  return {
    name: 'postgres',
    kysely: new PostgresDialect({ pool }),
    bytesType: 'bytea',
    bigintType: 'bigint',
    maxParameters: 65_000,
    ...(schema ? { schema } : {}),
    async lockLedger(trx) {
      await sql`select size from ledger_state where id = 1 for update`.execute(trx);
    },
    async prepare(db) {
      if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
    },
    async close() {
      await pool.end();
    },
  };
}
