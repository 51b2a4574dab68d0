import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyMigration } from './classify-migration.ts';
import { classifyStatement } from './classify-statement.ts';
import { loadSqlParser } from './sql-parser.ts';
import type { RollbackClass } from './types.ts';
import { worstClass } from './worst-class.ts';

const parser = await loadSqlParser();

function classify(sql: string, reverse?: string) {
  const [statement] = parser.parse(sql);
  if (!statement) throw new Error(`no statement in ${sql}`);
  return classifyStatement(statement.node, reverse ? { reverse } : {});
}

const cases: ReadonlyArray<readonly [string, RollbackClass]> = [
  // additive
  ['CREATE TABLE refunds (id uuid PRIMARY KEY, order_id uuid NOT NULL REFERENCES orders (id))', 'safe'],
  ['CREATE TABLE IF NOT EXISTS audit_log AS SELECT * FROM orders WHERE false', 'safe'],
  ['ALTER TABLE orders ADD COLUMN payment_reference text', 'safe'],
  ["ALTER TABLE orders ADD COLUMN channel text NOT NULL DEFAULT 'web'", 'safe'],
  ['ALTER TABLE orders ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY', 'safe'],
  ['ALTER TABLE orders ADD COLUMN total_cents bigint GENERATED ALWAYS AS (amount_cents * 2) STORED', 'safe'],
  ['ALTER TABLE orders ADD COLUMN IF NOT EXISTS note varchar(200) NULL', 'safe'],
  ['CREATE INDEX CONCURRENTLY orders_payment_reference_idx ON orders (payment_reference)', 'safe'],
  ['CREATE INDEX orders_created_idx ON orders USING brin (created_at)', 'safe'],
  ['ALTER TABLE orders ADD CONSTRAINT amount_positive CHECK (amount_cents > 0) NOT VALID', 'safe'],
  ['ALTER TABLE order_items ADD CONSTRAINT order_fk FOREIGN KEY (order_id) REFERENCES orders (id) NOT VALID', 'safe'],
  ['ALTER TABLE orders VALIDATE CONSTRAINT amount_positive', 'safe'],
  ['ALTER TABLE orders DROP CONSTRAINT amount_positive', 'safe'],
  ['ALTER TABLE orders ALTER COLUMN currency DROP NOT NULL', 'safe'],
  ["ALTER TABLE orders ALTER COLUMN currency SET DEFAULT 'EUR'", 'safe'],
  ['ALTER TABLE orders SET (fillfactor = 70)', 'safe'],
  ['ALTER TABLE orders ALTER COLUMN status SET STATISTICS 500', 'safe'],
  ["CREATE TYPE order_state AS ENUM ('open', 'closed')", 'safe'],
  ["ALTER TYPE order_state ADD VALUE 'refunded'", 'safe'],
  ['CREATE SEQUENCE invoice_numbers START 1000', 'safe'],
  ['CREATE EXTENSION IF NOT EXISTS pgcrypto', 'safe'],
  ['CREATE SCHEMA reporting', 'safe'],
  ["COMMENT ON COLUMN orders.currency IS 'ISO 4217'", 'safe'],
  ['CREATE VIEW open_orders AS SELECT * FROM orders WHERE status = $$pending$$', 'safe'],
  ['CREATE FUNCTION cents(numeric) RETURNS bigint LANGUAGE sql AS $$ SELECT ($1 * 100)::bigint $$', 'safe'],
  ['GRANT SELECT ON orders TO reporting', 'safe'],
  ["INSERT INTO currencies (code) VALUES ('EUR'), ('USD')", 'safe'],
  ['INSERT INTO currencies (code) VALUES ($$EUR$$) ON CONFLICT DO NOTHING', 'safe'],
  ['DROP INDEX CONCURRENTLY IF EXISTS orders_legacy_idx', 'safe'],
  ['ALTER INDEX orders_pkey RENAME TO orders_id_pkey', 'safe'],
  ['ALTER TABLE orders RENAME CONSTRAINT amount_positive TO amount_not_negative', 'safe'],
  ['REFRESH MATERIALIZED VIEW CONCURRENTLY daily_totals', 'safe'],
  ['SELECT 1', 'safe'],
  // the previous release may break: fix forward, or check by hand
  ['ALTER TABLE orders ADD COLUMN region text NOT NULL', 'forward-fix'],
  ['ALTER TABLE orders ADD COLUMN external_id text UNIQUE', 'forward-fix'],
  ['ALTER TABLE orders RENAME COLUMN amount_cents TO amount_minor', 'forward-fix'],
  ['ALTER TABLE orders RENAME TO purchases', 'forward-fix'],
  ['ALTER TABLE orders ALTER COLUMN amount_cents TYPE bigint', 'forward-fix'],
  ['ALTER TABLE orders ALTER COLUMN note TYPE text', 'forward-fix'],
  ['ALTER TABLE orders ALTER COLUMN note TYPE varchar', 'forward-fix'],
  ['ALTER TABLE orders ALTER COLUMN created_at TYPE timestamptz USING created_at::timestamptz', 'forward-fix'],
  ['ALTER TABLE orders ALTER COLUMN currency SET NOT NULL', 'forward-fix'],
  ['ALTER TABLE orders ALTER COLUMN currency DROP DEFAULT', 'forward-fix'],
  ['ALTER TABLE orders ADD CONSTRAINT amount_positive CHECK (amount_cents > 0)', 'forward-fix'],
  ['ALTER TABLE order_items ADD CONSTRAINT order_fk FOREIGN KEY (order_id) REFERENCES orders (id)', 'forward-fix'],
  ['ALTER TABLE orders ADD CONSTRAINT orders_ref_key UNIQUE (payment_reference)', 'forward-fix'],
  ['ALTER TABLE orders ADD CONSTRAINT orders_ref_key UNIQUE USING INDEX orders_ref_idx', 'forward-fix'],
  ['ALTER TABLE orders ENABLE ROW LEVEL SECURITY', 'forward-fix'],
  ['CREATE UNIQUE INDEX CONCURRENTLY orders_ref_key ON orders (payment_reference)', 'forward-fix'],
  ["ALTER TYPE order_state RENAME VALUE 'open' TO 'pending'", 'forward-fix'],
  ['DROP VIEW open_orders', 'forward-fix'],
  ['DROP FUNCTION cents(numeric)', 'forward-fix'],
  ['CREATE OR REPLACE VIEW open_orders AS SELECT id FROM orders', 'forward-fix'],
  ['REVOKE UPDATE ON orders FROM checkout', 'forward-fix'],
  ['DO $$ BEGIN UPDATE orders SET status = $q$paid$q$; END $$', 'forward-fix'],
  ['CALL archive_orders(30)', 'forward-fix'],
  ['CREATE POLICY own_orders ON orders USING (customer_id = current_user::uuid)', 'forward-fix'],
  ['ALTER TABLE events DETACH PARTITION events_2023', 'forward-fix'],
  // data is gone or rewritten
  ['ALTER TABLE orders DROP COLUMN legacy_status', 'data-loss'],
  ['ALTER TABLE orders DROP COLUMN IF EXISTS legacy_status CASCADE', 'data-loss'],
  ['ALTER TABLE orders ADD COLUMN region text, DROP COLUMN legacy_status', 'data-loss'],
  ['DROP TABLE order_status_history', 'data-loss'],
  ['DROP TABLE IF EXISTS a, b CASCADE', 'data-loss'],
  ['DROP SCHEMA legacy CASCADE', 'data-loss'],
  ['DROP TYPE order_state CASCADE', 'data-loss'],
  ['TRUNCATE order_status_history', 'data-loss'],
  ['TRUNCATE TABLE a, b RESTART IDENTITY', 'data-loss'],
  ["DELETE FROM sessions WHERE created_at < now() - interval '90 days'", 'data-loss'],
  ['UPDATE orders SET currency = upper(currency) WHERE currency <> upper(currency)', 'data-loss'],
  ['WITH moved AS (SELECT id FROM orders) UPDATE orders SET status = $$paid$$ FROM moved WHERE moved.id = orders.id', 'data-loss'],
  ['INSERT INTO totals (day, cents) SELECT 1, 2 ON CONFLICT (day) DO UPDATE SET cents = excluded.cents', 'data-loss'],
  ['MERGE INTO totals t USING staged s ON t.day = s.day WHEN MATCHED THEN UPDATE SET cents = s.cents', 'data-loss'],
  ['ALTER TABLE orders ALTER COLUMN currency TYPE varchar(2)', 'data-loss'],
  ['ALTER TABLE orders ALTER COLUMN amount_cents TYPE integer', 'data-loss'],
  ['ALTER TABLE orders ALTER COLUMN amount TYPE numeric(10,2)', 'data-loss'],
  ["ALTER TABLE orders ALTER COLUMN status TYPE order_state USING status::order_state", 'data-loss'],
  ['ALTER TABLE orders ALTER COLUMN amount_cents TYPE bigint USING round(amount_cents / 100)', 'data-loss'],
];

describe('classifyStatement', () => {
  it.each(cases)('%s -> %s', (sql, expected) => {
    const classification = classify(sql);
    expect(classification?.class).toBe(expected);
    expect(classification?.reason).toMatch(/^[A-Zs].+[.]$/);
  });

  it('turns a backfill with a reverse migration into forward-fix that names the reverse', () => {
    const classification = classify('UPDATE orders SET currency = upper(currency)', 'migrations/0003.down.sql');
    expect(classification).toEqual({ class: 'forward-fix', reason: expect.stringContaining('migrations/0003.down.sql') });
  });

  it('keeps dropping a column data-loss even with a reverse migration: the down cannot bring values back', () => {
    expect(classify('ALTER TABLE orders DROP COLUMN legacy_status', 'V4__x.sql')?.class).toBe('data-loss');
    expect(classify('TRUNCATE sessions', 'U4__x.sql')?.class).toBe('data-loss');
  });

  it('skips session and transaction control', () => {
    for (const sql of ['BEGIN', 'COMMIT', "SET lock_timeout = '5s'", 'SET LOCAL statement_timeout = 0', 'LOCK TABLE orders IN SHARE MODE']) {
      expect(classify(sql)).toBeUndefined();
    }
  });

  it('says which column and type a reason is about', () => {
    expect(classify('ALTER TABLE shop.orders DROP COLUMN legacy_status')?.reason).toContain('shop.orders.legacy_status');
    expect(classify('ALTER TABLE orders ALTER COLUMN currency TYPE varchar(2)')?.reason).toContain('orders.currency to varchar(2)');
    expect(classify('ALTER TABLE orders ALTER COLUMN amount_cents TYPE bigint')?.reason).toContain('to bigint');
  });
});

/** Statements built from parts, so the properties run over many shapes the parser accepts. */
const identifier = fc.constantFrom('orders', 'order_items', 'currency', 'status', 'amount_cents', 'legacy');
const columnType = fc.constantFrom('text', 'bigint', 'integer', 'varchar(20)', 'numeric(10,2)', 'timestamptz', 'boolean', 'uuid', 'jsonb');
const statement = fc.oneof(
  fc.tuple(identifier, identifier, columnType).map(([t, c, type]) => `CREATE TABLE ${t} (${c} ${type})`),
  fc.tuple(identifier, identifier, columnType, fc.boolean(), fc.boolean()).map(([t, c, type, notNull, withDefault]) => `ALTER TABLE ${t} ADD COLUMN ${c} ${type}${notNull ? ' NOT NULL' : ''}${withDefault ? ' DEFAULT NULL' : ''}`),
  fc.tuple(identifier, identifier).map(([t, c]) => `ALTER TABLE ${t} DROP COLUMN ${c}`),
  fc.tuple(identifier, identifier, columnType, fc.boolean()).map(([t, c, type, using]) => `ALTER TABLE ${t} ALTER COLUMN ${c} TYPE ${type}${using ? ` USING ${c}::${type}` : ''}`),
  fc.tuple(identifier, identifier, fc.boolean()).map(([t, c, set]) => `ALTER TABLE ${t} ALTER COLUMN ${c} ${set ? 'SET' : 'DROP'} NOT NULL`),
  fc.tuple(identifier, identifier, fc.boolean()).map(([t, c, unique]) => `CREATE ${unique ? 'UNIQUE ' : ''}INDEX ON ${t} (${c})`),
  fc.tuple(identifier, identifier).map(([t, c]) => `UPDATE ${t} SET ${c} = DEFAULT`),
  fc.tuple(identifier, fc.boolean()).map(([t, cascade]) => `DROP TABLE ${t}${cascade ? ' CASCADE' : ''}`),
  fc.tuple(identifier, identifier).map(([t, c]) => `DELETE FROM ${t} WHERE ${c} IS NULL`),
  fc.tuple(identifier, identifier, identifier).map(([t, c, n]) => `ALTER TABLE ${t} RENAME COLUMN ${c} TO ${n}_new`),
  fc.tuple(identifier, identifier, fc.boolean()).map(([t, c, valid]) => `ALTER TABLE ${t} ADD CONSTRAINT ${c}_check CHECK (${c} IS NOT NULL)${valid ? '' : ' NOT VALID'}`),
  fc.constantFrom('BEGIN', 'COMMIT', 'SELECT 1', 'TRUNCATE orders', 'VACUUM orders', 'ANALYZE orders', 'CLUSTER orders', 'CHECKPOINT', 'LISTEN x', 'NOTIFY x'),
);

describe('classification properties', () => {
  it('never throws for a statement the parser accepts, and always gives a reason', () => {
    fc.assert(
      fc.property(statement, fc.option(fc.constant('down.sql'), { nil: undefined }), (sql, reverse) => {
        const [parsed] = parser.parse(sql);
        if (!parsed) return;
        const classification = classifyStatement(parsed.node, reverse ? { reverse } : {});
        if (classification) expect(classification.reason.length).toBeGreaterThan(10);
      }),
    );
  });

  it("a migration's class is the worst of its statements'", () => {
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 8 }), (statements) => {
        const text = statements.map((sql) => `${sql};`).join('\n');
        const report = classifyMigration({ path: 'm.sql', status: 'added', language: 'sql', reverseKind: 'none' }, text, parser);
        const each = statements.map((sql) => classify(sql)?.class ?? 'safe');
        expect(report.class).toBe(worstClass(each));
        expect(report.findings.map((finding) => finding.line)).toEqual(statements.flatMap((sql, index) => (classify(sql) ? [index + 1] : [])));
      }),
    );
  });

  it('a reverse migration never makes a statement worse', () => {
    const rank = (value: RollbackClass | undefined) => ['safe', 'forward-fix', 'data-loss'].indexOf(value ?? 'safe');
    fc.assert(
      fc.property(statement, (sql) => {
        expect(rank(classify(sql, 'down.sql')?.class)).toBeLessThanOrEqual(rank(classify(sql)?.class));
      }),
    );
  });
});
