import { describe, expect, it } from 'vitest';
import { classifyAlembicMigration } from './classify-alembic.ts';
import { loadSqlParser } from './sql-parser.ts';

const parser = await loadSqlParser();
const file = 'alembic/versions/3f2a9c_rework_orders.py';
const header = `"""rework orders

Revision ID: 3f2a9c
Revises: 1b7e44
"""
from alembic import op
import sqlalchemy as sa

revision = "3f2a9c"
down_revision = "1b7e44"
`;

describe('classifyAlembicMigration', () => {
  it('classifies the op.* calls of upgrade() by name and keyword arguments', () => {
    const text = `${header}

def upgrade() -> None:
    op.create_table(
        "refunds",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("order_id", sa.Integer(), nullable=False),
    )
    op.add_column("orders", sa.Column("channel", sa.String(), nullable=True))
    op.add_column("orders", sa.Column("region", sa.String(), nullable=False))
    op.add_column("orders", sa.Column("tier", sa.Integer(), nullable=False, server_default="1"))
    op.create_index("ix_orders_channel", "orders", ["channel"])
    op.create_index("ix_orders_external", "orders", ["external_id"], unique=True)
    op.alter_column("orders", "amount", new_column_name="amount_cents")
    op.alter_column("orders", "currency", existing_type=sa.String(3), nullable=False)
    op.alter_column("orders", "note", type_=sa.Text())
    op.alter_column("orders", "currency", type_=sa.String(2))
    op.drop_column("orders", "legacy_status")
    op.drop_table("order_status_history")


def downgrade() -> None:
    pass
`;
    const { findings, reverse } = classifyAlembicMigration(file, text, parser);
    expect(reverse).toBeUndefined();
    expect(findings.map((finding) => [finding.line, finding.class])).toEqual([
      [14, 'safe'],
      [19, 'safe'],
      [20, 'forward-fix'],
      [21, 'safe'],
      [22, 'safe'],
      [23, 'forward-fix'],
      [24, 'forward-fix'],
      [25, 'forward-fix'],
      [26, 'forward-fix'],
      [27, 'data-loss'],
      [28, 'data-loss'],
      [29, 'data-loss'],
    ]);
    expect(findings[10]).toMatchObject({ statement: 'op.drop_column("orders", "legacy_status")', reason: expect.stringContaining('orders.legacy_status') });
    expect(findings[9]?.reason).toContain('orders.currency to String');
  });

  it('reads SQL in op.execute strings (triple-quoted, sa.text) at the lines it sits on', () => {
    const text = `${header}

def upgrade():
    op.execute("ALTER TABLE orders ADD COLUMN note text")
    op.execute(
        """
        UPDATE orders
           SET currency = upper(currency);
        TRUNCATE audit_log;
        """
    )
    op.execute(sa.text('DELETE FROM sessions WHERE id = 1'))
    conn = op.get_bind()
    conn.execute(sa.text("CREATE INDEX orders_note_idx ON orders (note)"))


def downgrade():
    """Nothing to undo."""
`;
    const { findings, reverse } = classifyAlembicMigration(file, text, parser);
    expect(reverse).toBeUndefined();
    expect(findings.map((finding) => [finding.line, finding.class, finding.statement])).toEqual([
      [14, 'safe', 'ALTER TABLE orders ADD COLUMN note text'],
      [17, 'data-loss', 'UPDATE orders SET currency = upper(currency)'],
      [19, 'data-loss', 'TRUNCATE audit_log'],
      [22, 'data-loss', 'DELETE FROM sessions WHERE id = 1'],
      [24, 'safe', 'CREATE INDEX orders_note_idx ON orders (note)'],
    ]);
  });

  it('an implemented downgrade() reverses a backfill; code in downgrade() is not the change', () => {
    const text = `${header}

def upgrade():
    op.execute("UPDATE orders SET currency = upper(currency)")


def downgrade():
    # undo the backfill
    op.execute("UPDATE orders SET currency = lower(currency)")
    op.drop_table("orders")
`;
    const { findings, reverse } = classifyAlembicMigration(file, text, parser);
    expect(reverse).toBe('downgrade()');
    expect(findings).toEqual([expect.objectContaining({ line: 14, class: 'forward-fix', reason: expect.stringContaining('downgrade()') })]);
  });

  it('a downgrade() that only raises or passes is no reverse', () => {
    for (const body of ['pass', 'raise NotImplementedError("one way")', '...']) {
      const text = `${header}\n\ndef upgrade():\n    op.execute("DELETE FROM sessions")\n\n\ndef downgrade():\n    ${body}\n`;
      const { findings, reverse } = classifyAlembicMigration(file, text, parser);
      expect(reverse).toBeUndefined();
      expect(findings.map((finding) => finding.class)).toEqual(['data-loss']);
    }
  });

  it('follows batch_alter_table blocks', () => {
    const text = `${header}

def upgrade():
    with op.batch_alter_table("orders") as batch_op:
        batch_op.drop_column("legacy_status")
        batch_op.add_column(sa.Column("channel", sa.String(), nullable=True))


def downgrade():
    pass
`;
    const { findings } = classifyAlembicMigration(file, text, parser);
    expect(findings.map((finding) => [finding.line, finding.class])).toEqual([
      [15, 'data-loss'],
      [16, 'safe'],
    ]);
    expect(findings[0]?.reason).toContain('orders.legacy_status');
  });

  it('SQL built at run time is left to a person; SQLAlchemy update() is a backfill', () => {
    const text = `${header}

orders = sa.table("orders", sa.column("currency"))


def upgrade():
    op.execute("UPDATE orders SET currency = '%s'" % default_currency)
    op.execute(orders.update().values(currency="EUR"))
    op.create_something_new("orders")


def downgrade():
    pass
`;
    const { findings } = classifyAlembicMigration(file, text, parser);
    expect(findings.map((finding) => [finding.line, finding.class])).toEqual([
      [17, 'forward-fix'],
      [18, 'data-loss'],
      [19, 'forward-fix'],
    ]);
    expect(findings[2]?.reason).toContain('op.create_something_new');
  });

  it('reports SQL that does not parse at its line and column in the Python file', () => {
    const text = `${header}\n\ndef upgrade():\n    op.execute("ALTER TABLE orders ADD COLUMN x texx ,")\n`;
    // the end of the string: where PostgreSQL ran out of input
    expect(() => classifyAlembicMigration(file, text, parser)).toThrow(expect.objectContaining({ code: 'SO_E_INPUT_INVALID', issues: [expect.objectContaining({ file, line: 14, col: 55, message: 'syntax error at end of input' })] }));
  });
});
