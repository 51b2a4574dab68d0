import { SteadyopsError } from '../../lib/errors.ts';
import { runGit } from './read-git-history.ts';

export interface GitRevision {
  /** the revision as asked for: `HEAD`, `v1.4.0`, a sha */
  readonly ref: string;
  readonly commit: string;
}

export interface GitChangedFile {
  readonly status: 'added' | 'modified' | 'deleted';
  readonly path: string;
}

/** Reads migrations out of one git repository; paths are relative to `repo`, the folder git runs in. */
export interface GitMigrationSource {
  resolve(revision: string): Promise<GitRevision>;
  /** the newest tag before `revision` (`git describe --tags --abbrev=0 <revision>^`) */
  previousTag(revision: string): Promise<string>;
  changedFiles(to: string, from: string, paths: readonly string[]): Promise<GitChangedFile[]>;
  listFiles(revision: string, paths: readonly string[]): Promise<string[]>;
  readFile(revision: string, path: string): Promise<string>;
}

export interface GitMigrationSourceOptions {
  /**
   * How messages name `repo`: by default its path, for a local user. A server answering viewers passes
   * words instead (e.g. "the model's folder"), so its messages reveal no path of the server's disk.
   */
  readonly shownAs?: string;
}

/** The real git, run without a shell in `repo`. */
export function createGitMigrationSource(repo: string, options: GitMigrationSourceOptions = {}): GitMigrationSource {
  const where = options.shownAs ?? repo;
  return {
    async resolve(revision) {
      const commit = await runGit(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`]).catch(() => '');
      if (!commit.trim()) {
        await ensureRepository(repo, options.shownAs);
        throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `unknown git revision "${revision}" in ${where}` });
      }
      return { ref: revision, commit: commit.trim() };
    },
    async previousTag(revision) {
      const tag = await runGit(repo, ['describe', '--tags', '--abbrev=0', '--end-of-options', `${revision}^`]).catch(() => '');
      if (!tag.trim()) {
        throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `no tag before ${revision} to roll back to (git describe --tags --abbrev=0 ${revision}^ found none); pass --to REVISION` });
      }
      return tag.trim();
    },
    async changedFiles(to, from, paths) {
      const output = await runGit(repo, ['diff', '--name-status', '--no-renames', '--relative', '-z', `${to}..${from}`, '--', ...paths]);
      return parseNameStatus(output);
    },
    async listFiles(revision, paths) {
      const output = await runGit(repo, ['ls-tree', '-r', '--name-only', '-z', revision, '--', ...paths]);
      return output.split('\0').filter(Boolean);
    },
    readFile(revision, path) {
      // `./` makes the path relative to `repo` rather than to the repository's top folder
      return runGit(repo, ['show', `${revision}:./${path}`]);
    },
  };
}

async function ensureRepository(repo: string, shownAs: string | undefined): Promise<void> {
  await runGit(repo, ['rev-parse', '--git-dir']).catch(() => {
    // the --repo hint is for the CLI's user; whoever names the folder in words is not at the command line
    const detail = shownAs === undefined ? `${repo} is not a git repository; pass --repo with the service's checkout` : `${shownAs} is not a git repository`;
    throw new SteadyopsError('SO_E_INPUT_INVALID', { detail });
  });
}

const statuses: Readonly<Record<string, GitChangedFile['status']>> = { A: 'added', M: 'modified', D: 'deleted', T: 'modified' };

/** `git diff --name-status -z` output: status NUL path NUL, repeated. */
export function parseNameStatus(output: string): GitChangedFile[] {
  const fields = output.split('\0');
  const files: GitChangedFile[] = [];
  for (let index = 0; index + 1 < fields.length; index += 2) {
    const status = statuses[(fields[index] ?? '').charAt(0)];
    const path = fields[index + 1] ?? '';
    if (status && path) files.push({ status, path });
  }
  return files;
}
