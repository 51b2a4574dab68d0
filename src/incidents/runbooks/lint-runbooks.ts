import { posix } from 'node:path';
import { findService, findTeam, type ResolvedModel, type ResolvedService } from '../../model/resolve.ts';
import type { AlertRule } from '../alerts/alert-gaps.ts';
import { runbookAnnotationNames } from '../alerts/route-alert.ts';
import type { ParsedRunbook, Position } from './parse-runbook.ts';

export const runbookLintRules = {
  'alert-runbook': 'every alert (model route or rule file) has a runbook',
  'runbook-file': 'a runbook path in the model names a file in the repository',
  'front-matter': 'front matter is present and valid: service, alerts, owner, lastReviewed',
  'first-action': 'a heading matching "first action"',
  'fenced-commands': 'shell commands are in fenced code blocks',
  rollback: 'a tier-1 service runbook has a rollback section',
  'last-reviewed': 'lastReviewed is within 180 days',
  'dead-link': 'relative links point to files in the repository',
} as const;

export type RunbookLintRule = keyof typeof runbookLintRules;

export interface RunbookFinding {
  readonly rule: RunbookLintRule;
  /** the file (relative to the repository root), or the model entry for findings about the model */
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

export interface RunbookLintInput {
  readonly runbooks: readonly ParsedRunbook[];
  /** runbook paths the model names that are not files in the repository */
  readonly missingFiles: readonly { readonly path: string; readonly service: string }[];
  readonly model: ResolvedModel;
  readonly rules: readonly AlertRule[];
  readonly now: Date;
  /** whether a repository-relative path is a file inside the repository */
  readonly fileExists: (path: string) => boolean;
}

export const maxReviewAgeDays = 180;
const day = 86_400_000;

/** Command words a copied line starts with; English words (make, cat, export) count only inside code spans. */
const proseCommands = ['kubectl', 'helm', 'psql', 'redis-cli', 'curl', 'aws', 'gcloud', 'az', 'terraform', 'docker', 'systemctl', 'steadyops', 'sudo', 'promtool', 'amtool', 'jq', 'mysql'];
const codeSpanCommands = [...proseCommands, 'make', 'git', 'ssh', 'npm', 'export', 'cat', 'tail', 'grep', 'cd'];

function startsWithCommand(text: string, words: readonly string[]): boolean {
  if (/^\$\s+\S/.test(text)) return true;
  const [first, second] = text.trim().replace(/^([-*+]|\d+[.)])\s+/, '').split(/\s+/);
  return first !== undefined && second !== undefined && words.includes(first);
}

/** Whether a code span's text is a shell command a responder would copy. */
export function isCommandSpan(text: string): boolean {
  return startsWithCommand(text, codeSpanCommands);
}

function at(file: string, position: Position | undefined, rule: RunbookLintRule, message: string): RunbookFinding {
  return { rule, file, ...(position ? { line: position.line, column: position.column } : {}), message };
}

function frontMatterOf(runbook: ParsedRunbook): Record<string, unknown> | undefined {
  const data = runbook.frontMatter?.data;
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
}

export function knownAlertnames(model: ResolvedModel, rules: readonly AlertRule[]): Set<string> {
  return new Set([...model.services.flatMap((service) => (service.alerts ?? []).map((route) => route.alertname)), ...rules.map((rule) => rule.alert)]);
}

function normalised(path: string): string {
  return path.replace(/^(\.\/)+/, '').replace(/[#?].*$/, '');
}

/** The service a runbook is for: its front matter, else the model service that points at it. */
function serviceOf(runbook: ParsedRunbook, model: ResolvedModel): ResolvedService | undefined {
  const named = frontMatterOf(runbook)?.service;
  if (typeof named === 'string' && findService(model, named)) return findService(model, named);
  return model.services.find((service) =>
    [...(service.runbooks ?? []).map((entry) => entry.path), ...(service.alerts ?? []).map((route) => route.runbook)].some((path) => path && normalised(path) === runbook.path),
  );
}

function frontMatterFindings(runbook: ParsedRunbook, input: RunbookLintInput): RunbookFinding[] {
  const file = runbook.path;
  const front = runbook.frontMatter;
  const example = 'start the file with "---", service: NAME, alerts: [ALERTNAME], owner: TEAM, lastReviewed: YYYY-MM-DD, "---"';
  if (!front) return [at(file, { line: 1, column: 1 }, 'front-matter', `no front matter; ${example}`)];
  if (front.errors.length > 0) return front.errors.map((error) => at(file, error.at, 'front-matter', `front matter is not valid YAML: ${error.message}`));
  const data = frontMatterOf(runbook);
  const place = { line: front.line, column: 1 };
  if (!data) return [at(file, place, 'front-matter', `front matter is not a mapping; ${example}`)];
  const findings: RunbookFinding[] = [];
  if (typeof data.service !== 'string') findings.push(at(file, place, 'front-matter', 'front matter "service" is required: the model Service this runbook is for'));
  else if (!findService(input.model, data.service)) findings.push(at(file, place, 'front-matter', `front matter service "${data.service}" is not a Service in the model`));
  const known = knownAlertnames(input.model, input.rules);
  if (data.alerts !== undefined && (!Array.isArray(data.alerts) || data.alerts.some((name) => typeof name !== 'string'))) {
    findings.push(at(file, place, 'front-matter', 'front matter "alerts" is a list of alertnames, e.g. [CheckoutHighErrorRate]'));
  } else {
    for (const name of (data.alerts as string[] | undefined) ?? []) {
      if (!known.has(name)) findings.push(at(file, place, 'front-matter', `front matter alert "${name}" is neither routed by the model nor declared in a rule file`));
    }
  }
  if (data.owner !== undefined && (typeof data.owner !== 'string' || !findTeam(input.model, data.owner))) {
    findings.push(at(file, place, 'front-matter', `front matter owner "${String(data.owner)}" is not a Team in the model`));
  }
  return findings;
}

function reviewFindings(runbook: ParsedRunbook, now: Date): RunbookFinding[] {
  const data = frontMatterOf(runbook);
  if (!data) return [];
  const place = { line: runbook.frontMatter!.line, column: 1 };
  const value = data.lastReviewed instanceof Date ? data.lastReviewed.toISOString().slice(0, 10) : data.lastReviewed;
  const reviewed = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(reviewed)) return [at(runbook.path, place, 'last-reviewed', 'front matter "lastReviewed" is required as a date, YYYY-MM-DD')];
  const age = Math.floor((now.getTime() - reviewed) / day);
  return age > maxReviewAgeDays ? [at(runbook.path, place, 'last-reviewed', `last reviewed ${value}, ${age} days ago (at most ${maxReviewAgeDays})`)] : [];
}

function sectionFindings(runbook: ParsedRunbook, model: ResolvedModel): RunbookFinding[] {
  const findings: RunbookFinding[] = [];
  if (!runbook.headings.some((heading) => /first action/i.test(heading.text))) {
    findings.push(at(runbook.path, { line: 1, column: 1 }, 'first-action', 'no "First action" section: a heading saying what the responder does first'));
  }
  const service = serviceOf(runbook, model);
  if (service?.tier === 1 && !runbook.headings.some((heading) => /roll\s*-?\s*back/i.test(heading.text))) {
    findings.push(at(runbook.path, { line: 1, column: 1 }, 'rollback', `${service.name} is tier 1 and its runbook has no "Rollback" section`));
  }
  return findings;
}

function commandFindings(runbook: ParsedRunbook): RunbookFinding[] {
  const fromProse = runbook.prose
    .filter((text) => startsWithCommand(text.text, text.inlineCode ? codeSpanCommands : proseCommands))
    .map((text) => at(runbook.path, text.at, 'fenced-commands', `command \`${text.text.slice(0, 60)}\` outside a fenced code block; put it in a \`\`\`shell block so it is copied whole`));
  const indented = runbook.code
    .filter((block) => !block.fenced && block.value.split('\n').some((line) => startsWithCommand(line, codeSpanCommands)))
    .map((block) => at(runbook.path, block.at, 'fenced-commands', 'commands in an indented block; use a fenced ```shell block'));
  return [...fromProse, ...indented];
}

function linkFindings(runbook: ParsedRunbook, fileExists: (path: string) => boolean): RunbookFinding[] {
  return runbook.links.flatMap((link) => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(link.url) || link.url.startsWith('#') || link.url.startsWith('//')) return [];
    const target = normalised(decodeURI(link.url));
    if (!target) return [];
    const path = target.startsWith('/') ? posix.normalize(target.slice(1)) : posix.normalize(posix.join(posix.dirname(runbook.path), target));
    if (!path.startsWith('../') && path !== '..' && fileExists(path)) return [];
    return [at(runbook.path, link.at, 'dead-link', `link "${link.url}" points to ${path.startsWith('..') ? 'outside the repository' : `${path}, which does not exist`}`)];
  });
}

function alertFindings(input: RunbookLintInput): RunbookFinding[] {
  const documented = new Set(input.runbooks.flatMap((runbook) => (Array.isArray(frontMatterOf(runbook)?.alerts) ? (frontMatterOf(runbook)!.alerts as unknown[]) : [])));
  const routed = input.model.services.flatMap((service) =>
    (service.alerts ?? []).filter((route) => !route.runbook && !documented.has(route.alertname)).map((route) => at(`Service ${service.name} spec.alerts`, undefined, 'alert-runbook', `alert ${route.alertname} has no runbook`)),
  );
  const ruled = input.rules
    .filter((rule) => !runbookAnnotationNames.some((name) => rule.annotations[name]?.trim()))
    .filter((rule) => !documented.has(rule.alert) && !input.model.services.some((service) => service.alerts?.some((route) => route.alertname === rule.alert && route.runbook)))
    .map((rule) => at(rule.location?.file ?? 'rule files', rule.location?.line ? { line: rule.location.line, column: 1 } : undefined, 'alert-runbook', `alert ${rule.alert} has no runbook annotation, no model route with a runbook and no runbook listing it`));
  return [...routed, ...ruled];
}

/** Every lint finding over the parsed runbooks (pure: the clock and the file system come in as values). */
export function lintRunbooks(input: RunbookLintInput): RunbookFinding[] {
  const perFile = input.runbooks.flatMap((runbook) => [
    ...frontMatterFindings(runbook, input),
    ...reviewFindings(runbook, input.now),
    ...sectionFindings(runbook, input.model),
    ...commandFindings(runbook),
    ...linkFindings(runbook, input.fileExists),
  ]);
  const missing = input.missingFiles.map((entry) => at(`Service ${entry.service} spec.runbooks`, undefined, 'runbook-file', `runbook ${entry.path} is not a file in the repository`));
  return [...alertFindings(input), ...missing, ...perFile].sort(
    (left, right) => left.file.localeCompare(right.file) || (left.line ?? 0) - (right.line ?? 0) || (left.column ?? 0) - (right.column ?? 0),
  );
}

/** `file:line:col: message [rule]` lines, like a compiler. */
export function formatRunbookFinding(finding: RunbookFinding): string {
  const place = finding.line ? `${finding.file}:${finding.line}:${finding.column ?? 1}` : finding.file;
  return `${place}: ${finding.message} [${finding.rule}]`;
}
