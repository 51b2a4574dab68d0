import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { fixedClock } from '../../src/lib/clock.ts';
import { SteadyopsError } from '../../src/lib/errors.ts';
import { createLedger, storedNodeMinLevel } from '../../src/ledger/ledger.ts';
import { verifyLedger } from '../../src/ledger/verify-ledger.ts';
import { hashLeaf, verifyConsistency, verifyInclusion } from '../../src/ledger/merkle.ts';
import {
  createNoteSigner,
  formatVerifierKey,
  generateSigningKey,
  openNote,
  parseCheckpointBody,
  parseVerifierKey,
  type NoteSigner,
} from '../../src/ledger/signed-note.ts';
import type { Ledger } from '../../src/ledger/types.ts';
import { openStore, type Store } from '../../src/store/open-store.ts';
import { deployEvent, deployEvents } from '../support/events.ts';
import { storeTargets } from '../support/store-targets.ts';

const now = new Date('2026-11-26T12:00:00Z');
const clock = fixedClock(now);
const key = generateSigningKey();
const signer = createNoteSigner('steadyops.test/ledger', key.privateKeyPem);

function rootOf(note: string, verifierSigner: NoteSigner = signer): Buffer {
  return parseCheckpointBody(openNote(note, parseVerifierKey(formatVerifierKey(verifierSigner.name, verifierSigner.publicKey))).text).rootHash;
}

for (const target of await storeTargets()) {
  describe.skipIf(!target.available)(`ledger on ${target.name}`, () => {
    const opened: Array<{ store: Store; cleanup: () => Promise<void> }> = [];

    async function freshLedger(checkpointEvery = 1_000): Promise<{ ledger: Ledger; store: Store; url: string }> {
      const { url, cleanup } = target.fresh();
      const store = await openStore(url);
      opened.push({ store, cleanup });
      return { ledger: await createLedger({ store, signer, clock, checkpointEvery }), store, url };
    }

    afterEach(async () => {
      for (const { store, cleanup } of opened.splice(0)) {
        await store.close();
        await cleanup();
      }
    });

    it('assigns gap-free sequence numbers and acknowledges redeliveries without storing them twice', async () => {
      const { ledger } = await freshLedger();
      const first = await ledger.append(deployEvents(5, new Date(now.getTime() - 60_000)));
      expect(first.map((outcome) => outcome.seq)).toEqual([1, 2, 3, 4, 5]);
      const again = await ledger.append([deployEvent(2, now), deployEvent(9, now), deployEvent(9, now)]);
      expect(again).toEqual([
        { id: 'deploy-2', source: '/github/northwind/auth-service', seq: 3, duplicate: true },
        { id: 'deploy-9', source: '/github/northwind/checkout-api', seq: 6, duplicate: false },
        { id: 'deploy-9', source: '/github/northwind/checkout-api', seq: 6, duplicate: true },
      ]);
      expect(await ledger.size()).toBe(6);
      const sameIdOtherSource = deployEvent(2, now, { source: '/github/northwind/other' });
      expect((await ledger.append([sameIdOtherSource]))[0]?.duplicate).toBe(false);
      expect(await ledger.findById('deploy-2')).toHaveLength(2);
    });

    it('answers change queries newest first, with every filter', async () => {
      const { ledger } = await freshLedger();
      await ledger.append(deployEvents(30, new Date(now.getTime() - 60 * 60_000), 120_000));
      const recent = await ledger.query({ since: new Date(now.getTime() - 30 * 60_000) });
      expect(recent.length).toBe(15);
      expect(recent.map((event) => event.seq)).toEqual([...recent.map((event) => event.seq)].sort((a, b) => b - a));
      const production = await ledger.query({ environment: 'production', limit: 1000 });
      expect(production.every((event) => event.environment === 'production')).toBe(true);
      expect(production).toHaveLength(15);
      const checkout = await ledger.query({ subjects: ['checkout-api'], limit: 1000 });
      expect(new Set(checkout.map((event) => event.subject))).toEqual(new Set(['checkout-api']));
      expect(await ledger.query({ types: ['dev.steadyops.deploy.*'], limit: 3 })).toHaveLength(3);
      expect(await ledger.query({ types: ['dev.steadyops.alert.*'] })).toHaveLength(0);
      const page = await ledger.query({ limit: 10 });
      const next = await ledger.query({ limit: 10, beforeSeq: page[page.length - 1]?.seq });
      expect(next[0]?.seq).toBe((page[page.length - 1]?.seq ?? 0) - 1);
      const [event] = await ledger.findById('deploy-7');
      expect(event).toMatchObject({ type: 'dev.steadyops.deploy.finished', actor: 'github:dev-2', data: { version: 'v1.7.0' } });
    });

    it('pages through history whose times are not in sequence order without skipping or repeating', async () => {
      const { ledger } = await freshLedger();
      // imported history: appended in one order, happened in another (and some at the same instant)
      const times = Array.from({ length: 37 }, (_, i) => new Date(now.getTime() - ((i * 7919) % 23) * 60_000));
      await ledger.append(times.map((at, i) => deployEvent(i, at)));
      const seen: number[] = [];
      let page = await ledger.query({ limit: 5 });
      while (page.length > 0) {
        seen.push(...page.map((event) => event.seq));
        page = await ledger.query({ limit: 5, beforeSeq: page[page.length - 1]?.seq });
      }
      expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 37 }, (_, i) => i + 1));
      const all = await ledger.query({ limit: 100 });
      expect(seen).toEqual(all.map((event) => event.seq));
    });

    it('reads the events after a sequence number in sequence order, whatever their times', async () => {
      const { ledger } = await freshLedger();
      const times = Array.from({ length: 12 }, (_, i) => new Date(now.getTime() - ((i * 5) % 7) * 60_000));
      await ledger.append(times.map((at, i) => deployEvent(i, at)));
      expect((await ledger.readAfter(3, 4)).map((event) => [event.seq, event.id])).toEqual([
        [4, 'deploy-3'],
        [5, 'deploy-4'],
        [6, 'deploy-5'],
        [7, 'deploy-6'],
      ]);
      expect((await ledger.readAfter(10, 100)).map((event) => event.seq)).toEqual([11, 12]);
      expect(await ledger.readAfter(12, 100)).toEqual([]);
    });

    it('proves inclusion of every event and consistency between checkpoints, offline', async () => {
      const { ledger } = await freshLedger(16);
      for (let batch = 0; batch < 5; batch += 1) {
        await ledger.append(deployEvents(23, now, 1, batch * 23));
      }
      await ledger.cutCheckpoint();
      const latest = await ledger.latestCheckpoint();
      expect(latest?.size).toBe(115);
      const root = rootOf(latest?.note ?? '');
      for (let seq = 1; seq <= 115; seq += 1) {
        const proof = await ledger.inclusionProof(seq);
        const leaf = Buffer.from(proof.leafHash, 'base64');
        verifyInclusion(proof.leafIndex, proof.treeSize, leaf, proof.hashes.map((hash) => Buffer.from(hash, 'base64')), root);
      }
      const event = await ledger.getBySeq(40);
      expect(event?.leaf_hash).toBe((await ledger.inclusionProof(40)).leafHash);
      const consistency = await ledger.consistencyProof(23, 115);
      verifyConsistency(23, 115, rootOf(consistency.oldCheckpoint), root, consistency.hashes.map((hash) => Buffer.from(hash, 'base64')));
      await expect(ledger.consistencyProof(24, 115)).rejects.toMatchObject({ code: 'SO_E_CHECKPOINT_MISSING' });
    });

    it('cuts a signed checkpoint inside the append every N events', async () => {
      const { ledger } = await freshLedger(10);
      await ledger.append(deployEvents(9, now));
      expect(await ledger.latestCheckpoint()).toBeUndefined();
      await ledger.append(deployEvents(3, now, 1, 9));
      expect((await ledger.latestCheckpoint())?.size).toBe(12);
      expect(await ledger.cutCheckpoint()).toBeUndefined();
    });

    it('verifies an intact log and names the first bad sequence number after each kind of tampering', async () => {
      const tamperings: Array<[string, (store: Store) => Promise<void>, number]> = [
        [
          'edited bytes',
          async ({ db }) => {
            await db.updateTable('events').set({ canonical: Buffer.from('{"forged":true}') }).where('seq', '=', 37).execute();
          },
          37,
        ],
        [
          'edited bytes with a matching leaf hash',
          async ({ db }) => {
            const row = await db.selectFrom('events').select('canonical').where('seq', '=', 41).executeTakeFirstOrThrow();
            const forged = Buffer.from(row.canonical.toString().replace('v1.40.0', 'v9.9.9'));
            await db.updateTable('events').set({ canonical: forged, leaf_hash: hashLeaf(forged) }).where('seq', '=', 41).execute();
          },
          41,
        ],
        [
          'edited indexed column',
          async ({ db }) => {
            await db.updateTable('events').set({ type: 'dev.steadyops.alert.firing' }).where('seq', '=', 12).execute();
          },
          12,
        ],
        [
          'deleted row',
          async ({ db }) => {
            await db.deleteFrom('events').where('seq', '=', 20).execute();
          },
          20,
        ],
        [
          'reordered rows',
          async ({ db }) => {
            const a = await db.selectFrom('events').selectAll().where('seq', '=', 5).executeTakeFirstOrThrow();
            const b = await db.selectFrom('events').selectAll().where('seq', '=', 6).executeTakeFirstOrThrow();
            await db.deleteFrom('events').where('seq', 'in', [5, 6]).execute();
            await db.insertInto('events').values([{ ...a, seq: 6 }, { ...b, seq: 5 }]).execute();
          },
          1,
        ],
        [
          'cut-off newest rows with the head rewound',
          async ({ db }) => {
            await db.deleteFrom('events').where('seq', '>', 60).execute();
            await db.deleteFrom('merkle_nodes').execute();
            await sql`update ledger_state set size = 60`.execute(db);
          },
          61,
        ],
        [
          'deleted subtree node',
          async ({ db }) => {
            await db.deleteFrom('merkle_nodes').where('level', '=', 4).where('idx', '=', 2).execute();
          },
          33,
        ],
      ];
      for (const [name, tamper, expectedSeq] of tamperings) {
        const { ledger, store } = await freshLedger(32);
        await ledger.append(deployEvents(32, now));
        await ledger.append(deployEvents(32, now, 1, 32));
        const intact = await ledger.verify();
        expect(intact, name).toMatchObject({ ok: true, size: 64, checkpoints: 2 });
        expect(await verifyLedger({ store, verifier: signer, storedNodeMinLevel, threads: 2, rangeLevel: 3 })).toEqual(intact);
        await tamper(store);
        const report = await ledger.verify();
        expect(report.ok, name).toBe(false);
        if (!report.ok) {
          expect(report.firstBadSeq, `${name}: ${report.reason}`).toBeLessThanOrEqual(expectedSeq);
          expect(report.firstBadSeq, `${name}: ${report.reason}`).toBeGreaterThanOrEqual(expectedSeq === 1 ? 1 : Math.min(expectedSeq, 32));
        }
        // worker threads checking small ranges reach the same verdict as one thread
        const parallel = await verifyLedger({ store, verifier: signer, storedNodeMinLevel, threads: 2, rangeLevel: 3 });
        expect(parallel, name).toEqual(report);
      }
    });

    it('reads a range in one aggregate row that matches the stored rows, and flags columns that disagree', async () => {
      const { ledger, store } = await freshLedger();
      await ledger.append(deployEvents(40, now));
      const read = await store.dialect.readRange(store.db, 11, 30);
      const rows = await store.db.selectFrom('events').selectAll().where('seq', '>=', 11).where('seq', '<=', 30).orderBy('seq').execute();
      expect(read).toMatchObject({ count: 20, firstSeq: 11, lastSeq: 30, firstBadColumns: null });
      expect(read.canonical.equals(Buffer.concat(rows.map((row) => row.canonical)))).toBe(true);
      expect(read.lengths).toEqual(rows.map((row) => row.canonical.length));
      expect(read.leaves.equals(Buffer.concat(rows.map((row) => row.leaf_hash)))).toBe(true);
      await store.db.updateTable('events').set({ time_ms: rows[2]?.time_ms ?? 0 }).where('seq', '=', 19).execute();
      expect((await store.dialect.readRange(store.db, 11, 30)).firstBadColumns).toBe(19);
      await store.db.updateTable('events').set({ subject: 'someone-else' }).where('seq', '=', 17).execute();
      await store.db.updateTable('events').set({ source: '/forged' }).where('seq', '=', 23).execute();
      expect((await store.dialect.readRange(store.db, 11, 30)).firstBadColumns).toBe(17);
    });

    it('detects a forged checkpoint and checks checkpoints kept outside the database', async () => {
      const { ledger, store } = await freshLedger(8);
      await ledger.append(deployEvents(16, now));
      const kept = (await ledger.latestCheckpoint())?.note ?? '';
      const other = createNoteSigner(signer.name, generateSigningKey().privateKeyPem);
      await store.db.updateTable('checkpoints').set({ note: other.sign(kept.slice(0, kept.indexOf('\n\n') + 1)) }).where('size', '=', 16).execute();
      const report = await ledger.verify();
      expect(report).toMatchObject({ ok: false, firstBadSeq: 16 });
      await store.db.deleteFrom('checkpoints').execute();
      await store.db.deleteFrom('events').where('seq', '>', 10).execute();
      await sql`update ledger_state set size = 10`.execute(store.db);
      const withWitness = await ledger.verify({ extraCheckpoints: [kept] });
      expect(withWitness).toMatchObject({ ok: false, firstBadSeq: 11 });
    });

    it('serialises concurrent appends into one gap-free log', async () => {
      const { ledger, url } = await freshLedger(100);
      // a second connection pool stands for a second server replica; SQLite's driver is synchronous,
      // so its second writer must be another process (covered by the scale-out test)
      let second = ledger;
      if (target.name === 'postgres') {
        const secondStore = await openStore(url);
        opened.push({ store: secondStore, cleanup: async () => undefined });
        second = await createLedger({ store: secondStore, signer, clock, checkpointEvery: 100 });
      }
      const writes = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? ledger : second).append(deployEvents(25, now, 1, i * 25)));
      const outcomes = (await Promise.all(writes)).flat();
      expect(outcomes.map((outcome) => outcome.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
      expect(await ledger.verify()).toMatchObject({ ok: true, size: 500 });
    });

    it('refuses to start with a signing key other than the one the ledger was started with', async () => {
      const { url } = await freshLedger();
      const store = await openStore(url);
      opened.push({ store, cleanup: async () => undefined });
      const intruder = createNoteSigner(signer.name, generateSigningKey().privateKeyPem);
      await expect(createLedger({ store, signer: intruder, clock })).rejects.toBeInstanceOf(SteadyopsError);
    });
  });
}
