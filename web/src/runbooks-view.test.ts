import { describe, expect, it } from 'vitest';
import { frontMatterLines, lintLine, runbooksOf, withoutFrontMatter } from './runbooks-view.ts';

describe('runbooks on the Service page', () => {
  it('reads a bare array or { runbooks }, keeping what each runbook has', () => {
    const answer = [{ name: 'checkout down', path: 'runbooks/checkout.md', markdown: '# Checkout', frontMatter: { owner: 'payments' }, lint: [] }, { name: 'wiki', url: 'https://wiki/x', lint: ['no first action'] }];
    expect(runbooksOf(answer)).toEqual([
      { name: 'checkout down', path: 'runbooks/checkout.md', markdown: '# Checkout', frontMatter: { owner: 'payments' }, lint: [] },
      { name: 'wiki', url: 'https://wiki/x', lint: ['no first action'] },
    ]);
    expect(runbooksOf({ runbooks: answer })).toHaveLength(2);
    expect(runbooksOf({ nothing: true })).toEqual([]);
    expect(runbooksOf([{ markdown: '' }])).toEqual([{ name: '(unnamed runbook)', markdown: '', lint: [] }]);
  });

  it('says a lint problem in one line, whatever its shape', () => {
    expect(lintLine('missing owner')).toBe('missing owner');
    expect(lintLine({ rule: 'first-action', message: 'no "First action" section', line: 12, column: 3 })).toBe('12:3 first-action: no "First action" section');
    expect(lintLine({ code: 'R2', message: 'stale', location: { line: 4 } })).toBe('4 R2: stale');
    expect(lintLine({ other: 1 })).toBe('{"other":1}');
  });

  it('renders the Markdown without its front matter', () => {
    expect(withoutFrontMatter('---\nowner: payments\nalerts: [A]\n---\n# Checkout\n')).toBe('# Checkout\n');
    expect(withoutFrontMatter('---\r\nowner: x\r\n...\r\nbody')).toBe('body');
    expect(withoutFrontMatter('# No front matter\n---\nnot: yaml\n---\n')).toBe('# No front matter\n---\nnot: yaml\n---\n');
    expect(withoutFrontMatter('---\nunterminated: true\n# Title')).toBe('---\nunterminated: true\n# Title');
  });

  it('lists front matter fields as key: value', () => {
    expect(frontMatterLines({ owner: 'payments', alerts: ['A', 'B'], review: { every: '90d' } })).toEqual(['owner: payments', 'alerts: A, B', 'review: {"every":"90d"}']);
    expect(frontMatterLines(undefined)).toEqual([]);
  });
});
