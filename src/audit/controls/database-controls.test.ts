import { describe, expect, it } from 'vitest';
import { describeControl } from './control-cases.ts';
import { service, withModel } from './control-fixtures.ts';
import { databaseControls, lockingReason } from './database-controls.ts';
import { migration, statement, withMigrations } from './scanned-fixtures.ts';

const control = (id: string) => databaseControls.find((entry) => entry.id === id)!;

const createOrders = statement(2, 'CREATE TABLE orders ( id uuid PRIMARY KEY, status text )');
const dropColumn = statement(4, 'ALTER TABLE orders DROP COLUMN legacy_status', 'data-loss');
const dropTable = statement(5, 'DROP TABLE order_status_history', 'data-loss');
const backfill = statement(3, 'UPDATE orders SET currency = upper(currency) WHERE currency <> upper(currency)', 'data-loss');

describeControl(control('DB-001'), {
  triggers: [
    {
      name: 'drops without a down migration',
      facts: withMigrations([migration('migrations/0004_drop.sql', [dropColumn, dropTable]), migration('migrations/0001_create.sql', [createOrders])]),
      resources: ['migrations/0004_drop.sql'],
    },
  ],
  passes: [
    { name: 'a down migration exists (DB-002)', facts: withMigrations([migration('migrations/0004_drop.up.sql', [dropColumn], { hasReverse: true })]) },
    { name: 'a backfill only (DB-005)', facts: withMigrations([migration('migrations/0003_backfill.sql', [backfill])]) },
    { name: 'additive', facts: withMigrations([migration('migrations/0001_create.sql', [createOrders])]) },
  ],
});

describe('DB-001 finding', () => {
  it('points at the first destructive statement and names the service that owns the folder', () => {
    const facts = withModel(
      { services: [service('checkout', { migrations: { paths: ['./migrations/'], layout: 'sql' } })] },
      { migrations: [migration('migrations/0004_drop.sql', [dropColumn, dropTable])] },
    );
    expect(control('DB-001').evaluate(facts, new Date())).toEqual([
      {
        resource: 'migrations/0004_drop.sql',
        location: { file: 'migrations/0004_drop.sql', line: 4 },
        evidence: 'migrations/0004_drop.sql has 2 destructive statements and no reverse migration; the first is line 4: ALTER TABLE orders DROP COLUMN legacy_status.',
        service: 'checkout',
        team: 'payments',
      },
    ]);
  });
});

describeControl(control('DB-002'), {
  triggers: [{ name: 'a drop with a down migration', facts: withMigrations([migration('db/0004.up.sql', [createOrders, dropTable], { hasReverse: true })]), resources: ['db/0004.up.sql'] }],
  passes: [
    { name: 'no down migration (DB-001)', facts: withMigrations([migration('db/0004.up.sql', [dropTable])]) },
    { name: 'a reversible change', facts: withMigrations([migration('db/0002.up.sql', [statement(1, 'ALTER TABLE orders ADD COLUMN note text')], { hasReverse: true })]) },
  ],
});

describeControl(control('DB-003'), {
  triggers: [
    {
      name: 'plain index, NOT NULL, FK without NOT VALID, Rails add_index',
      facts: withMigrations([
        migration('m/0005.sql', [statement(1, 'CREATE INDEX orders_customer_idx ON orders (customer_id)')]),
        migration('m/0006.sql', [statement(1, 'ALTER TABLE orders ALTER COLUMN currency SET NOT NULL', 'forward-fix')]),
        migration('m/0007.sql', [statement(1, 'ALTER TABLE order_items ADD CONSTRAINT fk_order FOREIGN KEY (order_id) REFERENCES orders (id)')]),
        migration('db/migrate/20260101_add_index.rb', [statement(3, 'add_index :orders, :customer_id')], { layout: 'rails' }),
      ]),
      resources: ['m/0005.sql', 'm/0006.sql', 'm/0007.sql', 'db/migrate/20260101_add_index.rb'],
    },
  ],
  passes: [
    {
      name: 'the online forms',
      facts: withMigrations([
        migration('m/0002.sql', [statement(1, 'ALTER TABLE orders ADD COLUMN payment_reference text'), statement(2, 'CREATE INDEX CONCURRENTLY orders_payment_reference_idx ON orders (payment_reference)')]),
        migration('m/0003.sql', [statement(1, 'ALTER TABLE order_items ADD CONSTRAINT fk_order FOREIGN KEY (order_id) REFERENCES orders (id) NOT VALID')]),
        migration('m/0004.sql', [statement(1, "ALTER TABLE orders ADD COLUMN created_at timestamptz NOT NULL DEFAULT now()")]),
        migration('db/migrate/20260102_add_index.rb', [statement(3, 'add_index :orders, :customer_id, algorithm: :concurrently')], { layout: 'rails' }),
      ]),
    },
    { name: 'indexes on a table the same migration creates', facts: withMigrations([migration('m/0001.sql', [createOrders, statement(3, 'CREATE UNIQUE INDEX orders_status_idx ON public.orders (status)')])]) },
  ],
});

describe('lockingReason', () => {
  const none = new Set<string>();
  it('sees volatile defaults, type changes and key constraints', () => {
    expect(lockingReason('ALTER TABLE users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid()', none)).toMatch(/volatile default/);
    expect(lockingReason('ALTER TABLE users ALTER COLUMN age TYPE bigint', none)).toMatch(/column type/);
    expect(lockingReason('ALTER TABLE users ADD PRIMARY KEY (id)', none)).toMatch(/primary key/);
    expect(lockingReason('ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_id_idx', none)).toBeUndefined();
    expect(lockingReason('VACUUM (FULL, ANALYZE) users', none)).toMatch(/VACUUM FULL/);
  });

  it('does not judge a shortened statement whose safe form may be cut off', () => {
    const long = `ALTER TABLE order_items ADD CONSTRAINT order_items_order_id_fkey FOREIGN KEY (order_id) REFERENCES ord…`;
    expect(lockingReason(long, none)).toBeUndefined();
  });
});

describeControl(control('DB-004'), {
  triggers: [
    {
      name: 'a column rename and a Rails change_column',
      facts: withMigrations([
        migration('m/0008.sql', [statement(1, 'ALTER TABLE users RENAME COLUMN email TO email_address', 'forward-fix')]),
        migration('db/migrate/2026_change.rb', [statement(2, 'change_column :orders, :amount, :decimal', 'forward-fix')], { layout: 'rails' }),
      ]),
      resources: ['m/0008.sql', 'db/migrate/2026_change.rb'],
    },
  ],
  passes: [
    { name: 'noted in a comment', facts: withMigrations([migration('m/0008.sql', [statement(2, 'ALTER TABLE users RENAME COLUMN email TO email_address', 'forward-fix')], { comments: ['expand/contract: the app reads both names since v3.2'] })]) },
    { name: 'named as a contract step', facts: withMigrations([migration('m/0009_contract_users_email.sql', [statement(1, 'ALTER TABLE users RENAME COLUMN email TO email_old', 'forward-fix')])]) },
    { name: 'renaming an index (safe)', facts: withMigrations([migration('m/0010.sql', [statement(1, 'ALTER INDEX orders_idx RENAME TO orders_customer_idx')])]) },
  ],
});

describeControl(control('DB-005'), {
  triggers: [{ name: 'a backfill without down', facts: withMigrations([migration('migrations/0003_backfill.sql', [backfill])]), resources: ['migrations/0003_backfill.sql'] }],
  passes: [
    { name: 'with a down migration (classified forward-fix)', facts: withMigrations([migration('migrations/0003_backfill.up.sql', [{ ...backfill, class: 'forward-fix' }], { hasReverse: true })]) },
    { name: 'a drop is DB-001', facts: withMigrations([migration('migrations/0004_drop.sql', [dropTable])]) },
  ],
});
