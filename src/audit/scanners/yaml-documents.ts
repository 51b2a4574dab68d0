import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import type { Document, Node } from 'yaml';
import type { Warn } from './warn.ts';

/** One YAML document that parsed cleanly, with its plain value and where it starts. */
export interface YamlDocument {
  readonly document: Document.Parsed;
  /** 1-based line of its first content token (after `---` and comments) */
  readonly line: number;
  /** its contents as plain data, converted lazily (most documents of a repository are never needed as data) */
  data(): unknown;
}

export interface YamlFile {
  readonly file: string;
  readonly lineCounter: LineCounter;
  readonly documents: readonly YamlDocument[];
}

export interface MapEntry {
  readonly key: string;
  readonly keyNode: Node;
  readonly value: Node | null;
}

/**
 * Every document of a (multi-document) YAML file; a document with a syntax error is reported at
 * the parser's file:line:col and left out, the others are kept.
 */
export function parseYamlFile(file: string, text: string, warn: Warn): YamlFile {
  const lineCounter = new LineCounter();
  const documents: YamlDocument[] = [];
  for (const document of parseAllDocuments(text, { lineCounter })) {
    const error = document.errors[0];
    if (error) {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      warn({ file, line, column: col }, `YAML syntax: ${firstSentence(error.message)}; the document is not scanned`);
      continue;
    }
    if (document.contents === null) continue;
    documents.push(yamlDocument(document, lineOf(document.contents, lineCounter), file, warn));
  }
  return { file, lineCounter, documents };
}

function yamlDocument(document: Document.Parsed, line: number, file: string, warn: Warn): YamlDocument {
  let converted: { value: unknown } | undefined;
  return {
    document,
    line,
    data() {
      converted ??= { value: safeToJs(document, () => warn({ file, line }, 'YAML aliases expand too far (more than 100); the document is not scanned')) };
      return converted.value;
    },
  };
}

function safeToJs(document: Document.Parsed, onError: () => void): unknown {
  try {
    return document.toJS({ maxAliasCount: 100 });
  } catch {
    onError();
    return undefined;
  }
}

function firstSentence(message: string): string {
  return (message.split(/ at line \d+, column \d+/)[0] ?? message).trim();
}

/** 1-based line where a node starts. */
export function lineOf(node: Node | null | undefined, lineCounter: LineCounter): number {
  return lineCounter.linePos(node?.range?.[0] ?? 0).line;
}

/** The entries of a mapping node with plain keys, in source order; nothing for any other node. */
export function mapEntries(node: unknown): MapEntry[] {
  if (!isMap(node)) return [];
  return node.items.flatMap((pair) =>
    isScalar(pair.key) && pair.key.value !== null && pair.key.value !== undefined
      ? [{ key: String(pair.key.value), keyNode: pair.key as Node, value: (pair.value as Node | null) ?? null }]
      : [],
  );
}

/** The value node of `key` in a mapping node. */
export function mapValue(node: unknown, key: string): Node | null {
  return mapEntries(node).find((entry) => entry.key === key)?.value ?? null;
}

/** The item nodes of a sequence node; nothing for any other node. */
export function seqItems(node: unknown): Node[] {
  return isSeq(node) ? (node.items as Node[]) : [];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string value, or undefined for anything else. */
export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
