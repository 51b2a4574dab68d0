import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/lib/clock.ts';
import { checkRange, type RangeTask } from '../../src/ledger/check-range.ts';
import { createLedger, storedNodeMinLevel } from '../../src/ledger/ledger.ts';
import { startRangeCheckers } from '../../src/ledger/range-checkers.ts';
import { createNoteSigner, generateSigningKey } from '../../src/ledger/signed-note.ts';
import { openStore } from '../../src/store/open-store.ts';
import { deployEvents } from '../support/events.ts';

const dir = mkdtempSync(join(tmpdir(), 'steadyops-ranges-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('range checkers on worker threads', () => {
  it('check a range on their own connection exactly as the calling thread does', async () => {
    const now = new Date('2026-11-26T12:00:00Z');
    const store = await openStore(`sqlite:${join(dir, 'ledger.db')}`, dir);
    const ledger = await createLedger({ store, signer: createNoteSigner('steadyops.test/ranges', generateSigningKey().privateKeyPem), clock: fixedClock(now), checkpointEvery: 50 });
    await ledger.append(deployEvents(300, now));
    await store.db.updateTable('events').set({ actor: 'someone-else' }).where('seq', '=', 270).execute();
    const checkers = startRangeCheckers({ url: store.url, cwd: dir }, 1);
    try {
      const tasks: RangeTask[] = [
        { first: 1, last: 128, claimSizes: [50, 100], nodeMinLevel: storedNodeMinLevel, rangeLevel: 7 },
        { first: 257, last: 300, claimSizes: [300], nodeMinLevel: storedNodeMinLevel, rangeLevel: 7 },
      ];
      for (const task of tasks) {
        let handed = checkers.tryCheck(task);
        for (let waited = 0; !handed && waited < 300; waited += 1) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          handed = checkers.tryCheck(task);
        }
        if (!handed) throw new Error("no worker became ready");
        const fromWorker = await handed;
        const here = await checkRange(store.db, store.dialect, task);
        expect(comparable(fromWorker)).toEqual(comparable(here));
      }
      const second = await checkRange(store.db, store.dialect, tasks[1] as RangeTask);
      expect(second.failure).toEqual({ seq: 270, reason: 'the indexed columns disagree with the hashed event' });
      expect((await checkRange(store.db, store.dialect, tasks[0] as RangeTask)).frontiers.map((f) => f.size)).toEqual([50, 100]);
    } finally {
      await checkers.close();
      await ledger.close();
      await store.close();
    }
  }, 60_000);
});

/** Buffers come back from a worker as plain Uint8Arrays: compare hashes as hex. */
function comparable(summary: Awaited<ReturnType<typeof checkRange>>): unknown {
  const hex = (hashes: readonly Uint8Array[]): string[] => hashes.map((hash) => Buffer.from(hash).toString('hex'));
  return { ...summary, frontiers: summary.frontiers.map((f) => ({ size: f.size, hashes: hex(f.hashes) })), end: hex(summary.end) };
}
