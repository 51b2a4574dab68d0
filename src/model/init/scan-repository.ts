import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { parseCodeowners } from './codeowners.ts';
import type { RepositoryFindings, Workload, WorkflowEnvironment } from './draft-model.ts';

const codeownersLocations = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'];
const skippedFolders = new Set(['node_modules', '.git', '.steadyops']);

/** Reads what `steadyops init` drafts a model from; all interpretation happens in `draftModel`. */
export async function scanRepository(dir: string): Promise<RepositoryFindings> {
  const files = await listFiles(dir);
  const findings: RepositoryFindings = { workloads: [], workflowEnvironments: [], catalog: [] };
  for (const location of codeownersLocations) {
    if (!files.includes(location)) continue;
    findings.codeowners = { file: location, rules: parseCodeowners(await readFile(join(dir, location), 'utf8')) };
    break;
  }
  for (const file of files.filter((name) => /\.ya?ml$/.test(name))) {
    const text = await readFile(join(dir, file), 'utf8');
    if (/(^|\/)catalog-info\.ya?ml$/.test(file)) findings.catalog.push({ file, text });
    else if (/^\.github\/workflows\/[^/]+\.ya?ml$/.test(file)) findings.workflowEnvironments.push(...workflowEnvironments(file, text));
    else if (!/^steadyops\.ya?ml$/.test(file)) findings.workloads.push(...workloadsIn(file, text));
  }
  return findings;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .filter((file) => !file.split('/').some((part) => skippedFolders.has(part)))
    .sort();
}

function yamlDocuments(text: string): unknown[] {
  try {
    return parseAllDocuments(text)
      .filter((document) => document.errors.length === 0)
      .map((document) => document.toJS() as unknown);
  } catch {
    return [];
  }
}

type Data = Record<string, unknown>;
const asData = (value: unknown): Data => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Data) : {});

function workloadsIn(file: string, text: string): Workload[] {
  const workloads: Workload[] = [];
  for (const raw of yamlDocuments(text)) {
    const data = asData(raw);
    const metadata = asData(data.metadata);
    if ((data.kind !== 'Deployment' && data.kind !== 'StatefulSet') || typeof metadata.name !== 'string') continue;
    workloads.push({
      file,
      kind: data.kind,
      name: metadata.name,
      ...(typeof metadata.namespace === 'string' ? { namespace: metadata.namespace } : {}),
    });
  }
  return workloads;
}

function workflowEnvironments(file: string, text: string): WorkflowEnvironment[] {
  const found: WorkflowEnvironment[] = [];
  for (const raw of yamlDocuments(text)) {
    for (const [job, definition] of Object.entries(asData(asData(raw).jobs))) {
      const environment = asData(definition).environment;
      const name = typeof environment === 'string' ? environment : asData(environment).name;
      if (typeof name === 'string') found.push({ file, job, environment: name });
    }
  }
  return found;
}
