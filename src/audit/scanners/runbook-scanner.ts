import type { ResolvedModel } from '../../model/resolve.ts';

const markdown = /\.(md|markdown)$/i;

/** Markdown under a folder named `runbooks/` or `runbook/`, at any depth. */
export function isRunbookFile(path: string): boolean {
  return markdown.test(path) && path.split('/').slice(0, -1).some((folder) => /^runbooks?$/i.test(folder));
}

/** The repository files the model's runbooks and alert routes point at (URLs are not files). */
export function modelRunbookPaths(model: ResolvedModel | undefined): string[] {
  return (model?.services ?? []).flatMap((service) => [
    ...(service.runbooks ?? []).flatMap((runbook) => (runbook.path ? [runbook.path] : [])),
    ...(service.alerts ?? []).flatMap((alert) => (alert.runbook && !/^[a-z][a-z0-9+.-]*:/i.test(alert.runbook) ? [alert.runbook] : [])),
  ]).map((path) => path.replace(/^(\.\/)+/, '').replace(/#.*$/, ''));
}

/** Runbook files that exist: those in runbook folders and those the model points at, sorted. */
export function scanRunbooks(files: readonly string[], model: ResolvedModel | undefined): string[] {
  const present = new Set(files);
  const found = new Set(files.filter(isRunbookFile));
  for (const path of modelRunbookPaths(model)) if (present.has(path)) found.add(path);
  return [...found].sort();
}
