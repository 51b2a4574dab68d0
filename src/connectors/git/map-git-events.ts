import type { EventToAppend } from '../../ledger/types.ts';
import { mergeSource } from './parse-git-records.ts';
import type { GitCommit, GitTag } from './parse-git-records.ts';

/** Where the history comes from: the same for every event of one import. */
export interface GitImportContext {
  /** the repository key, `owner/name` (from the origin remote) or the folder name */
  readonly repo: string;
  readonly branch: string;
  /** the owning service, when known */
  readonly subject?: string;
}

export function gitSource(repo: string): string {
  return `/git/${repo}`;
}

/** Pure: a commit of the branch becomes `git.commit`, or `git.merge` when it has two or more parents. */
export function mapGitCommit(commit: GitCommit, context: GitImportContext): EventToAppend {
  const common = {
    repo: context.repo,
    sha: commit.sha,
    branch: context.branch,
    author: commit.authorEmail || commit.authorName,
    authorName: commit.authorName,
    parents: commit.parents,
    authoredAt: commit.authoredAt,
  };
  const isMerge = commit.parents.length >= 2;
  const source = isMerge ? mergeSource(commit.subject) : {};
  const data = isMerge
    ? {
        ...common,
        // without a conventional merge message the merged head is the best name git keeps
        sourceBranch: source.branch ?? commit.parents[1]!,
        ...(source.pullRequest !== undefined ? { pullRequest: source.pullRequest } : {}),
        title: commit.subject,
      }
    : { ...common, message: commit.subject };
  return {
    actor: `git:${commit.authorEmail || commit.authorName}`,
    event: {
      specversion: '1.0',
      id: commit.sha,
      source: gitSource(context.repo),
      type: isMerge ? 'dev.steadyops.git.merge' : 'dev.steadyops.git.commit',
      ...(context.subject ? { subject: context.subject } : {}),
      time: commit.committedAt,
      data,
    },
  };
}

export function mapGitTag(tag: GitTag, context: GitImportContext): EventToAppend {
  return {
    actor: tag.email ? `git:${tag.email}` : `git:${context.repo}`,
    event: {
      specversion: '1.0',
      id: `tag:${tag.name}`,
      source: gitSource(context.repo),
      type: 'dev.steadyops.git.tag',
      ...(context.subject ? { subject: context.subject } : {}),
      time: tag.time,
      data: {
        repo: context.repo,
        tag: tag.name,
        sha: tag.sha,
        annotated: tag.annotated,
        ...(tag.email ? { author: tag.email } : {}),
      },
    },
  };
}
