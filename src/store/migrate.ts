import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { StoreDialect } from './dialect.ts';
import { ledgerMigration } from './migrations/0001-ledger.ts';
import type { Schema } from './schema.ts';

export function migrationsFor(dialect: StoreDialect): Record<string, Migration> {
  return {
    '0001-ledger': ledgerMigration(dialect),
  };
}

export async function migrateToLatest(db: Kysely<Schema>, dialect: StoreDialect): Promise<void> {
  const provider: MigrationProvider = { getMigrations: async () => migrationsFor(dialect) };
  const migrator = new Migrator({ db, provider, ...(dialect.schema ? { migrationTableSchema: dialect.schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${String(error)}`, { cause: error });
  }
}
