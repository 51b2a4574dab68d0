import { describe, expect, it } from 'vitest';
import { fixedClock } from '../lib/clock.ts';
import { FakeLedger } from '../server/test-support/fake-ledger.ts';
import { readAll } from './metrics-service.ts';

describe('readAll', () => {
  it('reads every matching event in pages, newest first', async () => {
    const ledger = new FakeLedger(fixedClock('2026-11-26T09:00:00Z'));
    await ledger.append(
      Array.from({ length: 7 }, (_, index) => ({
        actor: 'test',
        event: { specversion: '1.0' as const, id: `e${index}`, source: '/t', type: 'dev.steadyops.git.tag', data: { repo: 'r', tag: `v${index}`, sha: 'abcdef1' } },
      })),
    );
    const events = await readAll(ledger, { types: ['dev.steadyops.git.*'] }, 3);
    expect(events.map((event) => event.seq)).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(ledger.queries.map((query) => [query.limit, query.beforeSeq])).toEqual([
      [3, undefined],
      [3, 5],
      [3, 2],
    ]);
  });
});
