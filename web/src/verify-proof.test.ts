import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLedger, type StoreLedger } from '../../src/ledger/ledger.ts';
import { createNoteSigner, generateSigningKey } from '../../src/ledger/signed-note.ts';
import type { InclusionProof } from '../../src/ledger/types.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { openStore, type Store } from '../../src/store/open-store.ts';
import { base64ToBytes, bytesToBase64, decodeCanonical, parseVerifierKey, verifyInclusionProof } from './verify-proof.ts';

// proofs made by the real ledger (SQLite store, Ed25519 signer), checked by the browser verifier on WebCrypto
describe('the browser proof verifier against the ledger', () => {
  let dir = '';
  let store: Store;
  let ledger: StoreLedger;
  let key = '';
  const proofs: InclusionProof[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'steadyops-web-proof-'));
    store = await openStore(`sqlite:${join(dir, 'ledger.db')}`, dir);
    ledger = await createLedger({ store, signer: createNoteSigner('steadyops.test/web', generateSigningKey().privateKeyPem), clock: fixedClock('2026-11-26T12:00:00Z') });
    const events = Array.from({ length: 13 }, (_, i) => ({
      event: { specversion: '1.0' as const, id: `deploy-${i}`, source: '/test/web', type: 'dev.steadyops.deploy.finished', subject: 'checkout-api', time: '2026-11-26T11:00:00Z', data: { service: 'checkout-api', environment: 'production', version: `1.0.${i}`, note: 'café ✓' } },
      actor: 'token:test',
    }));
    await ledger.append(events);
    await ledger.cutCheckpoint();
    for (const seq of [1, 2, 7, 8, 12, 13]) proofs.push(await ledger.inclusionProof(seq));
    key = await ledger.verifierKey();
  });

  afterAll(async () => {
    await ledger?.close();
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('accepts the proof of every position in an unbalanced tree', async () => {
    for (const proof of proofs) {
      const verdict = await verifyInclusionProof(proof, key);
      expect(verdict.steps.filter((step) => !step.ok)).toEqual([]);
      expect(verdict).toMatchObject({ ok: true, origin: expect.stringContaining('steadyops'), treeSize: 13 });
      expect(verdict.steps.map((step) => step.name)).toEqual(['verifier key', 'signed tree head', 'leaf hash', 'audit path']);
    }
  });

  it('decodes the canonical bytes to the event that was proven, non-ASCII intact', () => {
    expect(decodeCanonical((proofs[2] as InclusionProof).canonical)).toMatchObject({ id: 'deploy-6', source: '/test/web', data: { note: 'café ✓' } });
  });

  it('rejects tampered event bytes, a tampered path, a forged checkpoint and another key', async () => {
    const proof = proofs[2] as InclusionProof;
    const bytes = base64ToBytes(proof.canonical);
    bytes[10] = (bytes[10] as number) ^ 1;
    const tamperedEvent = await verifyInclusionProof({ ...proof, canonical: bytesToBase64(bytes) }, key);
    expect(tamperedEvent).toMatchObject({ ok: false });
    expect(tamperedEvent.steps.at(-1)).toMatchObject({ name: 'leaf hash', ok: false, detail: 'the event bytes do not hash to the leaf hash' });

    const path = [...proof.hashes];
    path[1] = proofs[0]?.leafHash as string;
    const tamperedPath = await verifyInclusionProof({ ...proof, hashes: path }, key);
    expect(tamperedPath.steps.at(-1)).toMatchObject({ name: 'audit path', ok: false, detail: 'the computed root does not match the signed root' });

    const forged = proof.checkpoint.replace('\n13\n', '\n12\n');
    const forgedHead = await verifyInclusionProof({ ...proof, checkpoint: forged }, key);
    expect(forgedHead.steps.at(-1)).toMatchObject({ name: 'signed tree head', ok: false });
    expect(forgedHead.steps.at(-1)?.detail).toMatch(/no valid signature/);

    const other = createNoteSigner('steadyops.test/web', generateSigningKey().privateKeyPem);
    const { formatVerifierKey } = await import('../../src/ledger/signed-note.ts');
    const otherKey = await verifyInclusionProof(proof, formatVerifierKey(other.name, other.publicKey));
    expect(otherKey).toMatchObject({ ok: false });
  });

  it('rejects a malformed verifier key or one whose id does not match', async () => {
    await expect(parseVerifierKey('nonsense')).rejects.toThrow(/form <name>\+<hex key id>\+<base64 key>/);
    const [name] = key.split('+') as [string];
    const encoded = key.slice(name.length + 10); // the base64 key itself may hold '+'
    await expect(parseVerifierKey(`${name}+00000000+${encoded}`)).rejects.toThrow(/key id does not match/);
  });
});
