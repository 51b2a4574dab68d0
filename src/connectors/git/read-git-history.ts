import { execFile, spawn } from 'node:child_process';
import { basename } from 'node:path';
import { promisify } from 'node:util';
import { SteadyopsError } from '../../lib/errors.ts';
import { repositoryKey } from '../resolve-subject.ts';
import { commitFormat, parseCommitRecord, parseTagRecord, recordSplitter, tagFormat } from './parse-git-records.ts';
import type { GitCommit, GitTag } from './parse-git-records.ts';

const run = promisify(execFile);

export interface GitRepositoryInfo {
  readonly root: string;
  /** `owner/name` from the origin remote, else the folder name */
  readonly repoKey: string;
  /** the branch HEAD is on (or `HEAD` when detached) */
  readonly head: string;
}

/** Runs the real git without a shell; git's own message becomes an input error. */
export async function runGit(repo: string, args: readonly string[]): Promise<string> {
  try {
    const { stdout } = await run('git', ['-C', repo, ...args], { maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
    return stdout;
  } catch (error) {
    throw gitError(error as NodeJS.ErrnoException & { stderr?: string }, args);
  }
}

function gitError(error: NodeJS.ErrnoException & { stderr?: string }, args: readonly string[]): SteadyopsError {
  if (error.code === 'ENOENT') {
    return new SteadyopsError('SO_E_INPUT_INVALID', { detail: 'git is not installed or not on PATH' });
  }
  const message = (error.stderr ?? '').trim() || error.message;
  return new SteadyopsError('SO_E_INPUT_INVALID', { detail: `git ${args[0] ?? ''} failed: ${message}` });
}

export async function describeRepository(repo: string): Promise<GitRepositoryInfo> {
  const root = (await runGit(repo, ['rev-parse', '--show-toplevel'])).trim();
  const origin = await runGit(repo, ['remote', 'get-url', 'origin']).catch(() => '');
  const head = (await runGit(repo, ['rev-parse', '--abbrev-ref', 'HEAD']).catch(() => 'HEAD')).trim();
  const repoKey = origin.trim() ? repositoryKey(origin) : basename(root).toLowerCase();
  return { root, repoKey, head };
}

/** Fails with git's message before anything is imported when the branch does not exist. */
export async function verifyBranch(repo: string, branch: string): Promise<void> {
  await runGit(repo, ['rev-parse', '--verify', '--end-of-options', `${branch}^{commit}`]);
}

/**
 * The branch's first-parent history, oldest first, streamed from `git log` so a big repository
 * never sits in memory as one buffer.
 */
export async function* streamGitCommits(repo: string, options: { branch: string; since?: Date }): AsyncGenerator<GitCommit> {
  const args = [
    'log',
    '--first-parent',
    '--reverse',
    commitFormat,
    ...(options.since ? [`--since=${options.since.toISOString()}`] : []),
    '--end-of-options',
    options.branch,
    '--',
  ];
  const child = spawn('git', ['-C', repo, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  // resolves (never rejects) so a spawn failure is not an unhandled rejection while we read stdout
  const exited = new Promise<{ code: number | null; error?: Error }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, error }));
    child.once('close', (code) => resolve({ code }));
  });
  const splitter = recordSplitter();
  try {
    for await (const chunk of child.stdout.setEncoding('utf8')) {
      for (const record of splitter.push(chunk as string)) yield parseCommitRecord(record);
    }
    for (const record of splitter.end()) yield parseCommitRecord(record);
    const { code, error } = await exited;
    if (error) throw gitError(error, args);
    if (code !== 0) throw gitError(Object.assign(new Error(`exit code ${code}`), { stderr }), args);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  }
}

/** Tags reachable from the branch, with the commit they point at. */
export async function readGitTags(repo: string, branch: string): Promise<GitTag[]> {
  const output = await runGit(repo, ['for-each-ref', tagFormat, `--merged=${branch}`, 'refs/tags']);
  const splitter = recordSplitter();
  return [...splitter.push(output), ...splitter.end()]
    .map(parseTagRecord)
    .filter((tag): tag is GitTag => tag !== undefined);
}
