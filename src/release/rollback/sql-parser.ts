import { hasSqlDetails, loadModule, parseSync, type Node } from 'libpg-query';

/** One statement as PostgreSQL's own parser sees it. */
export interface ParsedStatement {
  readonly node: Node;
  /** character offset of its first token in the parsed text */
  readonly offset: number;
  /** its text, without the closing semicolon */
  readonly text: string;
}

export interface SqlParser {
  /** every statement of `sql`, in order; throws `SqlSyntaxError` where PostgreSQL would */
  parse(sql: string): ParsedStatement[];
}

export class SqlSyntaxError extends Error {
  constructor(
    message: string,
    /** character offset of the error in the parsed text */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'SqlSyntaxError';
  }
}

let loaded: Promise<void> | undefined;

/** Loads the WebAssembly build of the PostgreSQL parser once; parsing is synchronous after that. */
export async function loadSqlParser(): Promise<SqlParser> {
  loaded ??= loadModule();
  await loaded;
  return { parse: parseSql };
}

function parseSql(sql: string): ParsedStatement[] {
  // the parser refuses an empty query; a file of comments only is a file without statements
  if (sql.trim() === '') return [];
  let result: ReturnType<typeof parseSync>;
  try {
    result = parseSync(sql);
  } catch (error) {
    // the cursor position counts characters from 0 (PostgreSQL's own cursorpos counts from 1)
    if (hasSqlDetails(error) && error.sqlDetails) throw new SqlSyntaxError(error.sqlDetails.message, error.sqlDetails.cursorPosition);
    throw new SqlSyntaxError((error as Error).message, 0);
  }
  const toChars = byteToCharOffset(sql);
  return (result.stmts ?? []).flatMap((raw) => {
    if (!raw.stmt) return [];
    const start = toChars(raw.stmt_location ?? 0);
    // stmt_len 0 (or missing) means "to the end of the text"
    const end = raw.stmt_len ? toChars((raw.stmt_location ?? 0) + raw.stmt_len) : sql.length;
    const offset = skipBlank(sql, start);
    return [{ node: raw.stmt, offset, text: sql.slice(offset, end).trimEnd() }];
  });
}

/** The parser reports statement locations in UTF-8 bytes; the rest of us count characters. */
function byteToCharOffset(text: string): (byteOffset: number) => number {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length === text.length) return (byteOffset) => byteOffset;
  return (byteOffset) => bytes.subarray(0, byteOffset).toString('utf8').length;
}

/** Skips whitespace and comments, so a statement's line is the line of its first word. */
function skipBlank(text: string, from: number): number {
  let at = from;
  for (;;) {
    while (at < text.length && /\s/.test(text[at] ?? '')) at += 1;
    if (text.startsWith('--', at)) {
      const newline = text.indexOf('\n', at);
      at = newline === -1 ? text.length : newline + 1;
    } else if (text.startsWith('/*', at)) {
      const close = text.indexOf('*/', at + 2);
      at = close === -1 ? text.length : close + 2;
    } else {
      return at;
    }
  }
}
