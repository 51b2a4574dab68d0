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

/** A range of the log read in one aggregate row: everything verification needs, in sequence order. */
export interface RangeRead {
  readonly count: number;
  readonly firstSeq: number | null;
  readonly lastSeq: number | null;
  /** the sequence numbers in the order of everything below */
  readonly seqs: readonly number[];
  /** every event's canonical bytes, back to back; `lengths` cuts them apart */
  readonly canonical: Buffer;
  readonly lengths: readonly number[];
  /** every stored leaf hash, 32 bytes each */
  readonly leaves: Buffer;
  /**
   * the first sequence number whose indexed columns (time_ms included) disagree with its hashed
   * event as the database reads it; the caller re-checks such a range itself, since a database may
   * read some valid timestamp forms differently
   */
  readonly firstBadColumns: number | null;
}
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
  /** reads events first..last as one aggregate row (one round trip, no per-row objects) */
  readRange(db: Kysely<Schema>, first: number, last: number): Promise<RangeRead>;
  /** runs before migrations (e.g. creates the PostgreSQL schema) */
  prepare(db: Kysely<Schema>): Promise<void>;
}

interface AggregateRow {
  count: number | string;
  seqs: string | null;
  first_seq: number | null;
  last_seq: number | null;
  canonical: Buffer | string | null;
  lengths: string | null;
  leaves: Buffer | string | null;
  first_bad_columns: number | null;
}

const numbers = (list: string | null): number[] => (list ? list.split(',').map(Number) : []);

type Attribute = (name: string) => ReturnType<typeof sql<string | null>>;
type EpochMs = (time: ReturnType<typeof sql<string | null>>) => ReturnType<typeof sql<number | null>>;

/** Whether the hashed event's id, source, type, actor, subject and time are the indexed columns. */
function columnsMatch(attribute: Attribute, epochMs: EpochMs) {
  return sql<boolean>`(${attribute('id')} = event_id and ${attribute('source')} = source and ${attribute('type')} = type and ${attribute('actor')} = actor and ${attribute('subject')} is not distinct from subject and ${epochMs(attribute('time'))} = time_ms)`;
}

function toRangeRead(row: AggregateRow, bytes: (value: Buffer | string | null) => Buffer): RangeRead {
  return {
    count: Number(row.count),
    firstSeq: row.first_seq === null ? null : Number(row.first_seq),
    lastSeq: row.last_seq === null ? null : Number(row.last_seq),
    seqs: numbers(row.seqs),
    canonical: bytes(row.canonical),
    lengths: numbers(row.lengths),
    leaves: bytes(row.leaves),
    firstBadColumns: row.first_bad_columns === null ? null : Number(row.first_bad_columns),
  };
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
    async readRange(db, first, last) {
      const attribute = (name: string) => sql<string | null>`json_extract(cast(canonical as text), ${`$.${name}`})`;
      // no ORDER BY inside the aggregates: a rowid range scan yields sequence order, an aggregate sort
      // would double the cost, and `seqs` lets the caller confirm the order (else it reads row by row).
      // Canonical bytes are UTF-8 JSON text; bytes that are not come back altered, fail their leaf
      // hash, and send the caller down the exact path.
      const { rows } = await sql<AggregateRow>`select count(*) as count, min(seq) as first_seq, max(seq) as last_seq,
          group_concat(seq, ',') as seqs,
          group_concat(cast(canonical as text), '') as canonical,
          group_concat(length(canonical), ',') as lengths,
          group_concat(hex(leaf_hash), '') as leaves,
          min(case when ${columnsMatch(attribute, (time) => sql<number | null>`cast(round(unixepoch(${time}, 'subsec') * 1000) as integer)`)} then null else seq end) as first_bad_columns
        from events where seq between ${first} and ${last}`.execute(db);
      const row = rows[0] as AggregateRow;
      return toRangeRead(row, (value) => Buffer.from(typeof value === 'string' ? value : '', value === row.leaves ? 'hex' : 'utf8'));
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
  // bound parameters per statement stay under PostgreSQL's limit of 65,535
  const maxParameters = 65_000;
  const statements = new Map<string, string>();
  return {
    name: 'postgres',
    kysely: new PostgresDialect({ pool }),
    bytesType: 'bytea',
    bigintType: 'bigint',
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
    async readRange(db, first, last) {
      const attribute = (name: string) => sql<string | null>`(document ->> ${name})`;
      const { rows } = await sql<AggregateRow>`select count(*) as count, min(seq) as first_seq, max(seq) as last_seq,
          string_agg(seq::text, ',' order by seq) as seqs,
          string_agg(canonical, ''::bytea order by seq) as canonical,
          string_agg(length(canonical)::text, ',' order by seq) as lengths,
          string_agg(leaf_hash, ''::bytea order by seq) as leaves,
          min(case when ${columnsMatch(attribute, (time) => sql<number | null>`round(extract(epoch from (${time})::timestamptz) * 1000)::bigint`)} then null else seq end) as first_bad_columns
        from (select *, convert_from(canonical, 'UTF8')::jsonb as document from events where seq between ${first} and ${last}) as range`.execute(db);
      return toRangeRead(rows[0] as AggregateRow, (value) => (Buffer.isBuffer(value) ? value : Buffer.alloc(0)));
    },
    async prepare(db) {
      if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
    },
  };
}
