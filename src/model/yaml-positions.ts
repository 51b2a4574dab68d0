import { isMap, isPair, isScalar, isSeq } from 'yaml';
import type { LineCounter, Node, ParsedNode } from 'yaml';

export type ModelPath = ReadonlyArray<PropertyKey>;

export interface Position {
  line: number;
  col: number;
}

/** How to point at a path: at its value, or at the key naming it (used for unknown fields). */
export type Target = 'value' | 'key';

interface Found {
  node: Node;
  key?: Node;
  complete: boolean;
}

/**
 * Finds the YAML node a data path points at. When the path goes further than the document
 * (a missing field), it stops at the deepest node that exists: the parent mapping.
 */
export function findNode(root: ParsedNode | null, path: ModelPath): Found | undefined {
  if (!root) return undefined;
  let found: Found = { node: root, complete: true };
  for (const segment of path) {
    const { node } = found;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === segment);
      if (!pair) return { ...found, complete: false };
      const key = pair.key as Node;
      found = { node: isEmpty(pair.value) ? key : (pair.value as Node), key, complete: true };
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment];
      if (!item) return { ...found, complete: false };
      found = { node: item as Node, complete: true };
    } else {
      return { ...found, complete: false };
    }
  }
  return found;
}

function isEmpty(value: unknown): boolean {
  if (!value) return true;
  const range = (value as Node).range;
  return !range || range[0] === range[1];
}

export function positionOf(
  root: ParsedNode | null,
  path: ModelPath,
  lineCounter: LineCounter,
  target: Target = 'value',
): Position {
  const found = findNode(root, path);
  const node = target === 'key' && found?.complete && found.key ? found.key : found?.node;
  const offset = node?.range?.[0] ?? root?.range?.[0] ?? 0;
  return lineCounter.linePos(offset);
}

/** `spec.members[0].email` from a data path. */
export function formatPath(path: ModelPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text ? `.${String(segment)}` : String(segment);
  }
  return text;
}
