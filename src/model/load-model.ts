import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';
import { SteadyopsError, isSteadyopsError } from '../lib/errors.ts';
import { checkPromql } from './check-promql.ts';
import { checkReferences } from './check-references.ts';
import type { NameRegistry } from './check-references.ts';
import { resolveModel } from './resolve.ts';
import type { ResolvedModel } from './resolve.ts';
import { apiVersion, modelKinds } from './schema.ts';
import type { ModelDocument, ModelKind } from './schema.ts';
import { didYouMean } from './suggest.ts';
import { validateDocument } from './validate-document.ts';
import type { DocumentProblem } from './validate-document.ts';
import { positionOfProblem } from './value-position.ts';
import { positionOf } from './yaml-positions.ts';

export interface ModelIssue {
  file: string;
  line: number;
  col: number;
  message: string;
}

export interface ModelSource {
  /** Shown in issues; usually relative to the working directory. */
  file: string;
  text: string;
}

export interface LoadedModel {
  model: ResolvedModel;
  issues: ModelIssue[];
  /** The documents that validated, in source order (the first of duplicate names only). */
  documents: ModelDocument[];
  files: string[];
}

interface ParsedDocument {
  source: ModelSource;
  yaml: Document.Parsed;
  lineCounter: LineCounter;
  data: Record<string, unknown>;
}

interface Checked {
  parsed: ParsedDocument;
  kind: ModelKind;
  document?: ModelDocument;
}

/** Validates documents given as text: pure, used by the file loader, the server and tests. */
export function loadModelFromSources(sources: readonly ModelSource[]): LoadedModel {
  const issues: ModelIssue[] = [];
  const report = (parsed: ParsedDocument, problems: readonly DocumentProblem[]) => {
    for (const problem of problems) {
      const position = positionOfProblem(parsed.yaml.contents, parsed.lineCounter, parsed.source.text, problem);
      issues.push({ file: parsed.source.file, ...position, message: problem.message });
    }
  };
  const registry = new Map<ModelKind, Map<string, string>>(modelKinds.map((kind) => [kind, new Map()]));
  const checked: Checked[] = [];

  for (const source of sources) {
    for (const { parsed, syntaxOk } of parseSource(source, issues)) {
      const kind = checkEnvelope(parsed.data, (problem) => report(parsed, [problem]));
      const naming = registerName(parsed, kind, registry, (problem) => report(parsed, [problem]));
      if (!syntaxOk || !kind || naming === 'duplicate') continue;
      const validation = validateDocument(kind, parsed.data);
      if (validation.ok) checked.push({ parsed, kind, document: validation.document });
      else {
        report(parsed, validation.problems);
        checked.push({ parsed, kind });
      }
    }
  }

  const names: NameRegistry = new Map([...registry].map(([kind, byName]) => [kind, new Set(byName.keys())]));
  for (const { parsed, kind } of checked) {
    report(parsed, checkReferences(kind, parsed.data, names));
    report(parsed, checkPromql(kind, parsed.data));
  }

  const fileOrder = new Map(sources.map((source, index) => [source.file, index]));
  issues.sort(
    (a, b) => (fileOrder.get(a.file) ?? 0) - (fileOrder.get(b.file) ?? 0) || a.line - b.line || a.col - b.col,
  );
  const documents = checked.flatMap((entry) => (entry.document ? [entry.document] : []));
  return { model: resolveModel(documents), issues, documents, files: sources.map((source) => source.file) };
}

function parseSource(source: ModelSource, issues: ModelIssue[]): Array<{ parsed: ParsedDocument; syntaxOk: boolean }> {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(source.text, { lineCounter });
  const result: Array<{ parsed: ParsedDocument; syntaxOk: boolean }> = [];
  for (const yaml of documents) {
    for (const error of yaml.errors) {
      const position = lineCounter.linePos(error.pos[0]);
      issues.push({ file: source.file, ...position, message: `YAML syntax: ${firstSentence(error.message)}` });
    }
    const data = safeToJs(yaml);
    if (data === undefined || data === null) continue;
    if (typeof data !== 'object' || Array.isArray(data)) {
      const position = lineCounter.linePos(yaml.contents?.range?.[0] ?? 0);
      issues.push({
        file: source.file,
        ...position,
        message: 'a model document must be a mapping with apiVersion, kind, metadata and spec',
      });
      continue;
    }
    const parsed = { source, yaml, lineCounter, data: data as Record<string, unknown> };
    result.push({ parsed, syntaxOk: yaml.errors.length === 0 });
  }
  return result;
}

function safeToJs(yaml: Document.Parsed): unknown {
  try {
    return yaml.toJS({ maxAliasCount: 100 });
  } catch {
    return undefined;
  }
}

function firstSentence(message: string): string {
  return message.split(/ at line \d+, column \d+/)[0] ?? message;
}

function checkEnvelope(data: Record<string, unknown>, report: (problem: DocumentProblem) => void): ModelKind | undefined {
  const version = data.apiVersion;
  if (version === undefined) {
    report({ path: ['apiVersion'], target: 'value', message: `apiVersion: missing required field "apiVersion" (use ${apiVersion})` });
  } else if (version !== apiVersion) {
    report({
      path: ['apiVersion'],
      target: 'value',
      message: `apiVersion: ${JSON.stringify(version)} is not supported; use ${apiVersion}`,
    });
  }
  const kind = data.kind;
  if (typeof kind === 'string' && (modelKinds as readonly string[]).includes(kind)) {
    return version === apiVersion ? (kind as ModelKind) : undefined;
  }
  const valid = modelKinds.join(', ');
  const message =
    kind === undefined
      ? `kind: missing required field "kind" (one of: ${valid})`
      : `kind: unknown kind ${JSON.stringify(kind)}${didYouMean(String(kind), modelKinds)}; valid kinds: ${valid}`;
  report({ path: ['kind'], target: 'value', message });
  return undefined;
}

/** Records the document's name so references resolve even when the document itself has mistakes. */
function registerName(
  parsed: ParsedDocument,
  kind: ModelKind | undefined,
  registry: Map<ModelKind, Map<string, string>>,
  report: (problem: DocumentProblem) => void,
): 'unnamed' | 'new' | 'duplicate' {
  const rawKind = parsed.data.kind;
  const metadata = parsed.data.metadata as { name?: unknown } | undefined;
  const name = metadata?.name;
  const byName = registry.get((kind ?? rawKind) as ModelKind);
  if (!byName || typeof name !== 'string') return 'unnamed';
  const path = ['metadata', 'name'];
  const here = positionOf(parsed.yaml.contents, path, parsed.lineCounter);
  const first = byName.get(name);
  if (first !== undefined) {
    report({
      path,
      target: 'value',
      message: `metadata.name: duplicate ${String(rawKind)} "${name}", first defined at ${first}; names are unique per kind`,
    });
    return 'duplicate';
  }
  byName.set(name, `${parsed.source.file}:${here.line}:${here.col}`);
  return 'new';
}

// ---------------------------------------------------------------- files

const defaultLocations = ['steadyops.yaml', 'steadyops.yml', '.steadyops'];

/**
 * The model files for an explicit file or folder, or (without a path) `steadyops.yaml`,
 * `steadyops.yml` or `.steadyops/` in `cwd`. A folder that holds one of those uses it;
 * any other folder contributes all its `*.yaml`/`*.yml` files, recursively, sorted.
 */
export async function findModelFiles(path: string | undefined, cwd: string): Promise<string[]> {
  const start = resolve(cwd, path ?? '.');
  const info = await stat(start).catch(() => undefined);
  if (!info) throw new SteadyopsError('SO_E_MODEL_NOT_FOUND', { path: path ?? cwd });
  if (info.isFile()) return [start];
  for (const candidate of defaultLocations) {
    const location = join(start, candidate);
    const found = await stat(location).catch(() => undefined);
    if (found?.isFile()) return [location];
    if (found?.isDirectory()) return yamlFilesUnder(location);
  }
  const files = path === undefined ? [] : await yamlFilesUnder(start);
  if (files.length === 0) throw new SteadyopsError('SO_E_MODEL_NOT_FOUND', { path: path ?? cwd });
  return files;
}

async function yamlFilesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !relative(folder, file).split(sep).some((part) => part === 'node_modules' || part === '.git'))
    .sort();
}

export async function loadModel(path?: string, cwd: string = process.cwd()): Promise<LoadedModel> {
  const files = await findModelFiles(path, cwd);
  const sources = await Promise.all(
    files.map(async (file) => ({ file: displayPath(file, cwd), text: await readFile(file, 'utf8') })),
  );
  return loadModelFromSources(sources);
}

export async function loadModelOrThrow(path?: string, cwd: string = process.cwd()): Promise<LoadedModel> {
  const loaded = await loadModel(path, cwd);
  if (loaded.issues.length > 0) {
    throw new SteadyopsError('SO_E_MODEL_INVALID', { count: loaded.issues.length }, loaded.issues);
  }
  return loaded;
}

function displayPath(file: string, cwd: string): string {
  const shown = relative(cwd, file);
  return (shown.startsWith('..') ? file : shown).split(sep).join('/');
}

/** For connectors: the model places events under a service; no model (and no explicit path) only means no subject. */
export async function loadModelIfPresent(config: string | undefined, cwd: string): Promise<ResolvedModel | undefined> {
  try {
    return (await loadModel(config, cwd)).model;
  } catch (error) {
    if (config === undefined && isSteadyopsError(error) && error.code === 'SO_E_MODEL_NOT_FOUND') return undefined;
    throw error;
  }
}
