/** One commit as `git log --format=commitFormat` prints it. */
export interface GitCommit {
  readonly sha: string;
  readonly parents: readonly string[];
  readonly authorName: string;
  readonly authorEmail: string;
  readonly authoredAt: string;
  readonly committedAt: string;
  readonly subject: string;
}

/** One tag as `git for-each-ref refs/tags --format=tagFormat` prints it. */
export interface GitTag {
  readonly name: string;
  /** the commit the tag points at (peeled for annotated tags) */
  readonly sha: string;
  readonly annotated: boolean;
  /** tagger email for annotated tags, the commit's author email for lightweight ones */
  readonly email?: string;
  /** tagger date for annotated tags, the commit's committer date for lightweight ones */
  readonly time: string;
}

const unit = '\x1f';
const recordEnd = '\x1e';

export const commitFormat = '--format=%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%cI%x1f%s%x1e';

// %(*field) is the peeled commit of an annotated tag and empty for a lightweight one.
export const tagFormat =
  '--format=%(refname:strip=2)%1f%(objecttype)%1f%(objectname)%1f%(*objectname)%1f%(taggeremail)%1f%(taggerdate:iso-strict)%1f%(authoremail)%1f%(*authoremail)%1f%(committerdate:iso-strict)%1f%(*committerdate:iso-strict)%1e';

/**
 * Splits git's output, which arrives in arbitrary chunks, into whole records: `push` returns the
 * records a chunk completes, `end` the trailing one (if git did not terminate it).
 */
export function recordSplitter(): { push(chunk: string): string[]; end(): string[] } {
  let pending = '';
  return {
    push(chunk) {
      const parts = (pending + chunk).split(recordEnd);
      pending = parts.pop() ?? '';
      return parts.map(trimRecord).filter((record) => record !== '');
    },
    end() {
      const last = trimRecord(pending);
      pending = '';
      return last === '' ? [] : [last];
    },
  };
}

function trimRecord(record: string): string {
  return record.replace(/^\n+/, '').replace(/\n+$/, '');
}

export function parseCommitRecord(record: string): GitCommit {
  const fields = record.split(unit);
  if (fields.length !== 7) throw new Error(`unexpected git log record with ${fields.length} fields: ${JSON.stringify(record.slice(0, 120))}`);
  const [sha, parents, authorName, authorEmail, authoredAt, committedAt, subject] = fields as [string, string, string, string, string, string, string];
  return {
    sha,
    parents: parents.split(' ').filter((parent) => parent !== ''),
    authorName,
    authorEmail,
    authoredAt,
    committedAt,
    subject,
  };
}

export function parseTagRecord(record: string): GitTag | undefined {
  const fields = record.split(unit);
  if (fields.length !== 10) throw new Error(`unexpected git for-each-ref record with ${fields.length} fields: ${JSON.stringify(record.slice(0, 120))}`);
  const [name, type, object, peeled, taggerEmail, taggerDate, authorEmail, peeledAuthorEmail, committerDate, peeledCommitterDate] = fields as [
    string, string, string, string, string, string, string, string, string, string,
  ];
  if (type === 'tag') {
    // an annotated tag of something other than a commit (a tree or blob) has no place in history
    if (peeledCommitterDate === '') return undefined;
    const email = unbracket(taggerEmail) ?? unbracket(peeledAuthorEmail);
    return { name, sha: peeled, annotated: true, ...(email ? { email } : {}), time: taggerDate || peeledCommitterDate };
  }
  if (type !== 'commit') return undefined;
  const email = unbracket(authorEmail);
  return { name, sha: object, annotated: false, ...(email ? { email } : {}), time: committerDate };
}

function unbracket(email: string): string | undefined {
  const bare = email.replace(/^<|>$/g, '').trim();
  return bare === '' ? undefined : bare;
}

/** `Merge pull request #12 from org/feature-x` and `Merge branch 'feature-x' into main` name the merged branch. */
export function mergeSource(subject: string): { branch?: string; pullRequest?: number } {
  const pull = /^Merge pull request #(\d+) from (\S+)/.exec(subject);
  if (pull) return { pullRequest: Number(pull[1]), branch: pull[2]!.replace(/^[^/]+\//, '') };
  const branch = /^Merge (?:remote-tracking )?branch '([^']+)'/.exec(subject);
  if (branch) return { branch: branch[1]!.replace(/^origin\//, '') };
  return {};
}
