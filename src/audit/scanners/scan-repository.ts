import { realpath, stat } from 'node:fs/promises';
import { posix, resolve } from 'node:path';
import { SteadyopsError } from '../../lib/errors.ts';
import type { Ledger } from '../../ledger/types.ts';
import { loadSqlParser, type SqlParser } from '../../release/rollback/sql-parser.ts';
import type { AuditFacts, AuditWarning, KubernetesObjectFact, ModelFacts, SourceLocation } from '../facts.ts';
import { codeownersPaths, scanCodeowners } from './codeowners-scanner.ts';
import { dashboardsOfObjects, withoutCopies } from './dashboard-scanner.ts';
import { renderKustomization } from './kubernetes-scanner.ts';
import { isKustomizationFile, planKustomizations, readKustomization, type Kustomization } from './kustomizations.ts';
import { defaultLedgerLimit, ledgerFacts } from './ledger-facts.ts';
import { isUnder, migrationFolders, scanMigrationFolder } from './migration-scanner.ts';
import { loadModelFacts } from './model-facts.ts';
import { alertRulesOfObjects } from './prometheus-rules-scanner.ts';
import { readTextFile } from './read-text-file.ts';
import { scanRunbooks } from './runbook-scanner.ts';
import { nothingFound, scanFile, type FileScanContext, type FoundSoFar } from './scan-file.ts';
import { loadHclParser, scanTerraformFiles } from './terraform-scanner.ts';
import { walkFiles, type WalkedFile } from './walk-files.ts';
import type { Warn } from './warn.ts';

export interface ScanOptions {
  /** the repository folder */
  readonly root: string;
  /** a model already loaded; `auto` (the default) loads `steadyops.yaml` or `.steadyops/` under the root when there is one; `none` scans without */
  readonly model?: ModelFacts | 'auto' | 'none';
  /** the ledger to read the last 90 days from; without it the ledger controls do not apply */
  readonly ledger?: Ledger;
  readonly now: Date;
  /** the kubectl that renders kustomizations (default `kubectl` on the PATH) */
  readonly kubectl?: string;
  /** larger files are skipped with a warning (default 5 MB) */
  readonly maxFileBytes?: number;
  /** at most this many ledger events (the newest) are read */
  readonly ledgerLimit?: number;
  /** called with the number of files scanned so far */
  readonly onProgress?: (files: number) => void;
}

export const defaultMaxFileBytes = 5 * 1024 * 1024;
const progressEvery = 250;
const kustomizeConcurrency = 2;

/**
 * Reads a repository (and optionally a model and a ledger) into the facts the controls check. Read-only;
 * bad input of any kind (unparsable YAML, binary or huge files, symlink loops, templates that do not
 * render, a failing `kubectl kustomize`) is a warning and the scan goes on.
 */
export async function scanRepository(options: ScanOptions): Promise<AuditFacts> {
  const root = await repositoryRoot(options.root);
  const warnings: AuditWarning[] = [];
  const warn: Warn = (location, message) => warnings.push({ location, message });
  const maxFileBytes = options.maxFileBytes ?? defaultMaxFileBytes;

  const loadedModel = options.model === undefined || options.model === 'auto' ? await loadModelFacts(root, warn) : { files: [], ...(options.model === 'none' ? {} : { model: options.model }) };
  const model = loadedModel.model;
  const files = walkFiles(root, warn);
  const paths = files.map((file) => file.path);

  const folders = migrationFolders(paths, model?.model, (service) => model?.locations.get(`Service/${service}`), warn);
  // the WebAssembly parsers compile while the files are read
  if (paths.some((path) => path.endsWith('.tf'))) void loadHclParser().catch(() => undefined);
  const sqlParser = folders.length > 0 ? loadSqlParserOrWarn(folders.map((folder) => folder.path), warn) : undefined;

  let scanned = loadedModel.files.length;
  const read = (file: WalkedFile): string | undefined => {
    const outcome = readTextFile(file.absolute, maxFileBytes);
    if ('skipped' in outcome) {
      warn({ file: file.path }, outcome.skipped);
      return undefined;
    }
    scanned += 1;
    return outcome.text;
  };

  const kustomize = startKustomize(files, read, (kustomization) => renderKustomization(root, kustomization, options.kubectl ?? 'kubectl', warn), warn);
  const skipped = new Set([...loadedModel.files, ...kustomize.files]);
  const charts = paths.filter((path) => posix.basename(path) === 'Chart.yaml').map((path) => posix.dirname(path));
  const context: FileScanContext = {
    warn,
    renderedByKustomize: (path) => kustomize.plan.covers(path),
    isMigration: (path) => folders.some((folder) => isUnder(path, folder.path)),
    chartOf: (path) => charts.find((chart) => isUnder(path, chart === '.' ? 'templates' : `${chart}/templates`)),
  };
  const found = nothingFound();
  let sinceProgress = 0;
  for (const file of files) {
    if (skipped.has(file.path)) continue;
    const text = read(file);
    if (text !== undefined) scanSafely(file.path, text, context, found);
    sinceProgress += 1;
    if (sinceProgress >= progressEvery) {
      sinceProgress = 0;
      options.onProgress?.(scanned);
      // lets kubectl's output in, and the caller's progress out
      await new Promise((resolveLater) => setImmediate(resolveLater));
    }
  }
  warnSkippedTemplates(found, warn);

  const kubernetes = byLocation([...found.kubernetes, ...(await kustomize.rendering)]);
  const terraform = byLocation([...(await scanTerraformFiles(found.terraformFiles, warn)), ...found.plans]);
  const parser = await sqlParser;
  const migrations = parser ? folders.flatMap((folder) => scanMigrationFolder(folder, found.migrationTexts, parser, warn)) : [];
  const codeowners = codeownersPaths.find((path) => found.codeowners.has(path));
  const ledger = options.ledger ? await ledgerFacts(options.ledger, options.now, warn, options.ledgerLimit ?? defaultLedgerLimit) : undefined;
  options.onProgress?.(scanned);

  return {
    root,
    filesScanned: scanned,
    ...(model ? { model } : {}),
    ...(ledger ? { ledger } : {}),
    kubernetes,
    workflows: found.workflows,
    terraform,
    migrations,
    alertRules: [...found.alertRules, ...alertRulesOfObjects(kubernetes)],
    dashboards: withoutCopies(found.dashboards, dashboardsOfObjects(kubernetes)),
    ...(codeowners ? { codeowners: scanCodeowners(codeowners, found.codeowners.get(codeowners) ?? '') } : {}),
    runbooks: scanRunbooks(paths, model?.model),
    secrets: found.secrets,
    warnings: byLocation(warnings),
  };
}

/** A scanner that trips over a file it did not expect is a warning about that file, not the end of the audit. */
function scanSafely(path: string, text: string, context: FileScanContext, found: FoundSoFar): void {
  try {
    scanFile(path, text, context, found);
  } catch (error) {
    context.warn({ file: path }, `could not scan the file: ${(error as Error).message}`);
  }
}

async function repositoryRoot(folder: string): Promise<string> {
  const absolute = resolve(folder);
  const info = await stat(absolute).catch(() => undefined);
  if (!info?.isDirectory()) throw new SteadyopsError('SO_E_USAGE', { detail: `${folder} is not a folder; give the repository folder to audit` });
  return realpath(absolute);
}

type Render = (kustomization: Kustomization) => Promise<KubernetesObjectFact[]>;

/** Reads the kustomization files first and starts rendering the top ones, beside the file pass. */
function startKustomize(files: readonly WalkedFile[], read: (file: WalkedFile) => string | undefined, render: Render, warn: Warn) {
  const kustomizations = files.filter((file) => isKustomizationFile(file.path)).flatMap((file) => {
    const text = read(file);
    return text === undefined ? [] : [readKustomization(file.path, text, warn)];
  });
  const plan = planKustomizations(kustomizations);
  return { plan, files: kustomizations.map((kustomization) => kustomization.file), rendering: renderAll(plan.roots, render) };
}

/** kubectl runs a few at a time; objects in the order of the kustomizations. */
async function renderAll(kustomizations: readonly Kustomization[], render: Render): Promise<KubernetesObjectFact[]> {
  const results: KubernetesObjectFact[][] = [];
  let next = 0;
  const worker = async () => {
    while (next < kustomizations.length) {
      const index = next++;
      results[index] = await render(kustomizations[index] as Kustomization);
    }
  };
  await Promise.all(Array.from({ length: Math.min(kustomizeConcurrency, kustomizations.length) }, worker));
  return results.flat();
}

function loadSqlParserOrWarn(folders: readonly string[], warn: Warn): Promise<SqlParser | undefined> {
  return loadSqlParser().catch((error: Error) => {
    for (const folder of folders) warn({ file: folder }, `the PostgreSQL parser could not be loaded (${error.message}); the migrations are not classified`);
    return undefined;
  });
}

function warnSkippedTemplates(found: FoundSoFar, warn: Warn): void {
  for (const [chart, count] of found.skippedTemplates) {
    warn(
      { file: chart === '.' ? 'Chart.yaml' : `${chart}/Chart.yaml` },
      `Helm chart ${chart}: ${count} template(s) skipped: templates that do not render without Helm; audit the output of \`helm template\` to check them`,
    );
  }
}

/** Sorted by file, then line and column; equal places keep their order. */
function byLocation<T extends { readonly location: SourceLocation }>(items: readonly T[]): T[] {
  return [...items].sort(
    (a, b) =>
      compareText(a.location.file, b.location.file) || (a.location.line ?? 0) - (b.location.line ?? 0) || (a.location.column ?? 0) - (b.location.column ?? 0),
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
