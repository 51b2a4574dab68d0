import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { Warn } from './warn.ts';

/** A regular file of the repository, `/`-separated and relative to the root. */
export interface WalkedFile {
  readonly path: string;
  readonly absolute: string;
}

/**
 * Folders never scanned: version control, dependencies and build output hold no production
 * configuration of this repository, and scanning them costs more than the rest together.
 * `build/` is kept: teams keep CI and Docker set-up there.
 */
const skippedFolders = new Set(['.git', 'node_modules', 'vendor', 'dist', '__pycache__', '.terraform']);
/** Hidden folders are tool state (.idea, .venv, .cache), except these two. */
const keptHiddenFolders = new Set(['.github', '.steadyops']);

/** Files that are binary by their name: skipped without being read (and without a warning). */
const binaryExtensions = new Set(
  'png jpg jpeg gif ico webp bmp tif tiff svgz pdf zip gz tgz bz2 xz zst 7z rar jar war ear class so dylib dll exe o a lib woff woff2 ttf otf eot mp3 mp4 m4a mov avi mkv wav flac ogg webm bin wasm pyc pyo sqlite sqlite3 db psd ai'.split(' '),
);

export function isSkippedFolder(name: string): boolean {
  return skippedFolders.has(name) || (name.startsWith('.') && !keptHiddenFolders.has(name));
}

export function hasBinaryExtension(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && binaryExtensions.has(name.slice(dot + 1).toLowerCase());
}

/**
 * Every file under `root` (a real path), sorted by path. Symbolic links are not followed: a target
 * inside the repository is scanned where it lives, and following them is how scanners loop. A link
 * that points at one of its own ancestors (a loop), outside the repository or nowhere is a warning.
 */
export function walkFiles(root: string, warn: Warn): WalkedFile[] {
  const files: WalkedFile[] = [];
  const visit = (absolute: string, relative: string, ancestors: readonly string[]) => {
    let entries;
    try {
      entries = readdirSync(absolute, { withFileTypes: true });
    } catch (error) {
      warn({ file: relative || '.' }, `could not read the folder: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      const child = join(absolute, entry.name);
      if (entry.isDirectory()) {
        if (!isSkippedFolder(entry.name)) visit(child, path, [...ancestors, child]);
      } else if (entry.isFile()) {
        if (!hasBinaryExtension(entry.name)) files.push({ path, absolute: child });
      } else if (entry.isSymbolicLink()) {
        checkLink(root, child, path, ancestors, warn);
      }
    }
  };
  visit(root, '', [root]);
  return files;
}

function checkLink(root: string, link: string, path: string, ancestors: readonly string[], warn: Warn): void {
  let target: string;
  try {
    target = realpathSync(link);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') warn({ file: path }, 'symlink loop: the link resolves to itself; not followed');
    else warn({ file: path }, `broken symlink (${code ?? (error as Error).message}); not followed`);
    return;
  }
  if (target !== root && !target.startsWith(root + sep)) {
    warn({ file: path }, 'symlink points outside the repository; not followed');
    return;
  }
  if (ancestors.includes(target) && isDirectory(target)) {
    const loopsTo = target === root ? '.' : target.slice(root.length + 1).split(sep).join('/');
    warn({ file: path }, `symlink loop: it points at its own ancestor ${loopsTo}; not followed`);
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
