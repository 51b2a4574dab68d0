import type { EventToAppend, Ledger } from '../../ledger/types.ts';
import type { SubjectResolver } from '../resolve-subject.ts';
import { mapGitCommit, mapGitTag } from './map-git-events.ts';
import type { GitImportContext } from './map-git-events.ts';
import { describeRepository, readGitTags, streamGitCommits, verifyBranch } from './read-git-history.ts';

export interface GitImportOptions {
  readonly repo: string;
  /** default: the branch HEAD is on */
  readonly branch?: string;
  readonly since?: Date;
  /** the owning service; else resolved from the repository through the model */
  readonly service?: string;
  readonly resolve: SubjectResolver;
  readonly batchSize?: number;
  readonly onProgress?: (summary: GitImportSummary) => void;
}

export interface GitImportSummary {
  repo: string;
  branch: string;
  source: string;
  subject?: string;
  commits: number;
  merges: number;
  tags: number;
  /** events that were already in the ledger (same source and id) */
  duplicates: number;
}

/** Thin I/O around the pure mapping: reads git, appends in batches, counts what happened. */
export async function importGitHistory(ledger: Ledger, options: GitImportOptions): Promise<GitImportSummary> {
  const info = await describeRepository(options.repo);
  const branch = options.branch ?? info.head;
  await verifyBranch(options.repo, branch);
  const subject = options.service ?? options.resolve({ repo: info.repoKey });
  const context: GitImportContext = { repo: info.repoKey, branch, ...(subject ? { subject } : {}) };
  const summary: GitImportSummary = {
    repo: info.repoKey,
    branch,
    source: `/git/${info.repoKey}`,
    ...(subject ? { subject } : {}),
    commits: 0,
    merges: 0,
    tags: 0,
    duplicates: 0,
  };
  const batchSize = options.batchSize ?? 1_000;
  let batch: EventToAppend[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const outcomes = await ledger.append(batch);
    summary.duplicates += outcomes.filter((outcome) => outcome.duplicate).length;
    for (const { event } of batch) {
      if (event.type === 'dev.steadyops.git.merge') summary.merges += 1;
      else if (event.type === 'dev.steadyops.git.tag') summary.tags += 1;
      else summary.commits += 1;
    }
    batch = [];
    options.onProgress?.(summary);
  };
  const add = async (event: EventToAppend): Promise<void> => {
    batch.push(event);
    if (batch.length >= batchSize) await flush();
  };
  for await (const commit of streamGitCommits(options.repo, { branch, ...(options.since ? { since: options.since } : {}) })) {
    await add(mapGitCommit(commit, context));
  }
  const since = options.since?.getTime();
  for (const tag of await readGitTags(options.repo, branch)) {
    if (since === undefined || Date.parse(tag.time) >= since) await add(mapGitTag(tag, context));
  }
  await flush();
  return summary;
}
