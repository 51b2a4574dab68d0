import type { ModelSource } from '../load-model.ts';
import { emptyImport, issueAt, readSourceDocuments, where } from './imported-slo.ts';
import type { SloImport, SourceDocument, SourcePosition } from './imported-slo.ts';
import { convertOpenSlo, openSloVersion } from './openslo.ts';
import { convertSloth, slothVersion } from './sloth.ts';

const expected = `use apiVersion: ${openSloVersion} (OpenSLO: SLO, SLI, AlertPolicy) or version: ${slothVersion} (a Sloth spec)`;

/**
 * SLOs from OpenSLO v1 and Sloth prometheus/v1 files (multi-document YAML, formats may be mixed),
 * as model SLO entries per service. Pure: the caller reads the files and decides what to write.
 */
export function importSlos(sources: readonly ModelSource[]): SloImport {
  const result = emptyImport();
  const openSlo: SourceDocument[] = [];
  const sloth: SourceDocument[] = [];
  for (const document of readSourceDocuments(sources, result.issues)) {
    const format = formatOf(document, result);
    if (format === 'openslo') openSlo.push(document);
    else if (format === 'sloth') sloth.push(document);
  }
  for (const part of [convertOpenSlo(openSlo), convertSloth(sloth)]) {
    result.slos.push(...part.slos);
    result.notes.push(...part.notes);
    result.issues.push(...part.issues);
  }
  reportDuplicates(result);
  result.issues.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
  return result;
}

function formatOf(document: SourceDocument, result: SloImport): 'openslo' | 'sloth' | undefined {
  const { apiVersion, version } = document.data;
  if (apiVersion === openSloVersion) return 'openslo';
  if (version === slothVersion && apiVersion === undefined) return 'sloth';
  const [path, value] = apiVersion !== undefined ? (['apiVersion', apiVersion] as const) : (['version', version] as const);
  const message =
    value === undefined
      ? `not an SLO document: ${expected}`
      : `${path}: ${JSON.stringify(value)} is not supported; ${expected}${hintFor(value)}`;
  result.issues.push(issueAt(document, { path: value === undefined ? [] : [path], target: 'value', message }));
  return undefined;
}

function hintFor(value: unknown): string {
  if (typeof value === 'string' && value.startsWith('sloth.slok.dev/')) return ' (the Kubernetes PrometheusServiceLevel resource carries the same SLOs as a prometheus/v1 spec)';
  if (typeof value === 'string' && value.startsWith('openslo/')) return ' (OpenSLO v1alpha and v2 documents are not read yet)';
  return '';
}

/** Two imported SLOs may not land on the same service and name. */
function reportDuplicates(result: SloImport): void {
  const seen = new Map<string, SourcePosition>();
  result.slos = result.slos.filter((imported) => {
    const key = `${imported.service}/${imported.slo.name}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, imported.from);
      return true;
    }
    result.issues.push({
      ...imported.from,
      message: `SLO "${imported.slo.name}" of service ${imported.service} is already imported from ${where(first)}; SLO names are unique within a service`,
    });
    return false;
  });
}
