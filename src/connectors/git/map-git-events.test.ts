import { describe, expect, it } from 'vitest';
import { validateEventData } from '../../ledger/event-types.ts';
import { mapGitCommit, mapGitTag } from './map-git-events.ts';
import type { GitCommit } from './parse-git-records.ts';

const sha = (c: string) => c.repeat(40);
const base: GitCommit = {
  sha: sha('1'),
  parents: [sha('0')],
  authorName: 'Ada Lovelace',
  authorEmail: 'ada@example.com',
  authoredAt: '2026-01-01T10:00:00+01:00',
  committedAt: '2026-01-01T12:00:00+01:00',
  subject: 'fix: retry budget',
};
const context = { repo: 'northwind/checkout-api', branch: 'main', subject: 'checkout-api' };

describe('mapGitCommit', () => {
  it.each([
    { name: 'a root commit', commit: { ...base, parents: [] }, type: 'dev.steadyops.git.commit', data: { message: 'fix: retry budget' } },
    { name: 'an ordinary commit', commit: base, type: 'dev.steadyops.git.commit', data: { message: 'fix: retry budget', author: 'ada@example.com' } },
    {
      name: 'a pull request merge',
      commit: { ...base, parents: [sha('0'), sha('2')], subject: 'Merge pull request #12 from northwind/feat/x' },
      type: 'dev.steadyops.git.merge',
      data: { sourceBranch: 'feat/x', pullRequest: 12, title: 'Merge pull request #12 from northwind/feat/x' },
    },
    {
      name: 'an octopus merge without a conventional message names the merged head',
      commit: { ...base, parents: [sha('0'), sha('2'), sha('3')], subject: 'integrate' },
      type: 'dev.steadyops.git.merge',
      data: { sourceBranch: sha('2'), parents: [sha('0'), sha('2'), sha('3')] },
    },
  ])('$name', ({ commit, type, data }) => {
    const { event, actor } = mapGitCommit(commit, context);
    expect(event).toMatchObject({
      id: commit.sha,
      source: '/git/northwind/checkout-api',
      type,
      subject: 'checkout-api',
      time: '2026-01-01T12:00:00+01:00',
      data: { repo: 'northwind/checkout-api', sha: commit.sha, branch: 'main', ...data },
    });
    expect(actor).toBe('git:ada@example.com');
    expect(validateEventData(event.type, event.data)).toEqual({ ok: true });
  });

  it('leaves subject unset when no service owns the repository', () => {
    const { event } = mapGitCommit(base, { repo: 'northwind/unknown', branch: 'main' });
    expect(event).not.toHaveProperty('subject');
  });

  it('derives the same event from the same commit (redelivery dedupes)', () => {
    expect(mapGitCommit(base, context)).toEqual(mapGitCommit({ ...base }, context));
  });
});

describe('mapGitTag', () => {
  it.each([
    { name: 'an annotated tag', tag: { name: 'v1.2.0', sha: sha('a'), annotated: true, email: 'rel@example.com', time: '2026-02-01T09:00:00Z' }, actor: 'git:rel@example.com' },
    { name: 'a tag without an email', tag: { name: 'nightly', sha: sha('b'), annotated: false, time: '2026-02-01T09:00:00Z' }, actor: 'git:northwind/checkout-api' },
  ])('$name', ({ tag, actor }) => {
    const mapped = mapGitTag(tag, context);
    expect(mapped.actor).toBe(actor);
    expect(mapped.event).toMatchObject({ id: `tag:${tag.name}`, type: 'dev.steadyops.git.tag', time: tag.time, data: { tag: tag.name, sha: tag.sha } });
    expect(validateEventData(mapped.event.type, mapped.event.data)).toEqual({ ok: true });
  });
});
