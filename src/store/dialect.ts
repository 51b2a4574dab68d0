import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { CompiledQuery, PostgresDialect, SqliteDialect, sql, type Dialect, type Kysely, type Transaction } from 'kysely';
import type { Schema } from './schema.ts';

export interface LedgerHead {
  readonly size: number;
  readonly frontier: Buffer;
  readonly checkpoint_size: number;
}

export type BulkTable = 'events' | 'merkle_nodes';
export type BulkRow = Readonly<Record<string, string | number | Buffer | null>>;

/**
 * Everything that differs between SQLite and PostgreSQL lives here, and nowhere else:
 * connection setup, binary and integer column types, how the ledger's single ordering point is
 * locked, and the fastest way each driver takes a thousand rows.
 */
export interface StoreDialect {
  readonly name: 'sqlite' | 'postgres';
  readonly kysely: Dialect;
  readonly bytesType: 'blob' | 'bytea';
  readonly bigintType: 'integer' | 'bigint';
  /** rows per multi-row statement that stay under the driver's bound-parameter limit */
  readonly maxParameters: number;
  /** the PostgreSQL schema the store lives in, when not the default */
  readonly schema?: string;
  /**
   * whether appends should canonicalise and hash on a worker thread: worth it when the database's
   * own work runs on this thread (SQLite), not when a database server process needs that core
   */
  readonly prepareOffThread: boolean;
  /** takes the ledger's write lock for the rest of the transaction and reads the ledger head */
  lockLedger(trx: Transaction<Schema>): Promise<LedgerHead>;
  /** inserts rows that all have the same columns, inside the caller's transaction */
  bulkInsert(trx: Transaction<Schema>, table: BulkTable, rows: readonly BulkRow[]): Promise<void>;
  /** SQL for the text value of a top-level attribute of a JSON document stored as bytes */
  jsonAttribute(column: 'canonical', attribute: string): ReturnType<typeof sql<string | null>>;
  /** runs before migrations (e.g. creates the PostgreSQL schema) */
  prepare(db: Kysely<Schema>): Promise<void>;
}

const readHead = (trx: Transaction<Schema>): Promise<LedgerHead> =>
  trx.selectFrom('ledger_state').select(['size', 'frontier', 'checkpoint_size']).where('id', '=', 1).executeTakeFirstOrThrow();

export async function createSqliteDialect(file: string): Promise<StoreDialect> {
  const database = new BetterSqlite3(file);
  database.pragma('journal_mode = WAL');
  // FULL: an acknowledged append survives a power cut, not only a process crash
  database.pragma('synchronous = FULL');
  database.pragma('busy_timeout = 10000');
  database.pragma('foreign_keys = ON');
  const inserts = new Map<string, BetterSqlite3.Statement>();
  return {
    name: 'sqlite',
    kysely: new SqliteDialect({ database: withStatementCache(database) }),
    bytesType: 'blob',
    bigintType: 'integer',
    maxParameters: 32_000,
    prepareOffThread: true,
    async lockLedger(trx) {
      // a write first takes SQLite's RESERVED lock (waiting on busy_timeout), so the read that
      // follows can never be invalidated by another process's commit
      await sql`update ledger_state set size = size where id = 1`.execute(trx);
      return readHead(trx);
    },
    async bulkInsert(_trx, table, rows) {
      // better-sqlite3 is synchronous on the one connection Kysely's transaction holds, so these run
      // inside that transaction; a cached single-row statement beats one huge multi-row statement
      const first = rows[0];
      if (!first) return;
      const columns = Object.keys(first);
      const key = `${table}(${columns.join(',')})`;
      let insert = inserts.get(key);
      if (!insert) {
        insert = database.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map((column) => `@${column}`).join(', ')})`);
        inserts.set(key, insert);
      }
      // named parameters bind straight from the row object: no array per row
      for (const row of rows) insert.run(row);
    },
    jsonAttribute(column, attribute) {
      return sql<string | null>`json_extract(cast(${sql.ref(column)} as text), ${`$.${attribute}`})`;
    },
    async prepare() {},
  };
}

/**
 * Kysely prepares every query anew; better-sqlite3 statements are reusable, so the same SQL text
 * (the same query shape) is prepared once.
 */
function withStatementCache(database: BetterSqlite3.Database): { prepare(text: string): BetterSqlite3.Statement; close(): void } {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    prepare(text) {
      let statement = cache.get(text);
      if (!statement) {
        if (cache.size >= 500) cache.clear();
        statement = database.prepare(text);
        cache.set(text, statement);
      }
      return statement;
    },
    close: () => database.close(),
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
  const maxParameters = 65_000;
  const statements = new Map<string, string>();
  return {
    name: 'postgres',
    kysely: new PostgresDialect({ pool }),
    bytesType: 'bytea',
    bigintType: 'bigint',
    maxParameters,
    prepareOffThread: false,
    ...(schema ? { schema } : {}),
    async lockLedger(trx) {
      return trx
        .selectFrom('ledger_state')
        .select(['size', 'frontier', 'checkpoint_size'])
        .where('id', '=', 1)
        .forUpdate()
        .executeTakeFirstOrThrow();
    },
    async bulkInsert(trx, table, rows) {
      const first = rows[0];
      if (!first) return;
      const columns = Object.keys(first);
      const perStatement = Math.floor(maxParameters / columns.length);
      for (let at = 0; at < rows.length; at += perStatement) {
        const chunk = rows.slice(at, at + perStatement);
        const key = `${table}(${columns.join(',')})x${chunk.length}`;
        let text = statements.get(key);
        if (!text) {
          const tuples = chunk.map((_, r) => `(${columns.map((_c, c) => `$${r * columns.length + c + 1}`).join(', ')})`);
          text = `insert into ${table} (${columns.join(', ')}) values ${tuples.join(', ')}`;
          if (statements.size > 64) statements.clear();
          statements.set(key, text);
        }
        await trx.executeQuery(CompiledQuery.raw(text, chunk.flatMap((row) => columns.map((column) => row[column]))));
      }
    },
    jsonAttribute(column, attribute) {
      return sql<string | null>`(convert_from(${sql.ref(column)}, 'UTF8')::jsonb ->> ${attribute})`;
    },
    async prepare(db) {
      if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
    },
  };
}
