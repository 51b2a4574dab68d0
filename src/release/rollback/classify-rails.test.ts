import { describe, expect, it } from 'vitest';
import { classifyRailsMigration } from './classify-rails.ts';
import { loadSqlParser } from './sql-parser.ts';

const parser = await loadSqlParser();
const file = 'db/migrate/20240301120000_change.rb';
const summary = (text: string) => classifyRailsMigration(file, text, parser).findings.map((finding) => [finding.line, finding.class]);

describe('classifyRailsMigration', () => {
  it('recognises the schema helpers of a change method, line by line', () => {
    const text = `class ReworkOrders < ActiveRecord::Migration[7.1]
  def change
    create_table :refunds do |t|
      t.references :order, null: false
      t.integer :amount_cents, null: false
      t.timestamps
    end
    add_column :orders, :channel, :string
    add_column :orders, :region, :string, null: false
    add_column :orders, :tier, :integer, null: false, default: 1
    add_index :orders, :channel, algorithm: :concurrently
    add_index :orders, :external_id, unique: true
    add_foreign_key :refunds, :orders, validate: false
    rename_column :orders, :amount, :amount_cents
    change_column_null :orders, :currency, false
    change_column :orders, :note, :text
    change_column :orders, :currency, :string, limit: 3
    remove_column :orders, :legacy_status, :string
    drop_table :order_status_history
  end
end
`;
    expect(summary(text)).toEqual([
      [3, 'safe'],
      [8, 'safe'],
      [9, 'forward-fix'],
      [10, 'safe'],
      [11, 'safe'],
      [12, 'forward-fix'],
      [13, 'safe'],
      [14, 'forward-fix'],
      [15, 'forward-fix'],
      [16, 'forward-fix'],
      [17, 'data-loss'],
      [18, 'data-loss'],
      [19, 'data-loss'],
    ]);
    const findings = classifyRailsMigration(file, text, parser).findings;
    expect(findings.find((finding) => finding.line === 18)).toMatchObject({ statement: 'remove_column :orders, :legacy_status, :string', reason: expect.stringContaining('orders.legacy_status') });
    expect(classifyRailsMigration(file, text, parser).reverse).toBeUndefined();
  });

  it('reads SQL inside execute strings and heredocs with the PostgreSQL parser, at the lines it sits on', () => {
    const text = `class Backfill < ActiveRecord::Migration[7.1]
  def up
    execute "ALTER TABLE orders ADD COLUMN note text"
    execute <<~SQL
      UPDATE orders
         SET currency = upper(currency);
      DELETE FROM sessions;
    SQL
    execute %q(TRUNCATE audit_log)
    execute("CREATE INDEX CONCURRENTLY orders_note_idx ON orders (note)")
  end
end
`;
    const { findings, reverse } = classifyRailsMigration(file, text, parser);
    expect(reverse).toBeUndefined();
    expect(findings.map((finding) => [finding.line, finding.class, finding.statement])).toEqual([
      [3, 'safe', 'ALTER TABLE orders ADD COLUMN note text'],
      [5, 'data-loss', 'UPDATE orders SET currency = upper(currency)'],
      [7, 'data-loss', 'DELETE FROM sessions'],
      [9, 'data-loss', 'TRUNCATE audit_log'],
      [10, 'safe', 'CREATE INDEX CONCURRENTLY orders_note_idx ON orders (note)'],
    ]);
  });

  it('ignores the down method but counts it as the reverse of a backfill', () => {
    const text = `class Backfill < ActiveRecord::Migration[7.1]
  def up
    execute "UPDATE orders SET currency = upper(currency)"
    Order.where(status: nil).update_all(status: 'pending')
  end

  def down
    execute "UPDATE orders SET currency = lower(currency)"
    remove_column :orders, :anything
  end
end
`;
    const { findings, reverse } = classifyRailsMigration(file, text, parser);
    expect(reverse).toBe('def down');
    expect(findings.map((finding) => [finding.line, finding.class])).toEqual([
      [3, 'forward-fix'],
      [4, 'forward-fix'],
    ]);
    expect(findings[0]?.reason).toContain('def down');
  });

  it('reads reversible blocks: dir.up is the change, dir.down the reverse', () => {
    const text = `class Backfill < ActiveRecord::Migration[7.1]
  def change
    reversible do |dir|
      dir.up { execute "DELETE FROM sessions" }
      dir.down do
        execute "DROP TABLE sessions"
      end
    end
  end
end
`;
    const { findings, reverse } = classifyRailsMigration(file, text, parser);
    expect(reverse).toBe('dir.down in reversible');
    expect(findings.map((finding) => [finding.line, finding.class, finding.statement])).toEqual([[4, 'forward-fix', 'DELETE FROM sessions']]);
  });

  it('classifies change_table blocks by their t.* calls', () => {
    const text = `class Rework < ActiveRecord::Migration[7.1]
  def change
    change_table :orders do |t|
      t.string :channel
      t.remove :legacy_status
      t.rename :amount, :amount_cents
      t.index :channel
    end
  end
end
`;
    expect(summary(text)).toEqual([
      [4, 'safe'],
      [5, 'data-loss'],
      [6, 'forward-fix'],
      [7, 'safe'],
    ]);
  });

  it('interpolated SQL that still parses is classified; SQL from a variable is left to a person', () => {
    const text = `class Backfill < ActiveRecord::Migration[7.1]
  def up
    execute "DELETE FROM #{table_name} WHERE id < 100"
    execute sql_from_somewhere
  end
end
`;
    const { findings } = classifyRailsMigration(file, text, parser);
    expect(findings.map((finding) => [finding.line, finding.class])).toEqual([
      [3, 'data-loss'],
      [4, 'forward-fix'],
    ]);
    expect(findings[0]?.statement).toBe('DELETE FROM #{table_name} WHERE id < 100');
  });

  it('reports SQL that does not parse at its line and column in the Ruby file', () => {
    const text = `class Broken < ActiveRecord::Migration[7.1]
  def up
    execute <<~SQL
      ALTER TABLE orders
        ADD COLUMN x texx ,;
    SQL
  end
end
`;
    expect(() => classifyRailsMigration(file, text, parser)).toThrow(expect.objectContaining({ code: 'SO_E_INPUT_INVALID', issues: [expect.objectContaining({ file, line: 5, col: 28, message: 'syntax error at or near ";"' })] }));
  });
});
