import { posix } from 'node:path';
import type { Warn } from './warn.ts';
import { isRecord, parseYamlFile } from './yaml-documents.ts';

export const kustomizationFileNames: ReadonlySet<string> = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

/** A folder `kubectl kustomize` can render. */
export interface Kustomization {
  /** the folder, relative to the root (`.` for the root itself) */
  readonly dir: string;
  /** its kustomization file, relative to the root */
  readonly file: string;
  /** the local files and folders it pulls in (resources, bases, components, patches), relative to the root */
  readonly references: readonly string[];
}

/** Fields of a kustomization whose entries (strings, or objects with `path`) name local files or folders. */
const referenceFields = ['resources', 'bases', 'components', 'crds', 'patchesStrategicMerge', 'patches', 'patchesJson6902', 'generators', 'transformers', 'validators', 'configurations'];

export function isKustomizationFile(path: string): boolean {
  return kustomizationFileNames.has(posix.basename(path));
}

export function readKustomization(file: string, text: string, warn: Warn): Kustomization {
  const dir = posix.dirname(file);
  const data = parseYamlFile(file, text, warn).documents[0]?.data();
  const references = new Set<string>();
  for (const field of referenceFields) {
    const entries = isRecord(data) && Array.isArray(data[field]) ? (data[field] as unknown[]) : [];
    for (const entry of entries) {
      const reference = typeof entry === 'string' ? entry : isRecord(entry) && typeof entry.path === 'string' ? entry.path : undefined;
      const local = reference === undefined ? undefined : localPath(dir, reference);
      if (local !== undefined) references.add(local);
    }
  }
  return { dir, file, references: [...references] };
}

/** A reference inside the repository, or undefined for a remote one (a git URL, an HTTP URL) or one outside it. */
function localPath(dir: string, reference: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(reference) || /^(git@|github\.com\/|gitlab\.com\/|bitbucket\.org\/)/.test(reference)) return undefined;
  const path = posix.normalize(posix.join(dir, reference)).replace(/\/+$/, '');
  return path === '..' || path.startsWith('../') || path.startsWith('/') ? undefined : path;
}

export interface KustomizePlan {
  /** kustomizations no other kustomization pulls in: the ones to render (a base appears through its overlays) */
  readonly roots: readonly Kustomization[];
  /** true for a manifest that a kustomization renders: the files beside it and the files it references */
  covers(path: string): boolean;
}

export function planKustomizations(kustomizations: readonly Kustomization[]): KustomizePlan {
  const folders = new Set(kustomizations.map((kustomization) => kustomization.dir));
  const referenced = new Set(kustomizations.flatMap((kustomization) => kustomization.references));
  return {
    roots: kustomizations.filter((kustomization) => !referenced.has(kustomization.dir)),
    // a folder reference is another kustomization (kustomize needs one there): its own files count through it
    covers: (path) => folders.has(posix.dirname(path)) || referenced.has(path),
  };
}
