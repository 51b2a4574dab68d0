import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { ResolvedModel } from '../../model/resolve.ts';
import { parseRunbook, type ParsedRunbook } from './parse-runbook.ts';

/** Runbook references are repository paths unless they have a URL scheme. */
export function isRepositoryPath(reference: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:/i.test(reference);
}

/** A runbook reference as a repository path: no leading `./`, no `#anchor` or `?query`. */
export function cleanPath(reference: string): string {
  return reference.replace(/^(\.\/)+/, '').replace(/[#?].*$/, '');
}

/**
 * The absolute path of a repository-relative file, or undefined when it would leave the root:
 * a `..` escape, an absolute path, or a symlink (anywhere on the way) pointing outside.
 */
export function insideRoot(root: string, path: string): string | undefined {
  if (isAbsolute(path) || path.split(/[\\/]/).includes('..')) return undefined;
  const realRoot = realpathSync(root);
  const target = resolve(realRoot, path);
  // a missing file is judged by the deepest folder on its way that exists (it may be a symlink out)
  let existing = target;
  while (!existsSync(existing)) existing = dirname(existing);
  const real = join(realpathSync(existing), relative(existing, target));
  return real === realRoot || real.startsWith(`${realRoot}${sep}`) ? real : undefined;
}

/** Whether a repository-relative path is a file inside the root (symlinks leaving it do not count). */
export function repositoryFileExists(root: string): (path: string) => boolean {
  return (path) => {
    const absolute = insideRoot(root, path);
    return absolute !== undefined && existsSync(absolute) && statSync(absolute).isFile();
  };
}

/** Every runbook path the model names, per service (URLs left out). */
export function modelRunbookPaths(model: ResolvedModel): { path: string; service: string }[] {
  return model.services.flatMap((service) =>
    [...(service.runbooks ?? []).map((entry) => entry.path), ...(service.alerts ?? []).map((route) => route.runbook)]
      .filter((reference): reference is string => reference !== undefined && isRepositoryPath(reference))
      .map((reference) => ({ path: cleanPath(reference), service: service.name })),
  );
}

export interface RunbookFiles {
  readonly runbooks: ParsedRunbook[];
  readonly missingFiles: { path: string; service: string }[];
  readonly fileExists: (path: string) => boolean;
}

/** Reads the runbooks the model names and the Markdown in the root's `runbooks/` folder (the thin I/O edge of the lint). */
export function readRunbookFiles(root: string, model: ResolvedModel): RunbookFiles {
  const named = modelRunbookPaths(model);
  const folder = join(root, 'runbooks');
  const inFolder = existsSync(folder) ? readdirSync(folder).filter((name) => /\.(md|markdown)$/i.test(name)).map((name) => `runbooks/${name}`) : [];
  const paths = [...new Set([...named.map((entry) => entry.path), ...inFolder])].sort();
  const fileExists = repositoryFileExists(root);
  const runbooks = paths.filter(fileExists).map((path) => parseRunbook(path, readFileSync(insideRoot(root, path)!, 'utf8')));
  const seen = new Set<string>();
  const missingFiles = named.filter((entry) => {
    const key = `${entry.service}\u0000${entry.path}`;
    if (fileExists(entry.path) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { runbooks, missingFiles, fileExists };
}
