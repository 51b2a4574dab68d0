import { isDeepStrictEqual } from 'node:util';
import { Document, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, Scalar } from 'yaml';
import type { Node, Pair, YAMLMap, YAMLSeq } from 'yaml';
import type { ModelIssue, ModelSource } from '../load-model.ts';
import { didYouMean, listSome } from '../suggest.ts';
import type { ImportedSlo, SloInput } from './imported-slo.ts';

export type SloChangeKind = 'add' | 'update' | 'unchanged';

export interface SloChange {
  imported: ImportedSlo;
  kind: SloChangeKind;
  /** the model file holding the service */
  file: string;
  /** where the entry is (for a new one: the service's SLO list, or its spec) in that file, before the change */
  line: number;
  /** the entry as it will be written */
  entry: string;
  /** the entry it replaces, for an update */
  previous?: string;
}

export interface SloMergePlan {
  changes: SloChange[];
  /** SLOs of services the model does not define, left out with the issue saying so */
  skipped: Array<{ imported: ImportedSlo; issue: ModelIssue }>;
  /** the new text of each model file that changes */
  texts: Map<string, string>;
}

interface ServiceDocument {
  source: ModelSource;
  spec: YAMLMap;
  lineCounter: LineCounter;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/**
 * Merges imported SLOs into the model files' text: an SLO with a name the service already uses
 * replaces that entry, a new one is appended to the service's `slos`. Only those lines change;
 * comments and formatting elsewhere stay as written.
 */
export function planSloMerge(sources: readonly ModelSource[], slos: readonly ImportedSlo[]): SloMergePlan {
  const services = serviceDocuments(sources);
  const known = [...services.keys()].sort();
  const plan: SloMergePlan = { changes: [], skipped: [], texts: new Map() };
  const edits = new Map<string, Edit[]>();
  for (const [name, imported] of groupBy(slos, (slo) => slo.service)) {
    const service = services.get(name);
    if (!service) {
      plan.skipped.push(...imported.map((slo) => ({ imported: slo, issue: unknownService(slo, known) })));
      continue;
    }
    const merged = mergeService(service, imported);
    plan.changes.push(...merged.changes);
    edits.set(service.source.file, [...(edits.get(service.source.file) ?? []), ...merged.edits]);
  }
  for (const source of sources) {
    const fileEdits = edits.get(source.file) ?? [];
    if (fileEdits.length > 0) plan.texts.set(source.file, applyEdits(source.text, fileEdits));
  }
  return plan;
}

function serviceDocuments(sources: readonly ModelSource[]): Map<string, ServiceDocument> {
  const services = new Map<string, ServiceDocument>();
  for (const source of sources) {
    const lineCounter = new LineCounter();
    for (const document of parseAllDocuments(source.text, { lineCounter })) {
      const name = document.getIn(['metadata', 'name']);
      const spec = document.get('spec', true);
      if (document.get('kind') === 'Service' && typeof name === 'string' && isMap(spec) && !services.has(name)) {
        services.set(name, { source, spec, lineCounter });
      }
    }
  }
  return services;
}

function unknownService(slo: ImportedSlo, known: readonly string[]): ModelIssue {
  const { service } = slo;
  // outside tools often name a service without its suffix (checkout for checkout-api), too far for a typo
  const extended = known.filter((name) => name.startsWith(`${service}-`) || service.startsWith(`${name}-`));
  const hint = didYouMean(service, known) || (extended.length === 1 ? ` (did you mean "${extended[0]}"?)` : '');
  return {
    ...slo.from,
    message: `service "${service}" is not in the model${hint}; SLO "${slo.slo.name}" is skipped (services: ${listSome(known)})`,
  };
}

function mergeService(service: ServiceDocument, imported: readonly ImportedSlo[]): { changes: SloChange[]; edits: Edit[] } {
  const pair = service.spec.items.find((item) => isScalar(item.key) && item.key.value === 'slos');
  const list = isSeq(pair?.value) ? pair.value : undefined;
  const existing = (list?.toJSON() ?? []) as SloInput[];
  const changes = imported.map((slo) => classify(service, slo, existing, list ?? pair?.key ?? service.spec));
  const updates = changes.filter((entry) => entry.kind === 'update');
  const additions = changes.filter((entry) => entry.kind === 'add');
  if (updates.length + additions.length === 0) return { changes, edits: [] };
  if (!list || list.flow || list.items.length === 0) {
    return { changes, edits: [rewriteList(service, pair, mergedList(existing, imported))] };
  }
  const edits = updates.map((entry) => replaceEntry(service, list.items[indexOf(existing, entry.imported.slo)] as Node, entry.entry));
  if (additions.length > 0) edits.push(appendEntries(service, list, additions.map((entry) => entry.entry)));
  return { changes, edits };
}

function classify(service: ServiceDocument, imported: ImportedSlo, existing: readonly SloInput[], anchor: unknown): SloChange {
  const index = indexOf(existing, imported.slo);
  const current = existing[index];
  const entry = renderSlo(imported.slo);
  const at = (node: unknown) => service.lineCounter.linePos((node as Node | undefined)?.range?.[0] ?? 0).line;
  const base = { imported, file: service.source.file, entry };
  if (current === undefined) return { ...base, kind: 'add', line: at(anchor) };
  const line = at(isSeq(anchor) ? anchor.items[index] : anchor);
  if (sameSlo(current, imported.slo)) return { ...base, kind: 'unchanged', line };
  return { ...base, kind: 'update', line, previous: renderSlo(current) };
}

function indexOf(existing: readonly SloInput[], slo: SloInput): number {
  return existing.findIndex((entry) => entry?.name === slo.name);
}

function sameSlo(existing: SloInput, imported: SloInput): boolean {
  return isDeepStrictEqual({ period: '30d', ...existing }, { period: '30d', ...imported });
}

function mergedList(existing: readonly SloInput[], imported: readonly ImportedSlo[]): SloInput[] {
  const merged = [...existing];
  for (const { slo } of imported) {
    const index = indexOf(merged, slo);
    if (index === -1) merged.push(slo);
    else merged[index] = slo;
  }
  return merged;
}

/** Replaces one entry of a block list in place; the `- ` before it stays. */
function replaceEntry(service: ServiceDocument, entry: Node, text: string): Edit {
  const [start, end] = entry.range ?? [0, 0];
  const indent = columnOf(service, start);
  return { start, end, text: `${indented(text, indent).slice(indent)}\n` };
}

function appendEntries(service: ServiceDocument, list: YAMLSeq, entries: readonly string[]): Edit {
  const at = list.range?.[1] ?? 0;
  const newline = at === 0 || service.source.text[at - 1] === '\n' ? '' : '\n';
  return { start: at, end: at, text: `${newline}${listItems(entries, columnOf(service, list.range?.[0] ?? 0))}\n` };
}

/** No `slos` yet, or an empty or flow list: the whole list, block style, under `spec`. */
function rewriteList(service: ServiceDocument, pair: Pair | undefined, slos: readonly SloInput[]): Edit {
  const keyIndent = columnOf(service, service.spec.range?.[0] ?? 0);
  const items = listItems(slos.map(renderSlo), keyIndent + 2);
  const { text } = service.source;
  if (pair && isNode(pair.key)) {
    const colon = text.indexOf(':', pair.key.range?.[1] ?? 0) + 1;
    const end = isNode(pair.value) ? (pair.value.range?.[1] ?? colon) : colon;
    return { start: colon, end, text: `\n${items}` };
  }
  const at = service.spec.range?.[1] ?? text.length;
  const newline = text[at - 1] === '\n' ? '' : '\n';
  return { start: at, end: at, text: `${newline}${' '.repeat(keyIndent)}slos:\n${items}\n` };
}

/** `- entry` lines with the dash at `dashIndent`, without a final newline. */
function listItems(entries: readonly string[], dashIndent: number): string {
  return entries.map((entry) => `${' '.repeat(dashIndent)}- ${indented(entry, dashIndent + 2).slice(dashIndent + 2)}`).join('\n');
}

/** An SLO entry as YAML; queries single-quoted as PromQL usually is in model files, or as a block when they span lines. */
export function renderSlo(slo: SloInput): string {
  const document = new Document(slo);
  for (const key of ['errors', 'good', 'total']) {
    const query = document.getIn(['sli', 'ratio', key], true);
    if (query instanceof Scalar) query.type = String(query.value).includes('\n') ? Scalar.BLOCK_LITERAL : Scalar.QUOTE_SINGLE;
  }
  return document.toString({ lineWidth: 0 }).trimEnd();
}

function indented(text: string, indent: number): string {
  const pad = ' '.repeat(indent);
  return text
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
}

function columnOf(service: ServiceDocument, offset: number): number {
  return service.lineCounter.linePos(offset).col - 1;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'range' in value;
}

function applyEdits(text: string, edits: readonly Edit[]): string {
  return [...edits].sort((a, b) => b.start - a.start).reduce((result, edit) => result.slice(0, edit.start) + edit.text + result.slice(edit.end), text);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
