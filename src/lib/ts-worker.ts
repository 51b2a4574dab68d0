import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread on a TypeScript module, loading it through tsx as the main thread is
 * (ADR 0003). tsx is resolved here: an eval'd worker would resolve it from the working directory.
 */
export function spawnTsWorker(entry: URL, workerData?: unknown): Worker {
  const code = `import(${JSON.stringify(tsxEsmApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(code, { eval: true, workerData });
}

let resolved: string | undefined;

/** tsx's ESM entry (the `import` condition of its `./esm/api` export), as a file URL. */
function tsxEsmApi(): string {
  if (resolved) return resolved;
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('tsx/package.json');
  const manifest = require(manifestPath) as { exports: Record<string, { import: { default: string } }> };
  const entry = manifest.exports['./esm/api']?.import.default ?? './dist/esm/api/index.mjs';
  resolved = pathToFileURL(join(dirname(manifestPath), entry)).href;
  return resolved;
}
