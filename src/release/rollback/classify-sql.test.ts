import { describe, expect, it } from 'vitest';
import { classifySql, positionOf, shorten } from './classify-sql.ts';
import { loadSqlParser } from './sql-parser.ts';

const parser = await loadSqlParser();
const fileSource = (text: string) => ({ file: 'migrations/0005.sql', text, line: 1, col: 1 });

describe('classifySql', () => {
  it('puts each finding on the line of its first word, past comments and blank lines', () => {
    const text = [
      '-- 0005: rework orders (é, ü: multibyte before the statements)',
      'BEGIN;',
      '',
      '/* additive */ ALTER TABLE orders ADD COLUMN note text;',
      '',
      '-- destructive',
      'ALTER TABLE orders',
      '  DROP COLUMN legacy_status;',
      'COMMIT;',
      "UPDATE orders SET note = 'größe'",
    ].join('\n');
    expect(classifySql(fileSource(text), parser, {}).map((finding) => [finding.line, finding.class, finding.statement])).toEqual([
      [4, 'safe', 'ALTER TABLE orders ADD COLUMN note text'],
      [7, 'data-loss', 'ALTER TABLE orders DROP COLUMN legacy_status'],
      [10, 'data-loss', "UPDATE orders SET note = 'größe'"],
    ]);
  });

  it('a file of comments only has no findings', () => {
    expect(classifySql(fileSource('-- nothing yet\n/* later */\n'), parser, {})).toEqual([]);
    expect(classifySql(fileSource(''), parser, {})).toEqual([]);
  });

  it('reports SQL that does not parse as an input error at file:line:col, counting characters', () => {
    const text = "-- ünïcödé\nSELECT 1;\nALTER TABLE orders ADD COLUMN x texx ,;\n";
    expect(() => classifySql(fileSource(text), parser, {})).toThrow(
      expect.objectContaining({
        code: 'SO_E_INPUT_INVALID',
        message: 'migration migrations/0005.sql is not valid PostgreSQL: syntax error at or near ";"',
        issues: [expect.objectContaining({ file: 'migrations/0005.sql', line: 3, col: 39 })],
      }),
    );
  });
});

describe('positionOf', () => {
  it('maps offsets inside embedded text to the file: first line from the text start, later lines from column 1', () => {
    const source = { text: 'abc\n  def', line: 10, col: 17 };
    expect(positionOf(source, 0)).toEqual({ line: 10, col: 17 });
    expect(positionOf(source, 2)).toEqual({ line: 10, col: 19 });
    expect(positionOf(source, 6)).toEqual({ line: 11, col: 3 });
  });
});

describe('shorten', () => {
  it('collapses whitespace and cuts long statements with an ellipsis', () => {
    expect(shorten('UPDATE  orders\n   SET x = 1')).toBe('UPDATE orders SET x = 1');
    const long = shorten(`SELECT ${'x, '.repeat(100)}y`);
    expect(long).toHaveLength(100);
    expect(long.endsWith('…')).toBe(true);
  });
});
