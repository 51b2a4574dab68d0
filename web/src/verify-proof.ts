/**
 * Inclusion proofs checked in the browser with WebCrypto, as `steadyops ledger verify-proof` does offline:
 * RFC 6962 leaf and node hashing (SHA-256), the RFC 9162 audit path up to the root, and the C2SP
 * tlog-checkpoint signed note (Ed25519) against the ledger's verifier key `<name>+<hex key id>+<base64 key>`.
 */
import type { InclusionProof } from './api-types.ts';

export interface VerifyStep {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface ProofVerdict {
  readonly ok: boolean;
  readonly steps: readonly VerifyStep[];
  readonly origin?: string;
  readonly treeSize?: number;
  readonly rootHash?: string;
}

export interface NoteVerifier {
  readonly name: string;
  readonly keyId: Uint8Array;
  readonly publicKey: Uint8Array;
}

export interface CheckpointBody {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Uint8Array;
}

const ed25519Type = 0x01;
const signatureLinePrefix = '\u2014 ';
const encoder = new TextEncoder();

export function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function bytesToHex(bytes: Uint8Array): string {
  return [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

function concat(...parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', concat(bytes)));
}

/** RFC 6962: SHA-256(0x00 || bytes). */
export function hashLeaf(bytes: Uint8Array): Promise<Uint8Array> {
  return sha256(concat(Uint8Array.of(0x00), bytes));
}

/** RFC 6962: SHA-256(0x01 || left || right). */
export function hashChildren(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  return sha256(concat(Uint8Array.of(0x01), left, right));
}

/** RFC 9162 2.1.3.2: the root an audit path leads to, or an error saying why the path cannot be right. */
export async function rootFromInclusionProof(leafIndex: number, treeSize: number, leaf: Uint8Array, proof: readonly Uint8Array[]): Promise<Uint8Array> {
  if (leafIndex >= treeSize) throw new Error(`leaf index ${leafIndex} is not below tree size ${treeSize}`);
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) throw new Error('the proof is longer than the tree is deep');
    if (fn % 2 === 1 || fn === sn) {
      r = await hashChildren(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await hashChildren(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new Error('the proof is shorter than the tree is deep');
  return r;
}

export async function keyIdFor(name: string, publicKey: Uint8Array): Promise<Uint8Array> {
  return (await sha256(concat(encoder.encode(`${name}\n`), Uint8Array.of(ed25519Type), publicKey))).subarray(0, 4);
}

/** Parses `<name>+<hex key id>+<base64(0x01 || Ed25519 key)>` and checks the key id. */
export async function parseVerifierKey(vkey: string): Promise<NoteVerifier> {
  const match = /^([^+\s]+)\+([0-9a-fA-F]{8})\+([A-Za-z0-9+/=]+)$/.exec(vkey.trim());
  if (!match) throw new Error('a verifier key has the form <name>+<hex key id>+<base64 key>');
  const [, name, hexId, encoded] = match as unknown as [string, string, string, string];
  const keyBytes = base64ToBytes(encoded);
  if (keyBytes.length !== 33 || keyBytes[0] !== ed25519Type) throw new Error('only Ed25519 verifier keys (type 0x01) are supported');
  const publicKey = keyBytes.subarray(1);
  const keyId = await keyIdFor(name, publicKey);
  if (bytesToHex(keyId) !== hexId.toLowerCase()) throw new Error('the key id does not match the key name and key');
  return { name, keyId, publicKey };
}

/** Checks that a C2SP signed note carries a valid Ed25519 signature by the verifier; returns its signed text. */
export async function openNote(note: string, verifier: NoteVerifier): Promise<string> {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new Error('not a signed note: no blank line before the signatures');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  const key = await crypto.subtle.importKey('raw', concat(verifier.publicKey), { name: 'Ed25519' }, false, ['verify']);
  for (const line of lines) {
    if (!line.startsWith(signatureLinePrefix)) throw new Error(`malformed signature line: ${line}`);
    const [name, encoded] = line.slice(signatureLinePrefix.length).split(' ') as [string, string | undefined];
    if (name !== verifier.name || !encoded) continue;
    const bytes = base64ToBytes(encoded);
    if (!bytesEqual(bytes.subarray(0, 4), verifier.keyId)) continue;
    if (await crypto.subtle.verify({ name: 'Ed25519' }, key, concat(bytes.subarray(4)), concat(encoder.encode(text)))) return text;
  }
  throw new Error(`no valid signature by ${verifier.name}`);
}

/** `<origin>\n<size>\n<base64 root>\n`, the C2SP tlog-checkpoint body. */
export function parseCheckpointBody(text: string): CheckpointBody {
  const [origin, size, root] = text.split('\n');
  if (!origin || !size || !/^\d+$/.test(size) || !root) throw new Error('a checkpoint body is <origin>\\n<size>\\n<base64 root>\\n');
  const rootHash = base64ToBytes(root);
  if (rootHash.length !== 32) throw new Error('the checkpoint root hash is not 32 bytes');
  return { origin, size: Number(size), rootHash };
}

/** Runs one step; a failure ends the verification with the reason. */
async function step<T>(steps: VerifyStep[], name: string, run: () => Promise<{ value: T; detail: string }>): Promise<T> {
  try {
    const { value, detail } = await run();
    steps.push({ name, ok: true, detail });
    return value;
  } catch (error) {
    steps.push({ name, ok: false, detail: error instanceof Error ? error.message : String(error) });
    throw new StepFailed();
  }
}

class StepFailed extends Error {}

/**
 * Verifies an inclusion proof with nothing but the verifier key: the checkpoint's signature, the leaf hash
 * from the canonical bytes, and the audit path to the signed root. Never throws: the verdict lists each step.
 */
export async function verifyInclusionProof(proof: InclusionProof, verifierKey: string): Promise<ProofVerdict> {
  const steps: VerifyStep[] = [];
  try {
    const verifier = await step(steps, 'verifier key', async () => {
      const value = await parseVerifierKey(verifierKey);
      return { value, detail: `Ed25519 key "${value.name}" (id ${bytesToHex(value.keyId)})` };
    });
    const body = await step(steps, 'signed tree head', async () => {
      const value = parseCheckpointBody(await openNote(proof.checkpoint, verifier));
      if (value.size !== proof.treeSize) throw new Error(`the proof is for tree size ${proof.treeSize} but the checkpoint signs ${value.size}`);
      return { value, detail: `${value.origin}, ${value.size} events, root ${bytesToBase64(value.rootHash)}, signed by ${verifier.name}` };
    });
    const leaf = await step(steps, 'leaf hash', async () => {
      const value = await hashLeaf(base64ToBytes(proof.canonical));
      if (bytesToBase64(value) !== proof.leafHash) throw new Error('the event bytes do not hash to the leaf hash');
      if (proof.leafIndex !== proof.seq - 1) throw new Error('the leaf index does not match the sequence number');
      return { value, detail: `SHA-256(0x00 || event bytes) = ${proof.leafHash}` };
    });
    const root = await step(steps, 'audit path', async () => {
      const value = await rootFromInclusionProof(proof.leafIndex, proof.treeSize, leaf, proof.hashes.map(base64ToBytes));
      if (!bytesEqual(value, body.rootHash)) throw new Error('the computed root does not match the signed root');
      return { value, detail: `${proof.hashes.length} hashes from leaf ${proof.leafIndex} lead to the signed root` };
    });
    return { ok: true, steps, origin: body.origin, treeSize: body.size, rootHash: bytesToBase64(root) };
  } catch (error) {
    if (!(error instanceof StepFailed)) throw error;
    return { ok: false, steps };
  }
}

/** The event the canonical bytes encode, to show that what was proven is what is displayed. */
export function decodeCanonical(canonical: string): unknown {
  return JSON.parse(new TextDecoder().decode(base64ToBytes(canonical)));
}
