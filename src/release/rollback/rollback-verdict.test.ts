import { describe, expect, it } from 'vitest';
import { rollbackVerdict } from './rollback-verdict.ts';
import type { MigrationReport, RollbackClass } from './types.ts';

const migration = (path: string, ...classes: RollbackClass[]): MigrationReport => ({
  path,
  status: 'added',
  class: classes.includes('data-loss') ? 'data-loss' : classes.includes('forward-fix') ? 'forward-fix' : 'safe',
  findings: classes.map((value, index) => ({ file: path, line: index + 1, statement: 'x', class: value, reason: 'r.' })),
});

describe('rollbackVerdict', () => {
  const cases: ReadonlyArray<readonly [string, MigrationReport[], boolean, RollbackClass, boolean, RegExp]> = [
    ['no migrations', [], false, 'safe', true, /no migrations changed/],
    ['additive only', [migration('a.sql', 'safe', 'safe')], false, 'safe', true, /1 migration\(s\), all additive/],
    ['forward-fix, not accepted', [migration('a.sql', 'safe'), migration('b.sql', 'forward-fix')], false, 'forward-fix', false, /1 forward-fix finding\(s\).*--accept-forward-fix/],
    ['forward-fix, accepted', [migration('b.sql', 'forward-fix', 'forward-fix')], true, 'forward-fix', true, /2 forward-fix finding\(s\), accepted/],
    ['data-loss, even when forward-fix is accepted', [migration('a.sql', 'forward-fix'), migration('b.sql', 'data-loss', 'data-loss'), migration('c.sql', 'data-loss')], true, 'data-loss', false, /3 data-loss finding\(s\) in 2 migration\(s\)/],
  ];
  it.each(cases)('%s', (_name, migrations, acceptForwardFix, worst, safe, summary) => {
    const verdict = rollbackVerdict(migrations, { acceptForwardFix });
    expect(verdict.class).toBe(worst);
    expect(verdict.safe).toBe(safe);
    expect(verdict.summary).toMatch(summary);
  });
});
