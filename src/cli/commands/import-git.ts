import { resolve } from 'node:path';
import type { Command } from 'commander';
import { startSpinner } from '../render/terminal-spinner.ts';
import { importGitHistory } from '../../connectors/git/import-git-history.ts';
import type { GitImportSummary } from '../../connectors/git/import-git-history.ts';
import { createSubjectResolver } from '../../connectors/resolve-subject.ts';
import { parseSince } from '../../lib/duration.ts';
import { loadModelIfPresent } from '../../model/load-model.ts';
import type { CliContext } from '../context.ts';
import { withRuntime } from '../runtime.ts';

interface ImportGitOptions {
  repo: string;
  since?: string;
  branch?: string;
  service?: string;
  format?: string;
}

/** Adds `git` to the `import` command: the branch's history becomes code-change events in the ledger. */
export function registerImportGitCommand(importCommand: Command, ctx: CliContext): void {
  importCommand
    .command('git')
    .description('Import the commits, merges and tags of a git branch into the ledger (idempotent)')
    .option('--repo <path>', 'the repository to read', '.')
    .option('--since <when>', 'only history since a duration back from now (90d) or an RFC 3339 time')
    .option('--branch <name>', 'the branch to follow by first parent (default: the checked-out branch)')
    .option('--service <name>', 'the owning service (default: resolved from the repository through the model)')
    .option('--format <format>', 'text or json')
    .addHelpText(
      'after',
      [
        '',
        'Commits of the branch become dev.steadyops.git.commit, merge commits dev.steadyops.git.merge and tags',
        'reachable from it dev.steadyops.git.tag; the event time is the committer date (the tagger date for',
        'annotated tags). Importing again stores nothing twice.',
        '',
        'Examples:',
        '  $ steadyops import git --repo ../checkout-api --since 90d',
        '  $ steadyops import git --repo . --branch main --service checkout-api --format json',
      ].join('\n'),
    )
    .action(async (options: ImportGitOptions) => {
      const globals = ctx.globals();
      const since = options.since ? parseSince(options.since, ctx.clock.now()) : undefined;
      const model = await loadModelIfPresent(globals.config, ctx.cwd);
      const progress = progressReporter();
      const summary = await withRuntime({ db: globals.db, cwd: ctx.cwd, env: ctx.env, clock: ctx.clock }, async ({ ledger }) => {
        try {
          const result = await importGitHistory(ledger, {
            repo: resolve(ctx.cwd, options.repo),
            ...(options.branch ? { branch: options.branch } : {}),
            ...(since ? { since } : {}),
            ...(options.service ? { service: options.service } : {}),
            resolve: createSubjectResolver(model),
            onProgress: progress.update,
          });
          await ledger.cutCheckpoint();
          return result;
        } finally {
          progress.stop();
        }
      });
      if ((options.format ?? globals.format) === 'json') ctx.stdout(`${JSON.stringify(summary, null, 2)}\n`);
      else ctx.stdout(`${summaryLine(summary)}\n`);
    });
}

export function summaryLine(summary: GitImportSummary): string {
  return `imported ${summary.commits} commits, ${summary.merges} merges, ${summary.tags} tags (${summary.duplicates} already in the ledger)`;
}

function progressReporter(): { update: (summary: GitImportSummary) => void; stop: () => void } {
  const spinner = startSpinner('reading git history');
  if (!spinner) return { update: () => undefined, stop: () => undefined };
  return {
    update: (summary) => {
      spinner.update({ text: `${summary.commits + summary.merges + summary.tags} events appended` });
    },
    stop: () => {
      spinner.clear();
      spinner.stop();
    },
  };
}
