import { LineCounter, parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';
import { parseDuration } from '../../lib/duration.ts';
import { burnWindows, promDuration } from '../../slo/burn-rate.ts';
import type { AlertSeverity } from '../../slo/burn-rate.ts';
import { hasWindowPlaceholder, promqlError, promqlMessage } from '../check-promql.ts';
import type { ModelIssue, ModelSource } from '../load-model.ts';
import type { ModelDocumentInput } from '../schema.ts';
import { toModelName } from '../to-model-name.ts';
import type { DocumentProblem } from '../validate-document.ts';
import { positionOfProblem } from '../value-position.ts';
import { formatPath } from '../yaml-positions.ts';
import type { ModelPath } from '../yaml-positions.ts';

/** One entry of a Service's `spec.slos`, as written in the model. */
export type SloInput = NonNullable<Extract<ModelDocumentInput, { kind: 'Service' }>['spec']['slos']>[number];

export interface ImportedSlo {
  /** the model name of the service the SLO belongs to */
  service: string;
  slo: SloInput;
  /** where the SLO is written in the file it came from */
  from: SourcePosition;
  format: 'openslo' | 'sloth';
}

export interface SloImport {
  slos: ImportedSlo[];
  /** what was left out or changed on purpose, one line each */
  notes: string[];
  /** mistakes in the input, located in its files; any of them means nothing should be written */
  issues: ModelIssue[];
}

/** One YAML document of an input file, with what it takes to locate a path inside it. */
export interface SourceDocument {
  file: string;
  text: string;
  yaml: Document.Parsed;
  lineCounter: LineCounter;
  data: Record<string, unknown>;
}

export function emptyImport(): SloImport {
  return { slos: [], notes: [], issues: [] };
}

/** The mapping documents of each file; YAML syntax errors and non-mapping documents become issues. */
export function readSourceDocuments(sources: readonly ModelSource[], issues: ModelIssue[]): SourceDocument[] {
  return sources.flatMap((source) => {
    const lineCounter = new LineCounter();
    return parseAllDocuments(source.text, { lineCounter }).flatMap((yaml) => {
      const at = (offset: number) => ({ file: source.file, ...lineCounter.linePos(offset) });
      const error = yaml.errors[0];
      if (error) {
        issues.push({ ...at(error.pos[0]), message: `YAML syntax: ${error.message.split('\n')[0] ?? ''}` });
        return [];
      }
      const data: unknown = yaml.toJS({ maxAliasCount: 100 });
      if (data === null || data === undefined) return [];
      if (typeof data !== 'object' || Array.isArray(data)) {
        issues.push({ ...at(yaml.contents?.range?.[0] ?? 0), message: 'expected a mapping: an OpenSLO v1 document or a Sloth prometheus/v1 spec' });
        return [];
      }
      return [{ file: source.file, text: source.text, yaml, lineCounter, data: data as Record<string, unknown> }];
    });
  });
}

export function issueAt(document: SourceDocument, problem: DocumentProblem): ModelIssue {
  const position = positionOfProblem(document.yaml.contents, document.lineCounter, document.text, problem);
  return { file: document.file, ...position, message: problem.message };
}

export type SourcePosition = Omit<ModelIssue, 'message'>;

export function locate(document: SourceDocument, path: ModelPath): SourcePosition {
  const { file, line, col } = issueAt(document, { path, target: 'value', message: '' });
  return { file, line, col };
}

/** `file:line:col` */
export function where(position: SourcePosition): string {
  return `${position.file}:${position.line}:${position.col}`;
}

/** A note as `file:line:col: message`. */
export function noteAt(position: SourcePosition, message: string): string {
  return `${where(position)}: ${message}`;
}

/** The query, or undefined after reporting where it is not valid PromQL. */
export function checkedQuery(document: SourceDocument, path: ModelPath, query: string, issues: ModelIssue[]): string | undefined {
  const error = promqlError(query);
  if (!error) return query;
  issues.push(issueAt(document, { path, target: 'value', offset: error.offset, message: `${formatPath(path)}: ${promqlMessage(query, error)}` }));
  return undefined;
}

/** A model SLO name: a DNS label, without the service name in front (it lives under its service). */
export function sloModelName(service: string, name: string): string {
  const converted = toModelName(name);
  const prefix = `${service}-`;
  return converted.startsWith(prefix) && converted.length > prefix.length ? converted.slice(prefix.length) : converted;
}

/** Percent with no float noise: 0.999 → 99.9. */
export function ratioToPercent(ratio: number): number {
  return Number((ratio * 100).toPrecision(12));
}

/** A note for queries that cannot follow the burn windows because they fix their own range. */
/** The `total` of an SLI whose query is already a ratio: dividing by 1 keeps every label of the query. */
export const ratioTotal = '1';

export function windowNote(from: SourcePosition, queries: readonly string[]): string[] {
  if (queries.every((query) => query === ratioTotal || hasWindowPlaceholder(query))) return [];
  const message = 'a query has no {{.window}} placeholder, so every burn window uses its fixed range; write [{{.window}}] where the rate window goes';
  return [noteAt(from, message)];
}

/** The generated burn-rate alerts of a 30-day SLO, e.g. `page: 14.4x over 1h and 6x over 6h; ticket: ...`. */
export function generatedAlerts(): string {
  const windows = burnWindows(parseDuration('30d'));
  const of = (severity: AlertSeverity) =>
    windows
      .filter((window) => window.severity === severity)
      .map((window) => `${window.factor}x over ${promDuration(window.longMs)}`)
      .join(' and ');
  return `page: ${of('page')}; ticket: ${of('ticket')}`;
}
