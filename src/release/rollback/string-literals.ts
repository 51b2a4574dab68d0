/** A string literal read out of Ruby or Python source, with its place in the file kept. */
export interface StringLiteral {
  /** the literal's text, the same length as in the file so offsets still line up */
  readonly content: string;
  /** offset of `content[0]` in the file */
  readonly start: number;
  /** offset just past the closing delimiter */
  readonly end: number;
  /** true when the literal interpolates values (`#{...}`, f-strings): its SQL is only known at run time */
  readonly dynamic: boolean;
}

/**
 * Reads the literal whose body starts at `start` and ends at the next unescaped `closer`.
 * Escapes become blanks of the same length (`\n` -> two spaces, `\'` -> space and quote).
 */
export function readDelimited(text: string, start: number, closer: string, options: { raw?: boolean; interpolation?: RegExp } = {}): StringLiteral | undefined {
  let at = start;
  while (at < text.length) {
    if (!options.raw && text[at] === '\\') {
      at += 2;
      continue;
    }
    if (text.startsWith(closer, at)) return literalBetween(text, start, at, at + closer.length, options);
    at += 1;
  }
  return undefined;
}

/** The literal whose body is `text[start, bodyEnd)`, for delimiters found another way (heredocs). */
export function literalBetween(text: string, start: number, bodyEnd: number, end: number, options: { raw?: boolean; interpolation?: RegExp } = {}): StringLiteral {
  const body = text.slice(start, bodyEnd);
  const escaped = options.raw ? body : blankEscapes(body);
  const { content, dynamic } = options.interpolation ? withPlaceholders(escaped, options.interpolation) : { content: escaped, dynamic: false };
  return { content, start, end, dynamic };
}

function blankEscapes(body: string): string {
  return body.replace(/\\(.)/gs, (_, next: string) => (/[ntr0]/.test(next) ? '  ' : ` ${next}`));
}

/**
 * Interpolations become identifiers of the same length (`#{table}` -> `________`), so the SQL
 * around them still parses and keeps its positions; `dynamic` records that they were there.
 */
function withPlaceholders(body: string, interpolation: RegExp): { content: string; dynamic: boolean } {
  let dynamic = false;
  const content = body.replace(interpolation, (whole) => {
    dynamic = true;
    return '_'.repeat(whole.length);
  });
  return { content, dynamic };
}

/** 1-based line of an offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let at = text.indexOf('\n'); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) line += 1;
  return line;
}
