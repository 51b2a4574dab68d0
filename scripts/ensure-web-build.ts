import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm start` runs this before `steadyops serve --demo`: it builds the web dashboard (vite) when
 * dist/web is missing or older than any file under web/, and does nothing otherwise.
 */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const sources = join(repoRoot, 'web');
const builtIndex = join(repoRoot, 'dist', 'web', 'index.html');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** True when dist/web has no build or one older than the newest source file. */
export function webBuildIsStale(): boolean {
  if (!existsSync(builtIndex)) return true;
  return newestMtime(sources) > statSync(builtIndex).mtimeMs;
}

/** Builds the dashboard into dist/web when stale; throws when vite fails. */
export function ensureWebBuild(log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): boolean {
  if (!webBuildIsStale()) return false;
  log('building the web dashboard (vite build --config web/vite.config.ts)');
  const vite = join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: repoRoot,
    stdio: 'inherit',
    // a test runner sets NODE_ENV=test, which would bundle React's development build
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) throw new Error(`vite build failed with exit code ${result.status ?? result.signal}`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    ensureWebBuild();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
