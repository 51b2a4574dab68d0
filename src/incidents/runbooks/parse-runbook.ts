import type { Nodes, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { LineCounter, parseDocument } from 'yaml';

export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface FrontMatter {
  /** the parsed YAML (undefined when it does not parse) */
  readonly data: unknown;
  /** YAML errors, at their position in the file */
  readonly errors: readonly { readonly message: string; readonly at: Position }[];
  /** line of the opening `---` */
  readonly line: number;
}

export interface Heading {
  readonly depth: number;
  readonly text: string;
  readonly at: Position;
}

export interface CodeBlock {
  readonly fenced: boolean;
  readonly lang?: string;
  readonly value: string;
  readonly at: Position;
}

/** Text outside code blocks: one entry per source line, or an inline code span. */
export interface ProseText {
  readonly text: string;
  readonly inlineCode: boolean;
  readonly at: Position;
}

export interface Link {
  readonly url: string;
  readonly at: Position;
}

/** A runbook as the lint checks read it: front matter, headings, code, prose and links with positions. */
export interface ParsedRunbook {
  readonly path: string;
  readonly frontMatter?: FrontMatter;
  readonly headings: readonly Heading[];
  readonly code: readonly CodeBlock[];
  readonly prose: readonly ProseText[];
  readonly links: readonly Link[];
}

const frontMatterPattern = /^---\r?\n([\s\S]*?)\r?\n?---[ \t]*(\r?\n|$)/;

function splitFrontMatter(text: string): { frontMatter?: FrontMatter; body: string; bodyLine: number } {
  const match = frontMatterPattern.exec(text);
  if (!match) return { body: text, bodyLine: 1 };
  const lineCounter = new LineCounter();
  const document = parseDocument(match[1]!, { lineCounter, prettyErrors: false });
  const errors = document.errors.map((error) => {
    const at = lineCounter.linePos(error.pos[0]);
    return { message: error.message.split('\n')[0]!, at: { line: at.line + 1, column: at.col } };
  });
  const bodyLine = match[0].split('\n').length - (match[0].endsWith('\n') ? 0 : 1);
  return { frontMatter: { data: errors.length > 0 ? undefined : document.toJS(), errors, line: 1 }, body: text.slice(match[0].length), bodyLine };
}

function plainText(node: Nodes): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  return 'children' in node ? node.children.map((child) => plainText(child as Nodes)).join('') : '';
}

function positionOf(node: Nodes, lineOffset: number): Position {
  return { line: (node.position?.start.line ?? 1) + lineOffset, column: node.position?.start.column ?? 1 };
}

/** Parses a runbook: YAML front matter between `---` lines, then CommonMark. Pure. */
export function parseRunbook(path: string, text: string): ParsedRunbook {
  const { frontMatter, body, bodyLine } = splitFrontMatter(text);
  const offset = bodyLine - 1;
  const tree: Root = fromMarkdown(body);
  const headings: Heading[] = [];
  const code: CodeBlock[] = [];
  const prose: ProseText[] = [];
  const links: Link[] = [];
  const lines = body.split('\n');
  const visit = (node: Nodes): void => {
    switch (node.type) {
      case 'heading':
        headings.push({ depth: node.depth, text: plainText(node), at: positionOf(node, offset) });
        return;
      case 'code': {
        const start = node.position?.start;
        const source = start ? lines[start.line - 1]!.slice(start.column - 1) : '';
        code.push({ fenced: /^(```|~~~)/.test(source), ...(node.lang ? { lang: node.lang } : {}), value: node.value, at: positionOf(node, offset) });
        return;
      }
      case 'inlineCode':
        prose.push({ text: node.value, inlineCode: true, at: positionOf(node, offset) });
        return;
      case 'text':
        node.value.split('\n').forEach((line, index) => {
          const at = positionOf(node, offset);
          prose.push({ text: line.trim(), inlineCode: false, at: index === 0 ? at : { line: at.line + index, column: 1 } });
        });
        return;
      case 'link':
      case 'definition':
        links.push({ url: node.url, at: positionOf(node, offset) });
        break;
      case 'image':
        links.push({ url: node.url, at: positionOf(node, offset) });
        return;
    }
    if ('children' in node) for (const child of node.children) visit(child as Nodes);
  };
  visit(tree);
  return { path, ...(frontMatter ? { frontMatter } : {}), headings, code, prose, links };
}
