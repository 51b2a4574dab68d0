import { z } from 'zod';
import { hashLeaf, verifyConsistency, verifyInclusion } from './merkle.ts';
import { openNote, parseCheckpointBody, parseVerifierKey } from './signed-note.ts';

/** What `ledger proof` prints and `ledger verify-proof` checks, with nothing but the public key. */
export const inclusionProofFileSchema = z.object({
  seq: z.int().positive(),
  leafIndex: z.int().nonnegative(),
  treeSize: z.int().positive(),
  leafHash: z.base64(),
  hashes: z.array(z.base64()),
  checkpoint: z.string().min(1),
  /** when present, the leaf hash is recomputed from these canonical bytes */
  canonical: z.base64().optional(),
});

export type InclusionProofFile = z.infer<typeof inclusionProofFileSchema>;

export interface OfflineCheck {
  readonly origin: string;
  readonly treeSize: number;
}

/** Verifies signature, leaf and path; throws an Error saying which part failed. */
export function verifyInclusionOffline(proof: InclusionProofFile, verifierKey: string): OfflineCheck {
  const verifier = parseVerifierKey(verifierKey);
  const body = parseCheckpointBody(openNote(proof.checkpoint, verifier).text);
  if (body.size !== proof.treeSize) throw new Error(`the proof is for tree size ${proof.treeSize} but the checkpoint signs ${body.size}`);
  const leaf = Buffer.from(proof.leafHash, 'base64');
  if (proof.canonical !== undefined) {
    if (!hashLeaf(Buffer.from(proof.canonical, 'base64')).equals(leaf)) throw new Error('the event bytes do not hash to the leaf hash');
  }
  if (proof.leafIndex !== proof.seq - 1) throw new Error('the leaf index does not match the sequence number');
  verifyInclusion(proof.leafIndex, proof.treeSize, leaf, proof.hashes.map((hash) => Buffer.from(hash, 'base64')), body.rootHash);
  return { origin: body.origin, treeSize: body.size };
}

export const consistencyProofFileSchema = z.object({
  oldSize: z.int().nonnegative(),
  newSize: z.int().positive(),
  hashes: z.array(z.base64()),
  oldCheckpoint: z.string().min(1),
  newCheckpoint: z.string().min(1),
});

export type ConsistencyProofFile = z.infer<typeof consistencyProofFileSchema>;

export function verifyConsistencyOffline(proof: ConsistencyProofFile, verifierKey: string): void {
  const verifier = parseVerifierKey(verifierKey);
  const older = parseCheckpointBody(openNote(proof.oldCheckpoint, verifier).text);
  const newer = parseCheckpointBody(openNote(proof.newCheckpoint, verifier).text);
  if (older.size !== proof.oldSize || newer.size !== proof.newSize) throw new Error('the proof sizes do not match the signed checkpoints');
  verifyConsistency(older.size, newer.size, older.rootHash, newer.rootHash, proof.hashes.map((hash) => Buffer.from(hash, 'base64')));
}
