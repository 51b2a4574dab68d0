import { describe, expect, it } from 'vitest';
import { parseNameStatus } from './migration-diff.ts';

describe('parseNameStatus', () => {
  it('reads `git diff --name-status -z` records, type changes counting as modified', () => {
    const output = ['A', 'migrations/0003 backfill.sql', 'M', 'migrations/0002.sql', 'D', 'migrations/0001.sql', 'T', 'migrations/link.sql', 'X', 'unknown', ''].join('\0');
    expect(parseNameStatus(output)).toEqual([
      { status: 'added', path: 'migrations/0003 backfill.sql' },
      { status: 'modified', path: 'migrations/0002.sql' },
      { status: 'deleted', path: 'migrations/0001.sql' },
      { status: 'modified', path: 'migrations/link.sql' },
    ]);
    expect(parseNameStatus('')).toEqual([]);
  });
});
