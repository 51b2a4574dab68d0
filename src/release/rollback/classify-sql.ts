import { SteadyopsError } from '../../lib/errors.ts';
import { classifyStatement, type StatementContext } from './classify-statement.ts';
import { SqlSyntaxError, type SqlParser } from './sql-parser.ts';
import type { StringLiteral } from './string-literals.ts';
import type { Finding } from './types.ts';

/** SQL text and where it sits in its file: a whole `.sql` file, or a string inside a Ruby or Python migration. */
export interface SqlSource {
  readonly file: string;
  readonly text: string;
  /** 1-based line and column of `text[0]` in the file */
  readonly line: number;
  readonly col: number;
  /** the text as written in the file, when `text` had escapes or interpolations blanked (same length) */
  readonly original?: string;
}

export interface Position {
  readonly line: number;
  readonly col: number;
}

/** One finding per statement that matters, at the line of its first word. */
export function classifySql(source: SqlSource, parser: SqlParser, context: StatementContext): Finding[] {
  return parseOrThrow(source, parser).flatMap((statement) => {
    const classification = classifyStatement(statement.node, context);
    if (!classification) return [];
    const written = source.original?.slice(statement.offset, statement.offset + statement.text.length) ?? statement.text;
    return [{ file: source.file, line: positionOf(source, statement.offset).line, statement: shorten(written), ...classification }];
  });
}

/** SQL in a Ruby or Python string literal, classified like a file at the file's own lines. */
export function classifyEmbeddedSql(file: string, fileText: string, literal: StringLiteral, parser: SqlParser, context: StatementContext): Finding[] {
  const at = positionOf({ text: fileText, line: 1, col: 1 }, literal.start);
  const source: SqlSource = { file, text: literal.content, ...at, original: fileText.slice(literal.start, literal.start + literal.content.length) };
  if (!literal.dynamic) return classifySql(source, parser, context);
  try {
    return classifySql(source, parser, context);
  } catch (error) {
    if (!(error instanceof SteadyopsError)) throw error;
    return [
      {
        file,
        line: at.line,
        statement: shorten(source.original ?? literal.content),
        class: 'forward-fix',
        reason: 'Runs SQL put together at run time that steadyops cannot parse; read it to see whether it deletes or rewrites data.',
      },
    ];
  }
}

function parseOrThrow(source: SqlSource, parser: SqlParser): ReturnType<SqlParser['parse']> {
  try {
    return parser.parse(source.text);
  } catch (error) {
    if (!(error instanceof SqlSyntaxError)) throw error;
    const at = positionOf(source, error.offset);
    throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `migration ${source.file} is not valid PostgreSQL: ${error.message}` }, [
      { file: source.file, line: at.line, col: at.col, message: error.message },
    ]);
  }
}

/** The file position of a character offset into the source's text. */
export function positionOf(source: Omit<SqlSource, 'file'>, offset: number): Position {
  const before = source.text.slice(0, offset);
  const newlines = before.split('\n').length - 1;
  const column = offset - (before.lastIndexOf('\n') + 1);
  return newlines === 0 ? { line: source.line, col: source.col + column } : { line: source.line + newlines, col: column + 1 };
}

/** A statement on one line, cut to fit a terminal: `UPDATE orders SET currency = upper(...`. */
export function shorten(text: string, max = 100): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
