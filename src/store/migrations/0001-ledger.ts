import { sql, type Kysely, type Migration } from 'kysely';
import type { StoreDialect } from '../dialect.ts';

/** The ledger, its Merkle nodes and checkpoints, signing keys, tokens, and the first projection. Frozen. */
export function ledgerMigration(dialect: StoreDialect): Migration {
  const bytes = dialect.bytesType;
  const bigint = dialect.bigintType;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('events')
        .addColumn('seq', bigint, (c) => c.primaryKey())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('subject', 'text')
        .addColumn('environment', 'text')
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('time_ms', bigint, (c) => c.notNull())
        .addColumn('ingested_ms', bigint, (c) => c.notNull())
        .addColumn('canonical', bytes, (c) => c.notNull())
        .addColumn('leaf_hash', bytes, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('events_source_id').unique().on('events').columns(['source', 'event_id']).execute();
      await db.schema.createIndex('events_time').on('events').column('time_ms').execute();
      await db.schema.createIndex('events_subject_time').on('events').columns(['subject', 'time_ms']).execute();
      await db.schema.createIndex('events_type_time').on('events').columns(['type', 'time_ms']).execute();
      await db.schema.createIndex('events_event_id').on('events').column('event_id').execute();

      await db.schema
        .createTable('merkle_nodes')
        .addColumn('level', 'integer', (c) => c.notNull())
        .addColumn('idx', bigint, (c) => c.notNull())
        .addColumn('hash', bytes, (c) => c.notNull())
        .addPrimaryKeyConstraint('merkle_nodes_pk', ['level', 'idx'])
        .execute();

      await db.schema
        .createTable('ledger_state')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('size', bigint, (c) => c.notNull())
        .addColumn('frontier', bytes, (c) => c.notNull())
        .addColumn('checkpoint_size', bigint, (c) => c.notNull())
        .addColumn('updated_ms', bigint, (c) => c.notNull())
        .execute();
      await sql`insert into ledger_state (id, size, frontier, checkpoint_size, updated_ms) values (1, 0, ${Buffer.alloc(0)}, 0, 0)`.execute(db);

      await db.schema
        .createTable('checkpoints')
        .addColumn('size', bigint, (c) => c.primaryKey())
        .addColumn('root_hash', bytes, (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('created_ms', bigint, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('signing_keys')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('verifier_key', 'text', (c) => c.notNull())
        .addColumn('created_ms', bigint, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_ms', bigint, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('expires_ms', bigint)
        .addColumn('revoked_ms', bigint)
        .addColumn('last_used_ms', bigint)
        .execute();

      await db.schema
        .createTable('subject_activity')
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('last_seq', bigint, (c) => c.notNull())
        .addColumn('last_time_ms', bigint, (c) => c.notNull())
        .addColumn('event_count', bigint, (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('subject_activity_pk', ['subject', 'type'])
        .execute();
    },
  };
}
