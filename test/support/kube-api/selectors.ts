import type { KubeObject } from './kube-store.ts';

interface Requirement {
  readonly key: string;
  readonly operator: '=' | '!=';
  readonly value: string;
}

export interface Selectors {
  readonly labels: readonly Requirement[];
  readonly fields: readonly Requirement[];
}

/** `labelSelector` and `fieldSelector` query parameters, equality-based (`a=b`, `a==b`, `a!=b`). */
export function parseSelectors(params: URLSearchParams): Selectors {
  return { labels: requirements(params.get('labelSelector')), fields: requirements(params.get('fieldSelector')) };
}

function requirements(selector: string | null): Requirement[] {
  if (!selector) return [];
  return selector.split(',').map((term) => {
    const match = /^([^!=]+?)\s*(!=|==|=)\s*(.*)$/.exec(term.trim());
    if (!match) throw new Error(`unsupported selector term: ${term}`);
    const [, key = '', operator, value = ''] = match;
    return { key, operator: operator === '!=' ? '!=' : '=', value };
  });
}

export function matchesSelectors(object: KubeObject, selectors: Selectors): boolean {
  const labels = object.metadata.labels ?? {};
  const fields: Record<string, string | undefined> = { 'metadata.name': object.metadata.name, 'metadata.namespace': object.metadata.namespace };
  return selectors.labels.every((term) => test(labels[term.key], term)) && selectors.fields.every((term) => test(fields[term.key], term));
}

function test(actual: string | undefined, term: Requirement): boolean {
  return term.operator === '=' ? actual === term.value : actual !== term.value;
}
