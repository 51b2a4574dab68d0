import { parser } from '@prometheus-io/lezer-promql';
import type { ModelKind } from './schema.ts';
import { didYouMean } from './suggest.ts';
import type { DocumentProblem } from './validate-document.ts';
import { formatPath } from './yaml-positions.ts';
import type { ModelPath } from './yaml-positions.ts';

/** Sloth's placeholder for the rate window, spaces allowed: `{{.window}}`, `{{ .window }}`. */
export const windowPlaceholder = /\{\{\s*\.window\s*\}\}/g;

export function hasWindowPlaceholder(query: string): boolean {
  return new RegExp(windowPlaceholder.source).test(query);
}

/** Any Go-template-looking placeholder; only `{{.window}}` is one we replace. */
const templatePlaceholder = /\{\{[^}]*\}\}?/g;

/** Stands in for `{{.window}}` while parsing: any valid range would do. */
const sampleWindow = '5m';

export interface PromqlError {
  /** characters into the expression as written (placeholders included) */
  offset: number;
  message: string;
}

export interface PromqlField {
  path: ModelPath;
  query: string;
}

/**
 * The first syntax mistake in a PromQL expression, found with the Prometheus project's own grammar,
 * or undefined when it parses. `{{.window}}` is accepted wherever a range duration may stand.
 */
export function promqlError(query: string): PromqlError | undefined {
  const template = unknownTemplate(query);
  if (template) return template;
  const substituted = substituteWindow(query);
  const found = firstErrorNode(substituted.text);
  if (!found) return undefined;
  const { offset, message } = describeError(substituted.text, found);
  return { offset: substituted.toOriginal(offset), message };
}

/** The PromQL strings of a document, read leniently from raw data (like references) so mistakes elsewhere do not hide them. */
export function promqlFieldsOf(kind: ModelKind, data: unknown): PromqlField[] {
  if (kind !== 'Service') return [];
  const spec = asData(asData(data).spec);
  const fields: PromqlField[] = [];
  const add = (query: unknown, ...path: PropertyKey[]) => {
    if (typeof query === 'string' && query !== '') fields.push({ query, path: ['spec', ...path] });
  };
  asList(spec.slos).forEach((slo, index) => {
    const ratio = asData(asData(asData(slo).sli).ratio);
    for (const key of ['errors', 'good', 'total']) add(ratio[key], 'slos', index, 'sli', 'ratio', key);
  });
  asList(spec.dependsOn).forEach((dependency, index) =>
    add(asData(asData(dependency).saturation).query, 'dependsOn', index, 'saturation', 'query'),
  );
  asList(asData(spec.rollback).criteria).forEach((criterion, index) =>
    add(asData(criterion).query, 'rollback', 'criteria', index, 'query'),
  );
  return fields;
}

/** One problem per invalid PromQL expression, pointing at the offending character inside the value. */
export function checkPromql(kind: ModelKind, data: unknown): DocumentProblem[] {
  return promqlFieldsOf(kind, data).flatMap(({ path, query }) => {
    const error = promqlError(query);
    if (!error) return [];
    return [{ path, target: 'value' as const, offset: error.offset, message: `${formatPath(path)}: ${promqlMessage(query, error)}` }];
  });
}

/** `invalid PromQL: unexpected "]" near "[5m]]))"`, for any surface that reports a PromQL mistake. */
export function promqlMessage(query: string, error: PromqlError): string {
  return `invalid PromQL: ${error.message} near ${JSON.stringify(near(query, error.offset))}`;
}

type Data = Record<string, unknown>;
const asData = (value: unknown): Data => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Data) : {});
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function unknownTemplate(query: string): PromqlError | undefined {
  for (const match of query.matchAll(templatePlaceholder)) {
    if (new RegExp(`^${windowPlaceholder.source}$`).test(match[0])) continue;
    return {
      offset: match.index,
      message: `unknown placeholder ${JSON.stringify(match[0])}; the only placeholder is {{.window}} (the rate window)`,
    };
  }
  return undefined;
}

interface Substituted {
  text: string;
  toOriginal(offset: number): number;
}

function substituteWindow(query: string): Substituted {
  const replaced: Array<{ original: number; length: number; at: number }> = [];
  let shift = 0;
  const text = query.replace(windowPlaceholder, (match: string, original: number) => {
    replaced.push({ original, length: match.length, at: original + shift });
    shift += sampleWindow.length - match.length;
    return sampleWindow;
  });
  const toOriginal = (offset: number): number => {
    let back = 0;
    for (const piece of replaced) {
      if (offset < piece.at) break;
      if (offset < piece.at + sampleWindow.length) return piece.original;
      back = piece.original + piece.length - (piece.at + sampleWindow.length);
    }
    return offset + back;
  };
  return { text, toOriginal };
}

interface ErrorNode {
  from: number;
  to: number;
  parent: string | undefined;
}

function firstErrorNode(text: string): ErrorNode | undefined {
  let found: ErrorNode | undefined;
  parser.parse(text).iterate({
    enter: (node) => {
      if (found) return false;
      if (node.type.isError) found = { from: node.from, to: node.to, parent: node.node.parent?.name };
      return undefined;
    },
  });
  return found;
}

function describeError(text: string, error: ErrorNode): PromqlError {
  const at = skipSpaces(text, error.from);
  if (at >= text.length) return endOfExpression(text);
  const token = tokenAt(text, at);
  const callee = /([A-Za-z_:][\w:]*)\s*$/.exec(text.slice(0, at));
  if (token === '(' && callee) {
    const name = callee[1] ?? '';
    // a name the typo starts (rat → rate) beats an equally close one it does not (rad)
    const candidates = [...functionNames()].sort((a, b) => Number(b.startsWith(name)) - Number(a.startsWith(name)));
    return { offset: callee.index, message: `unknown function "${name}"${didYouMean(name, candidates)}` };
  }
  if (error.parent === 'UnquotedLabelMatcher' && /^[A-Za-z_]/.test(token)) {
    return { offset: at, message: `unexpected ${JSON.stringify(token)}: label values are quoted strings, e.g. code="500"` };
  }
  return { offset: at, message: `unexpected ${JSON.stringify(token)}` };
}

function endOfExpression(text: string): PromqlError {
  if (text.trim() === '') return { offset: 0, message: 'the expression is empty' };
  const unclosed = unclosedBracket(text);
  if (unclosed !== undefined) {
    const open = text[unclosed] ?? '(';
    return { offset: unclosed, message: `unclosed ${JSON.stringify(open)}: the expression ends before its ${JSON.stringify(closers[open])}` };
  }
  return { offset: text.trimEnd().length, message: 'unexpected end of expression' };
}

const closers: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** The innermost bracket left open at the end, skipping strings and comments. */
function unclosedBracket(text: string): number | undefined {
  const open: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? '';
    if (char === '"' || char === "'" || char === '`') i = endOfString(text, i);
    else if (char === '#') i = text.indexOf('\n', i) === -1 ? text.length : text.indexOf('\n', i);
    else if (char in closers) open.push(i);
    else if (Object.values(closers).includes(char)) open.pop();
  }
  return open.at(-1);
}

function endOfString(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\' && quote !== '`') i++;
    else if (text[i] === quote) return i;
  }
  return text.length;
}

function skipSpaces(text: string, from: number): number {
  let at = from;
  while (at < text.length && /\s/.test(text[at] ?? '')) at++;
  return at;
}

/** The token starting at `at`: a name, a number or duration, a string, or one character. */
function tokenAt(text: string, at: number): string {
  const rest = text.slice(at);
  const match = /^(?:[A-Za-z_:][\w:]*|\d[\w.]*|"(?:[^"\\]|\\.)*"?|=~|!~|!=|==|>=|<=)/.exec(rest);
  return match?.[0] ?? rest[0] ?? '';
}

function near(query: string, offset: number): string {
  const radius = 16;
  const start = Math.max(0, offset - radius);
  const end = Math.min(query.length, offset + radius);
  const excerpt = query.slice(start, end).replace(/\s+/g, ' ');
  return `${start > 0 ? '…' : ''}${excerpt}${end < query.length ? '…' : ''}`;
}

let knownFunctions: string[] | undefined;

/**
 * Function and aggregation names the grammar accepts, for "did you mean" hints. The grammar names
 * its nodes after them (HistogramQuantile is histogram_quantile); each guess is kept only when the
 * grammar parses it as a call, so the list cannot drift from the parser.
 */
export function functionNames(): string[] {
  knownFunctions ??= [
    ...new Set(
      parser.nodeSet.types.flatMap((type) => {
        const snake = type.name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
        return [snake, snake.replace(/_(k|dev|var)(?=_|$)/g, '$1')].filter(parsesAsCall);
      }),
    ),
  ].sort();
  return knownFunctions;
}

function parsesAsCall(name: string): boolean {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) return false;
  const tree = parser.parse(`${name}(x)`);
  const call = tree.topNode.firstChild?.name;
  return (call === 'FunctionCall' || call === 'AggregateExpr') && firstErrorNode(`${name}(x)`) === undefined;
}
