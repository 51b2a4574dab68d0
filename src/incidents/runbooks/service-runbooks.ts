import { readFileSync } from 'node:fs';
import type { ResolvedModel, ResolvedService } from '../../model/resolve.ts';
import type { AlertRule } from '../alerts/alert-gaps.ts';
import { lintRunbooks, type RunbookFinding } from './lint-runbooks.ts';
import { parseRunbook } from './parse-runbook.ts';
import { cleanPath, insideRoot, repositoryFileExists } from './read-runbooks.ts';

/** One runbook of a service as the dashboard shows it: the Markdown from the repository and its lint. */
export interface ServiceRunbook {
  readonly name: string;
  readonly path?: string;
  readonly url?: string;
  readonly markdown?: string;
  readonly frontMatter?: unknown;
  readonly lint: RunbookFinding[];
}

function missing(path: string, message: string): RunbookFinding[] {
  return [{ rule: 'runbook-file', file: path, message }];
}

/** Reads each runbook of the service from the repository root (never outside it) and lints it. */
export function serviceRunbooks(input: { model: ResolvedModel; service: ResolvedService; root: string; rules: readonly AlertRule[]; now: Date }): ServiceRunbook[] {
  const fileExists = repositoryFileExists(input.root);
  return (input.service.runbooks ?? []).map((runbook) => {
    if (runbook.url) return { name: runbook.name, url: runbook.url, lint: [] };
    const path = cleanPath(runbook.path!);
    const absolute = insideRoot(input.root, path);
    if (!absolute) return { name: runbook.name, path, lint: missing(path, `${path} leaves the repository; runbook paths are relative to the model's repository`) };
    if (!fileExists(path)) return { name: runbook.name, path, lint: missing(path, `${path} is not a file in the repository`) };
    const markdown = readFileSync(absolute, 'utf8');
    const parsed = parseRunbook(path, markdown);
    const lint = lintRunbooks({ runbooks: [parsed], missingFiles: [], model: input.model, rules: input.rules, now: input.now, fileExists }).filter((finding) => finding.file === path);
    return { name: runbook.name, path, markdown, ...(parsed.frontMatter?.data !== undefined ? { frontMatter: parsed.frontMatter.data } : {}), lint };
  });
}
