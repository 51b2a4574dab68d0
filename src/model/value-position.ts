import { isScalar, Scalar } from 'yaml';
import type { LineCounter, ParsedNode } from 'yaml';
import { findNode, positionOf } from './yaml-positions.ts';
import type { ModelPath, Position, Target } from './yaml-positions.ts';

/** Where a document problem points: its value or key, or the character `offset` into its value. */
export function positionOfProblem(
  root: ParsedNode | null,
  lineCounter: LineCounter,
  source: string,
  problem: { path: ModelPath; target: Target; offset?: number },
): Position {
  if (problem.offset === undefined) return positionOf(root, problem.path, lineCounter, problem.target);
  return positionInValue(root, problem.path, lineCounter, source, problem.offset);
}

/**
 * The line:col of the character `offset` characters into a string value, e.g. the mistake inside a
 * PromQL query. Exact for plain, single- and double-quoted scalars on one line; folded lines, block
 * scalars and escapes are followed as far as they can be, and never land before the value's start.
 */
export function positionInValue(
  root: ParsedNode | null,
  path: ModelPath,
  lineCounter: LineCounter,
  source: string,
  offset: number,
): Position {
  const found = findNode(root, path);
  const node = found?.complete ? found.node : undefined;
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return positionOf(root, path, lineCounter);
  return lineCounter.linePos(sourceOffset(source, node.range, node.type, node.value, offset));
}

/** Where the value's character `index` was written in `source`; walks the value and its source text in step. */
export function sourceOffset(
  source: string,
  range: readonly [number, number, number],
  type: Scalar['type'],
  value: string,
  index: number,
): number {
  const [start, end] = range;
  let at = contentStart(source, start, type);
  const stop = Math.min(index, value.length);
  for (let i = 0; i < stop && at < end; i++) {
    at = skipEscapedBreak(source, at, type);
    at = afterCharacter(source, at, value[i] ?? '', type);
  }
  at = skipEscapedBreak(source, at, type);
  // a character that the value's own text skips over (indentation, a line fold) is found again here
  if (index < value.length && !/\s/.test(value[index] ?? '')) at = skipWhitespace(source, at, end);
  return Math.max(start, Math.min(at, end));
}

function contentStart(source: string, start: number, type: Scalar['type']): number {
  if (type === Scalar.QUOTE_SINGLE || type === Scalar.QUOTE_DOUBLE) return start + 1;
  if (type === Scalar.BLOCK_LITERAL || type === Scalar.BLOCK_FOLDED) {
    const header = source.indexOf('\n', start);
    return header === -1 ? start : skipWhitespace(source, header + 1, source.length);
  }
  return start;
}

/** The source offset just after the text that produced `char` at `at`. */
function afterCharacter(source: string, at: number, char: string, type: Scalar['type']): number {
  const here = source[at] ?? '';
  if (type === Scalar.QUOTE_DOUBLE && here === '\\') return at + escapeLength(source[at + 1] ?? '');
  if (type === Scalar.QUOTE_SINGLE && char === "'" && here === "'") return at + 2;
  if (here === char) return at + 1;
  // a line fold: the line break and the next line's indentation became one space or newline
  if (/\s/.test(here)) return /\s/.test(char) ? skipWhitespace(source, at, source.length) : afterCharacter(source, skipWhitespace(source, at, source.length), char, type);
  return at;
}

function escapeLength(code: string): number {
  if (code === 'x') return 4;
  if (code === 'u') return 6;
  if (code === 'U') return 10;
  return 2;
}

function skipEscapedBreak(source: string, at: number, type: Scalar['type']): number {
  if (type !== Scalar.QUOTE_DOUBLE || source[at] !== '\\' || !/[\r\n]/.test(source[at + 1] ?? '')) return at;
  return skipWhitespace(source, at + 1, source.length);
}

function skipWhitespace(source: string, from: number, end: number): number {
  let at = from;
  while (at < end && /\s/.test(source[at] ?? '')) at++;
  return at;
}
