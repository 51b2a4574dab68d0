import { describe, expect, it } from 'vitest';
import { emptyModel, type ResolvedModel, type ResolvedService } from '../../model/resolve.ts';
import { loadSqlParser } from '../../release/rollback/sql-parser.ts';
import type { AuditWarning } from '../facts.ts';
import { commentsOf, migrationFolders, scanMigrationFolder } from './migration-scanner.ts';

function collect() {
  const warnings: AuditWarning[] = [];
  return { warnings, warn: (location: AuditWarning['location'], message: string) => warnings.push({ location, message }) };
}

const service = (name: string, migrations?: ResolvedService['migrations']): ResolvedService =>
  ({ name, owner: 'shop', tier: 1, lifecycle: 'production', labels: {}, annotations: {}, ...(migrations ? { migrations } : {}) }) as ResolvedService;
const modelWith = (...services: ResolvedService[]): ResolvedModel => ({ ...emptyModel(), services });

describe('migrationFolders', () => {
  const files = [
    'api/migrations/versions/1a2b_add_orders.py',
    'api/migrations/env.py',
    'db/migrate/20240101000000_create_users.rb',
    'prisma/migrations/20240101_init/migration.sql',
    'sql/migrations/000001_init.up.sql',
    'sql/migrations/000001_init.down.sql',
    'java/src/main/resources/db/migration/V1__init.sql',
    'tools/migrations/001_init.sql',
    'shop/orders/migrations/0001_initial.py',
    'docs/migrations.md',
  ];

  it('without a model: the conventional folders, with the layout their place or their file names tell', () => {
    const { warnings, warn } = collect();
    expect(migrationFolders(files, undefined, () => undefined, warn)).toEqual([
      { path: 'api/migrations/versions', layout: 'alembic' },
      { path: 'db/migrate', layout: 'rails' },
      { path: 'prisma/migrations', layout: 'prisma' },
      { path: 'sql/migrations', layout: 'golang-migrate' },
      { path: 'java/src/main/resources/db/migration', layout: 'flyway' },
      { path: 'tools/migrations', layout: 'sql' },
    ]);
    expect(warnings).toEqual([]);
  });

  it('with a model that declares them: only its paths (once each), and a warning for a path with no files', () => {
    const { warnings, warn } = collect();
    const model = modelWith(
      service('orders', { paths: ['./sql/migrations/'], layout: 'golang-migrate' }),
      service('reports', { paths: ['sql/migrations'], layout: 'golang-migrate' }),
      service('billing', { paths: ['billing/migrations'], layout: 'sql' }),
      service('search'),
    );
    expect(migrationFolders(files, model, (name) => ({ file: '.steadyops/services.yaml', line: name === 'billing' ? 30 : 1 }), warn)).toEqual([
      { path: 'sql/migrations', layout: 'golang-migrate' },
      { path: 'billing/migrations', layout: 'sql' },
    ]);
    expect(warnings).toEqual([{ location: { file: '.steadyops/services.yaml', line: 30 }, message: 'service billing declares migrations at billing/migrations, but no files are there' }]);
  });

  it('a model whose services declare no migrations leaves the conventional folders', () => {
    const { warn } = collect();
    expect(migrationFolders(['migrations/001.sql'], modelWith(service('search')), () => undefined, warn)).toEqual([{ path: 'migrations', layout: 'sql' }]);
  });
});

describe('scanMigrationFolder', () => {
  it('classifies every forward migration statement by statement, with its reverse', async () => {
    const { warnings, warn } = collect();
    const texts = new Map([
      ['db/V1__init.sql', 'CREATE TABLE invoices (id bigint PRIMARY KEY);\n'],
      ['db/V2__drop.sql', '-- gone\nALTER TABLE invoices DROP COLUMN legacy;\nTRUNCATE audit_log; /* expand/contract:\n   step 2 */\n'],
      ['db/U2__drop.sql', 'ALTER TABLE invoices ADD COLUMN legacy text;\n'],
      ['db/README.md', '# notes'],
    ]);
    expect(scanMigrationFolder({ path: 'db', layout: 'flyway' }, texts, await loadSqlParser(), warn)).toEqual([
      {
        file: 'db/V1__init.sql',
        layout: 'flyway',
        hasReverse: false,
        statements: [{ line: 1, text: 'CREATE TABLE invoices (id bigint PRIMARY KEY)', class: 'safe', reason: expect.stringMatching(/^Creates table invoices/) }],
        comments: [],
      },
      {
        file: 'db/V2__drop.sql',
        layout: 'flyway',
        hasReverse: true,
        statements: [
          { line: 2, text: 'ALTER TABLE invoices DROP COLUMN legacy', class: 'data-loss', reason: expect.stringMatching(/^Drops column invoices\.legacy/) },
          { line: 3, text: 'TRUNCATE audit_log', class: 'data-loss', reason: expect.stringMatching(/^Empties audit_log/) },
        ],
        comments: ['gone', 'expand/contract: step 2'],
      },
    ]);
    expect(warnings).toEqual([]);
  });

  it('a statement PostgreSQL cannot parse is a warning at its file:line:col; the migration is left out', async () => {
    const { warnings, warn } = collect();
    const texts = new Map([
      ['migrations/001_ok.sql', 'CREATE TABLE t (id int);\n'],
      ['migrations/002_bad.sql', 'CREATE TABLE u (id int);\nALTER TABLE t ADD COLUMN;\n'],
    ]);
    expect(scanMigrationFolder({ path: 'migrations', layout: 'sql' }, texts, await loadSqlParser(), warn).map((migration) => migration.file)).toEqual(['migrations/001_ok.sql']);
    expect(warnings).toEqual([{ location: { file: 'migrations/002_bad.sql', line: 2, column: 25 }, message: 'SQL syntax: syntax error at or near ";"; the migration is not classified' }]);
  });
});

describe('commentsOf', () => {
  it('reads Ruby and Python comments, not Ruby interpolation', () => {
    expect(commentsOf('# expand/contract, phase 1\nclass Rename < ActiveRecord::Migration[7.1]\n  def up\n    say "#{name}"  # dual writes\n  end\nend\n', 'ruby')).toEqual([
      'expand/contract, phase 1',
      'dual writes',
    ]);
  });
});
