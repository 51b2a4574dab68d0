import { readDelimited, type StringLiteral } from './string-literals.ts';

/** A Python string literal token: where it starts (prefix included), its body and its end. */
export interface PythonLiteral {
  readonly start: number;
  readonly bodyStart: number;
  readonly delimiter: string;
  readonly prefix: string;
  readonly end: number;
}

/** Python source with string bodies and comments blanked, so code can be searched without reading into strings. */
export interface PythonSource {
  readonly text: string;
  /** the text with string bodies and comments replaced by spaces (newlines kept) */
  readonly masked: string;
  readonly literals: readonly PythonLiteral[];
  readonly lines: readonly string[];
  /** offset of each line's first character */
  readonly starts: readonly number[];
  /** true for lines that begin inside a triple-quoted string */
  readonly continuesString: readonly boolean[];
}

export function scanPython(text: string): PythonSource {
  const masked = [...text];
  const literals: PythonLiteral[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text[at] ?? '';
    if (char === '#') {
      const newline = text.indexOf('\n', at);
      const end = newline === -1 ? text.length : newline;
      blank(masked, at, end);
      at = end;
    } else if (char === '"' || char === "'") {
      const literal = readLiteral(text, at);
      blank(masked, literal.bodyStart, literal.end - literal.delimiter.length);
      literals.push(literal);
      at = literal.end;
    } else {
      at += 1;
    }
  }
  const lines = text.split('\n');
  const starts = lineStarts(lines);
  const continuesString = starts.map((start) => literals.some((literal) => literal.bodyStart < start && start < literal.end));
  return { text, masked: masked.join(''), literals, lines, starts, continuesString };
}

function readLiteral(text: string, quoteAt: number): PythonLiteral {
  const prefix = /[rRbBuUfF]{0,2}$/.exec(text.slice(Math.max(0, quoteAt - 2), quoteAt))?.[0] ?? '';
  const before = text[quoteAt - prefix.length - 1] ?? '';
  const ownPrefix = /\w/.test(before) ? '' : prefix;
  const quote = text[quoteAt] ?? '"';
  const delimiter = text.startsWith(quote.repeat(3), quoteAt) ? quote.repeat(3) : quote;
  const raw = /r/i.test(ownPrefix);
  const bodyStart = quoteAt + delimiter.length;
  let at = bodyStart;
  while (at < text.length && !text.startsWith(delimiter, at)) {
    // an unterminated one-line string ends at the line's end rather than swallowing the file
    if (delimiter.length === 1 && text[at] === '\n') break;
    at += !raw && text[at] === '\\' ? 2 : 1;
  }
  return { start: quoteAt - ownPrefix.length, bodyStart, delimiter, prefix: ownPrefix, end: Math.min(text.length, at + delimiter.length) };
}

function blank(chars: string[], from: number, to: number): void {
  for (let at = from; at < to; at += 1) if (chars[at] !== '\n') chars[at] = ' ';
}

function lineStarts(lines: readonly string[]): number[] {
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  return starts;
}

/** The literal's text, escapes blanked and f-string fields replaced, positions kept. */
export function literalText(source: PythonSource, literal: PythonLiteral): StringLiteral | undefined {
  const raw = /r/i.test(literal.prefix);
  const formatted = /f/i.test(literal.prefix);
  return readDelimited(source.text, literal.bodyStart, literal.delimiter, { raw, ...(formatted ? { interpolation: /\{[^}]*\}/g } : {}) });
}

/** Offsets [start, end) of the body of a top-level `def name(...)`, or undefined when there is none. */
export function functionBody(source: PythonSource, name: string): { start: number; end: number } | undefined {
  const maskedLines = source.masked.split('\n');
  const header = maskedLines.findIndex((line) => new RegExp(`^\\s*def\\s+${name}\\s*\\(`).test(line));
  if (header === -1) return undefined;
  const indent = indentOf(maskedLines[header] ?? '');
  let last = header;
  for (let index = header + 1; index < maskedLines.length; index += 1) {
    const line = maskedLines[index] ?? '';
    if (source.continuesString[index] || line.trim() === '') continue;
    if (indentOf(line) <= indent) break;
    last = index;
  }
  const end = (source.starts[last] ?? 0) + (source.lines[last] ?? '').length;
  return { start: (source.starts[header] ?? 0) + (source.lines[header] ?? '').length + 1, end: Math.max(end, source.starts[header + 1] ?? end) };
}

function indentOf(line: string): number {
  return /^\s*/.exec(line)?.[0].length ?? 0;
}

/** Offset of the parenthesis closing the one at `open`, in masked text (strings cannot fool it). */
export function closingParen(masked: string, open: number): number {
  let depth = 0;
  for (let at = open; at < masked.length; at += 1) {
    if (masked[at] === '(') depth += 1;
    else if (masked[at] === ')') {
      depth -= 1;
      if (depth === 0) return at;
    }
  }
  return masked.length;
}
