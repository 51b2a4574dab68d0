import { readFile } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { isSteadyopsError } from '../../lib/errors.ts';
import { findModelFiles, loadModelFromSources, type ModelSource } from '../../model/load-model.ts';
import { modelKinds, type ModelKind } from '../../model/schema.ts';
import type { ModelFacts, SourceLocation } from '../facts.ts';
import type { Warn } from './warn.ts';

export interface LoadedModelFacts {
  /** undefined without a model, or when the model has problems (each one a warning) */
  readonly model?: ModelFacts;
  /** the model's files, relative to the root: read here, not again by the other scanners */
  readonly files: readonly string[];
}

/**
 * The ownership model of the repository (`steadyops.yaml` or `.steadyops/`), when it has one. A model
 * with problems is not used: each problem is a warning at its file:line:col, as `steadyops validate` shows it.
 */
export async function loadModelFacts(root: string, warn: Warn): Promise<LoadedModelFacts> {
  let absolute: string[];
  try {
    absolute = await findModelFiles(undefined, root);
  } catch (error) {
    if (isSteadyopsError(error) && error.code === 'SO_E_MODEL_NOT_FOUND') return { files: [] };
    throw error;
  }
  const sources: ModelSource[] = [];
  for (const file of absolute) {
    const path = relative(root, file).split(sep).join('/');
    try {
      sources.push({ file: path, text: await readFile(file, 'utf8') });
    } catch (error) {
      warn({ file: path }, `could not read the ownership model file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  const files = sources.map((source) => source.file);
  const loaded = loadModelFromSources(sources);
  if (loaded.issues.length > 0) {
    for (const issue of loaded.issues) warn({ file: issue.file, line: issue.line, column: issue.col }, `ownership model: ${issue.message}`);
    return { files };
  }
  return { model: { model: loaded.model, locations: modelLocations(sources) }, files };
}

/** `Kind/name` -> the first line of its document. */
export function modelLocations(sources: readonly ModelSource[]): Map<`${ModelKind}/${string}`, SourceLocation> {
  const locations = new Map<`${ModelKind}/${string}`, SourceLocation>();
  for (const source of sources) {
    const lineCounter = new LineCounter();
    for (const document of parseAllDocuments(source.text, { lineCounter })) {
      const kind = document.get('kind');
      const name = document.getIn(['metadata', 'name']);
      if (!(modelKinds as readonly unknown[]).includes(kind) || typeof name !== 'string') continue;
      const key = `${kind as ModelKind}/${name}` as const;
      if (!locations.has(key)) locations.set(key, { file: source.file, line: lineCounter.linePos(document.contents?.range?.[0] ?? 0).line });
    }
  }
  return locations;
}
