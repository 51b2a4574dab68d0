import BetterSqlite3 from 'better-sqlite3';
import type { EventsTable } from '../src/store/schema.ts';

/** The `events` table of migration 0001 (same columns, same five indexes), for the raw baselines. */
export const rawEventsDdl = [
  `create table events (seq integer primary key, event_id text not null, source text not null, type text not null,
     subject text, environment text, actor text not null, time_ms integer not null, ingested_ms integer not null,
     canonical blob not null, leaf_hash blob not null)`,
  'create unique index events_source_id on events (source, event_id)',
  'create index events_time on events (time_ms)',
  'create index events_subject_time on events (subject, time_ms)',
  'create index events_type_time on events (type, time_ms)',
  'create index events_event_id on events (event_id)',
];

export const rawEventsPostgresDdl = rawEventsDdl.map((statement) =>
  statement.replace('seq integer', 'seq bigint').replaceAll('integer not null', 'bigint not null').replaceAll('blob', 'bytea'),
);

export const eventColumns = ['seq', 'event_id', 'source', 'type', 'subject', 'environment', 'actor', 'time_ms', 'ingested_ms', 'canonical', 'leaf_hash'] as const;

/** A better-sqlite3 database with the product's pragmas (WAL, synchronous=FULL) and the events table. */
export function openRawSqlite(file: string): BetterSqlite3.Database {
  const database = new BetterSqlite3(file);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  for (const statement of rawEventsDdl) database.exec(statement);
  return database;
}

/** Inserts rows with one prepared statement, one transaction per batch; returns the statement-bound inserter. */
export function rawSqliteInserter(database: BetterSqlite3.Database): (rows: readonly EventsTable[]) => void {
  const insert = database.prepare(`insert into events (${eventColumns.join(', ')}) values (${eventColumns.map(() => '?').join(', ')})`);
  return database.transaction((rows: readonly EventsTable[]) => {
    for (const row of rows) insert.run(rowValues(row));
  });
}

export function rowValues(row: EventsTable): unknown[] {
  return eventColumns.map((column) => row[column]);
}
