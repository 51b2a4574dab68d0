import { describe, expect, it } from 'vitest';
import { mergeSource, parseCommitRecord, parseTagRecord, recordSplitter } from './parse-git-records.ts';

const U = '\x1f';
const R = '\x1e';
const sha1 = 'a'.repeat(40);
const sha2 = 'b'.repeat(40);
const sha3 = 'c'.repeat(40);

describe('recordSplitter', () => {
  it.each([
    { name: 'one chunk, newline-separated records', chunks: [`one${R}\ntwo${R}\n`], records: ['one', 'two'] },
    { name: 'a record split across chunks', chunks: [`on`, `e${R}\ntw`, `o${R}\n`], records: ['one', 'two'] },
    { name: 'an unterminated last record', chunks: [`one${R}\ntwo`], records: ['one', 'two'] },
    { name: 'nothing at all', chunks: [''], records: [] },
    { name: 'a subject holding a newline-free unicode text', chunks: [`fix: ünïcode ✓${R}`], records: ['fix: ünïcode ✓'] },
  ])('$name', ({ chunks, records }) => {
    const splitter = recordSplitter();
    const seen = chunks.flatMap((chunk) => splitter.push(chunk));
    expect([...seen, ...splitter.end()]).toEqual(records);
  });
});

describe('parseCommitRecord', () => {
  it.each([
    {
      name: 'a root commit',
      record: [sha1, '', 'Ada', 'ada@example.com', '2026-01-01T10:00:00+01:00', '2026-01-01T11:00:00+01:00', 'initial'].join(U),
      parents: [],
      subject: 'initial',
    },
    {
      name: 'an ordinary commit',
      record: [sha2, sha1, 'Ada', 'ada@example.com', '2026-01-01T10:00:00Z', '2026-01-01T11:00:00Z', 'fix: retry'].join(U),
      parents: [sha1],
      subject: 'fix: retry',
    },
    {
      name: 'a merge commit',
      record: [sha3, `${sha1} ${sha2}`, 'Bo', 'bo@example.com', '2026-01-01T10:00:00Z', '2026-01-01T11:00:00Z', "Merge branch 'x'"].join(U),
      parents: [sha1, sha2],
      subject: "Merge branch 'x'",
    },
    {
      name: 'an empty subject',
      record: [sha2, sha1, 'Ada', 'ada@example.com', '2026-01-01T10:00:00Z', '2026-01-01T11:00:00Z', ''].join(U),
      parents: [sha1],
      subject: '',
    },
  ])('$name', ({ record, parents, subject }) => {
    const commit = parseCommitRecord(record);
    expect(commit.parents).toEqual(parents);
    expect(commit.subject).toBe(subject);
    expect(commit.committedAt).toMatch(/T11:00:00/);
    expect(commit.authoredAt).toMatch(/T10:00:00/);
  });

  it('rejects a record with the wrong number of fields', () => {
    expect(() => parseCommitRecord(`${sha1}${U}x`)).toThrow(/2 fields/);
  });
});

describe('parseTagRecord', () => {
  const fields = (values: string[]) => values.join(U);
  it.each([
    {
      name: 'an annotated tag uses the peeled commit, the tagger and the tag date',
      record: fields(['v1.0.0', 'tag', sha3, sha1, '<rel@example.com>', '2026-02-01T09:00:00Z', '', '<ada@example.com>', '', '2026-01-31T09:00:00Z']),
      tag: { name: 'v1.0.0', sha: sha1, annotated: true, email: 'rel@example.com', time: '2026-02-01T09:00:00Z' },
    },
    {
      name: 'a lightweight tag uses the commit, its author and the committer date',
      record: fields(['nightly', 'commit', sha2, '', '', '', '<ada@example.com>', '', '2026-01-31T09:00:00Z', '']),
      tag: { name: 'nightly', sha: sha2, annotated: false, email: 'ada@example.com', time: '2026-01-31T09:00:00Z' },
    },
    {
      name: 'an annotated tag without a tagger falls back to the commit author',
      record: fields(['v0.1', 'tag', sha3, sha1, '', '2026-02-01T09:00:00Z', '', '<ada@example.com>', '', '2026-01-31T09:00:00Z']),
      tag: { name: 'v0.1', sha: sha1, annotated: true, email: 'ada@example.com', time: '2026-02-01T09:00:00Z' },
    },
  ])('$name', ({ record, tag }) => {
    expect(parseTagRecord(record)).toEqual(tag);
  });

  it.each([
    { name: 'a tag of a tree', record: fields(['tree-tag', 'tree', sha1, '', '', '', '', '', '', '']) },
    { name: 'an annotated tag of a blob', record: fields(['key', 'tag', sha3, sha1, '<a@b>', '2026-02-01T09:00:00Z', '', '', '', '']) },
  ])('skips $name', ({ record }) => {
    expect(parseTagRecord(record)).toBeUndefined();
  });
});

describe('mergeSource', () => {
  it.each([
    { subject: 'Merge pull request #42 from northwind/feature/retry-budget', expected: { pullRequest: 42, branch: 'feature/retry-budget' } },
    { subject: "Merge branch 'hotfix-1' into main", expected: { branch: 'hotfix-1' } },
    { subject: "Merge branch 'feature-x'", expected: { branch: 'feature-x' } },
    { subject: "Merge remote-tracking branch 'origin/release'", expected: { branch: 'release' } },
    { subject: 'Squashed: add retries (#7)', expected: {} },
  ])('$subject', ({ subject, expected }) => {
    expect(mergeSource(subject)).toEqual(expected);
  });
});
