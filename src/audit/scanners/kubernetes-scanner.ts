import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { LineCounter } from 'yaml';
import type { KubernetesObjectFact, SourceLocation } from '../facts.ts';
import type { Kustomization } from './kustomizations.ts';
import type { Warn } from './warn.ts';
import { isRecord, lineOf, mapValue, parseYamlFile, seqItems, stringOf, type YamlDocument } from './yaml-documents.ts';

/** apiVersion groups that look like Kubernetes objects but are configuration of other tools. */
const otherTools = ['steadyops.dev/', 'backstage.io/', 'openslo/', 'kustomize.config.k8s.io/', 'config.kubernetes.io/', 'skaffold/', 'kind.x-k8s.io/', 'kubeadm.k8s.io/'];

const kustomizeTimeoutMs = 30_000;

/** True for a document that is a Kubernetes object (or List) rather than another tool's `apiVersion`/`kind` file. */
export function isKubernetesDocument(data: unknown): data is Record<string, unknown> & { apiVersion: string; kind: string } {
  if (!isRecord(data)) return false;
  const { apiVersion, kind } = data;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return false;
  // a kubeconfig (`apiVersion: v1`, `kind: Config`) is a client's file, read by the secret scanner
  return kind !== 'Config' && !otherTools.some((prefix) => apiVersion.startsWith(prefix));
}

/** The objects of one manifest document: the object itself, or the items of a `kind: List` (or `*List`). */
export function objectsOfDocument(file: string, document: YamlDocument, lineCounter: LineCounter): KubernetesObjectFact[] {
  const data = document.data();
  if (!isKubernetesDocument(data)) return [];
  if (!isList(data)) return toFact(data, { file, line: document.line });
  const itemNodes = seqItems(mapValue(document.document.contents, 'items'));
  return (data.items as unknown[]).flatMap((item, index) => toFact(item, { file, line: lineOf(itemNodes[index], lineCounter) }));
}

function isList(data: { kind: string; items?: unknown }): boolean {
  return data.kind.endsWith('List') && Array.isArray(data.items);
}

function toFact(data: unknown, location: SourceLocation, kustomization?: string): KubernetesObjectFact[] {
  if (!isKubernetesDocument(data) || !isRecord(data.metadata)) return [];
  const name = stringOf(data.metadata.name);
  // a document without a name is a patch or a fragment, not something that can be applied
  if (!name) return [];
  const namespace = stringOf(data.metadata.namespace);
  return [
    {
      apiVersion: data.apiVersion,
      kind: data.kind,
      name,
      ...(namespace ? { namespace } : {}),
      location,
      ...(kustomization ? { kustomization } : {}),
      object: data,
    },
  ];
}

/** `kubectl kustomize <folder>`: the rendered objects, each located at the kustomization file. */
export async function renderKustomization(root: string, kustomization: Kustomization, kubectl: string, warn: Warn): Promise<KubernetesObjectFact[]> {
  const location = { file: kustomization.file };
  const output = await runKustomize(kubectl, join(root, kustomization.dir)).catch((error: Error) => {
    warn(location, `kubectl kustomize ${kustomization.dir} failed: ${kustomizeError(error.message, root)}; its manifests are not scanned`);
    return undefined;
  });
  if (output === undefined) return [];
  const rendered = parseYamlFile(kustomization.file, output, (at, message) => warn(at, `kubectl kustomize output: ${message}`));
  return rendered.documents.flatMap((document) => {
    const data = document.data();
    if (!isKubernetesDocument(data)) return [];
    const items = isList(data) ? (data.items as unknown[]) : [data];
    return items.flatMap((item) => toFact(item, location, kustomization.dir));
  });
}

function runKustomize(kubectl: string, folder: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(kubectl, ['kustomize', folder], { timeout: kustomizeTimeoutMs, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return reject(new Error(`${kubectl} was not found`));
      if (error.killed) return reject(new Error(`no answer within ${kustomizeTimeoutMs / 1_000} s`));
      reject(new Error(firstLines(stderr) || error.message));
    });
  });
}

function firstLines(text: string, count = 3): string {
  return text.trim().split('\n').slice(0, count).join(' ').replace(/\s+/g, ' ');
}

/** kubectl's log line without its klog prefix and `"command failed" err=` wrapper, paths relative to the root. */
function kustomizeError(message: string, root: string): string {
  const text = message
    .replace(/^[EWIF]\d{4} [\d:.]+\s+\d+ [^\]]+\] /, '')
    .replace(/^"command failed" err="(.*)"$/, '$1')
    .replace(/^error: /, '')
    .split(`${root}/`)
    .join('')
    // kustomize retries a failed file as a folder and reports both; the first is the one that matters
    .split("': must build at directory")[0] as string;
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}
