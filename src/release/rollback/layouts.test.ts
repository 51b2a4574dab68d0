import { describe, expect, it } from 'vitest';
import { planMigrations } from './layouts.ts';
import type { ChangedFile } from './types.ts';

const added = (...paths: string[]): ChangedFile[] => paths.map((path) => ({ status: 'added', path }));

describe('planMigrations', () => {
  it('sql: every .sql file is a migration; NAME.down.sql or NAME.undo.sql reverses NAME.sql or NAME.up.sql', () => {
    const plan = planMigrations(
      'sql',
      added('migrations/0003_backfill.sql', 'migrations/0004_drop.up.sql', 'migrations/0004_drop.down.sql', 'migrations/README.md'),
      ['migrations/0001.sql', 'migrations/0003_backfill.sql', 'migrations/0003_backfill.undo.sql', 'migrations/0004_drop.up.sql', 'migrations/0004_drop.down.sql'],
    );
    expect(plan.units).toEqual([
      { path: 'migrations/0003_backfill.sql', status: 'added', language: 'sql', reverseKind: 'file', reversePath: 'migrations/0003_backfill.undo.sql' },
      { path: 'migrations/0004_drop.up.sql', status: 'added', language: 'sql', reverseKind: 'file', reversePath: 'migrations/0004_drop.down.sql' },
    ]);
    expect(plan.skipped).toEqual([
      { path: 'migrations/0004_drop.down.sql', reason: 'a reverse migration; it is read with its forward migration' },
      { path: 'migrations/README.md', reason: 'not a .sql file' },
    ]);
  });

  it('flyway: V<version>__ are migrations in version order, U<same version>__ undoes one, R__ repeatable ones have no undo', () => {
    const files = ['db/V1__init.sql', 'db/V2__add.sql', 'db/V10__drop.sql', 'db/U10__drop.sql', 'db/V1_1__patch.sql', 'db/U1.1__patch.sql', 'db/R__views.sql'];
    const plan = planMigrations('flyway', added('db/V10__drop.sql', 'db/V2__add.sql', 'db/V1_1__patch.sql', 'db/R__views.sql', 'db/notes.sql', 'db/U10__drop.sql'), files);
    expect(plan.units.map((unit) => [unit.path, unit.reversePath])).toEqual([
      ['db/R__views.sql', undefined],
      ['db/V1_1__patch.sql', 'db/U1.1__patch.sql'],
      ['db/V2__add.sql', undefined],
      ['db/V10__drop.sql', 'db/U10__drop.sql'],
    ]);
    expect(plan.skipped.map((file) => file.path)).toEqual(['db/notes.sql', 'db/U10__drop.sql']);
    expect(plan.skipped[0]?.reason).toContain('V<version>__<description>.sql');
  });

  it('golang-migrate: <n>_title.up.sql runs forward and <n>_title.down.sql reverses it', () => {
    const plan = planMigrations('golang-migrate', added('migrations/000002_add.up.sql', 'migrations/000002_add.down.sql', 'migrations/000003_drop.up.sql', 'migrations/000003_drop.sql'), [
      'migrations/000001_init.up.sql',
      'migrations/000001_init.down.sql',
      'migrations/000002_add.up.sql',
      'migrations/000002_add.down.sql',
      'migrations/000003_drop.up.sql',
    ]);
    expect(plan.units.map((unit) => [unit.path, unit.reverseKind, unit.reversePath])).toEqual([
      ['migrations/000002_add.up.sql', 'file', 'migrations/000002_add.down.sql'],
      ['migrations/000003_drop.up.sql', 'none', undefined],
    ]);
    expect(plan.skipped.map((file) => file.path)).toEqual(['migrations/000002_add.down.sql', 'migrations/000003_drop.sql']);
  });

  it("prisma: each <timestamp>_name/migration.sql is a migration; a down.sql beside it reverses it; the lock file is not one", () => {
    const plan = planMigrations(
      'prisma',
      added('prisma/migrations/20240301120000_backfill/migration.sql', 'prisma/migrations/20240201120000_add/migration.sql', 'prisma/migrations/migration_lock.toml'),
      ['prisma/migrations/20240201120000_add/migration.sql', 'prisma/migrations/20240301120000_backfill/migration.sql', 'prisma/migrations/20240301120000_backfill/down.sql'],
    );
    expect(plan.units.map((unit) => [unit.path, unit.reversePath])).toEqual([
      ['prisma/migrations/20240201120000_add/migration.sql', undefined],
      ['prisma/migrations/20240301120000_backfill/migration.sql', 'prisma/migrations/20240301120000_backfill/down.sql'],
    ]);
    expect(plan.skipped).toEqual([{ path: 'prisma/migrations/migration_lock.toml', reason: "Prisma's lock file" }]);
  });

  it('rails: db/migrate/<timestamp>_name.rb are Ruby migrations reversed in the same file', () => {
    const plan = planMigrations('rails', added('db/migrate/20240301120000_drop_legacy.rb', 'db/migrate/helpers.rb', 'db/schema.rb'), []);
    expect(plan.units).toEqual([{ path: 'db/migrate/20240301120000_drop_legacy.rb', status: 'added', language: 'ruby', reverseKind: 'in-file' }]);
    expect(plan.skipped.map((file) => file.path)).toEqual(['db/migrate/helpers.rb', 'db/schema.rb']);
  });

  it("alembic: versions/*.py are Python revisions reversed by downgrade(); env.py and caches are not", () => {
    const plan = planMigrations('alembic', added('alembic/versions/3f2a_drop_legacy.py', 'alembic/env.py', 'alembic/versions/__pycache__/3f2a.cpython-312.pyc', 'alembic/script.py.mako'), []);
    expect(plan.units).toEqual([{ path: 'alembic/versions/3f2a_drop_legacy.py', status: 'added', language: 'python', reverseKind: 'in-file' }]);
    expect(plan.skipped.map((file) => file.path)).toEqual(['alembic/env.py', 'alembic/versions/__pycache__/3f2a.cpython-312.pyc', 'alembic/script.py.mako']);
  });

  it('skips deleted files and keeps modified ones, marked as modified', () => {
    const plan = planMigrations('sql', [
      { status: 'deleted', path: 'm/0001.sql' },
      { status: 'modified', path: 'm/0002.sql' },
    ], ['m/0002.sql']);
    expect(plan.units).toEqual([{ path: 'm/0002.sql', status: 'modified', language: 'sql', reverseKind: 'none' }]);
    expect(plan.skipped).toEqual([{ path: 'm/0001.sql', reason: expect.stringContaining('deleted') }]);
  });
});
