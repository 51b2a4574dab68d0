/** The Service page's runbooks, kept pure for unit tests: the API answer read defensively, lint problems as text. */

/** One runbook as GET /api/v1/services/:name/runbooks answers it. */
export interface RunbookView {
  readonly name: string;
  readonly path?: string;
  readonly url?: string;
  /** the file's Markdown (front matter removed), when the server could read it */
  readonly markdown?: string;
  readonly frontMatter?: Readonly<Record<string, unknown>>;
  readonly lint: readonly string[];
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** A lint problem as one line: `12:3 first-action: no "First action" section`, whatever shape the problem has. */
export function lintLine(problem: unknown): string {
  if (typeof problem === 'string') return problem;
  const entry = record(problem);
  const location = record(entry.location);
  const line = text(entry.line) ?? text(location.line);
  const column = text(entry.column) ?? text(location.column);
  const where = line ? `${line}${column ? `:${column}` : ''} ` : '';
  const rule = text(entry.rule) ?? text(entry.code) ?? text(entry.id);
  const message = text(entry.message) ?? text(entry.detail) ?? JSON.stringify(problem);
  return `${where}${rule ? `${rule}: ` : ''}${message}`;
}

/** The runbooks of the answer, whether it is a bare array or `{ runbooks: [...] }`. */
export function runbooksOf(answer: unknown): RunbookView[] {
  const list = Array.isArray(answer) ? answer : Array.isArray(record(answer).runbooks) ? (record(answer).runbooks as unknown[]) : [];
  return list.map((item) => {
    const entry = record(item);
    const lint = Array.isArray(entry.lint) ? entry.lint.map(lintLine) : [];
    const markdown = typeof entry.markdown === 'string' ? entry.markdown : undefined;
    return {
      name: text(entry.name) ?? '(unnamed runbook)',
      ...(text(entry.path) ? { path: text(entry.path) as string } : {}),
      ...(text(entry.url) ? { url: text(entry.url) as string } : {}),
      ...(markdown !== undefined ? { markdown } : {}),
      ...(entry.frontMatter !== undefined ? { frontMatter: record(entry.frontMatter) } : {}),
      lint,
    };
  });
}

/** Front matter fields worth a line above the text (owner, service, alerts...), as `key: value`. */
export function frontMatterLines(frontMatter: Readonly<Record<string, unknown>> | undefined): string[] {
  return Object.entries(frontMatter ?? {}).map(([key, value]) => `${key}: ${Array.isArray(value) ? value.map((item) => (typeof item === 'object' ? JSON.stringify(item) : String(item))).join(', ') : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}`);
}

/** The Markdown without its YAML front matter (shown apart, as key: value lines), so it does not render as text. */
export function withoutFrontMatter(markdown: string): string {
  const match = /^\uFEFF?---\r?\n[\s\S]*?\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(markdown);
  return match ? markdown.slice(match[0].length) : markdown;
}
