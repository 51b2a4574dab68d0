import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/**
 * C2SP signed notes (https://c2sp.org/signed-note) with Ed25519 keys, and C2SP tlog-checkpoint
 * bodies (https://c2sp.org/tlog-checkpoint): `<origin>\n<size>\n<base64 root>\n`.
 */
const ed25519Type = 0x01;
const signatureLinePrefix = '\u2014 ';

export interface NoteSigner {
  readonly name: string;
  readonly keyId: Buffer;
  readonly publicKey: Buffer;
  sign(text: string): string;
}

export interface NoteVerifier {
  readonly name: string;
  readonly keyId: Buffer;
  readonly publicKey: Buffer;
}

export interface GeneratedKey {
  readonly privateKeyPem: string;
  readonly publicKey: Buffer;
}

export function generateSigningKey(): GeneratedKey {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey: rawPublicKey(publicKey) };
}

function rawPublicKey(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.from(jwk.x as string, 'base64url');
}

export function keyIdFor(name: string, publicKey: Buffer): Buffer {
  return createHash('sha256')
    .update(Buffer.from(`${name}\n`))
    .update(Buffer.from([ed25519Type]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

/** Signs the note text (which must end with a newline) and returns the whole signed note. */
export function createNoteSigner(name: string, privateKeyPem: string): NoteSigner {
  assertKeyName(name);
  const privateKey = createPrivateKey(privateKeyPem);
  const publicKey = rawPublicKey(createPublicKey(privateKey));
  const keyId = keyIdFor(name, publicKey);
  return {
    name,
    keyId,
    publicKey,
    sign(text: string): string {
      if (!text.endsWith('\n')) throw new Error('note text must end with a newline');
      const signature = sign(null, Buffer.from(text, 'utf8'), privateKey);
      return `${text}\n${signatureLinePrefix}${name} ${Buffer.concat([keyId, signature]).toString('base64')}\n`;
    },
  };
}

/** `<name>+<hex key id>+<base64(0x01 || public key)>`, the vkey format used by note verifiers. */
export function formatVerifierKey(name: string, publicKey: Buffer): string {
  return `${name}+${keyIdFor(name, publicKey).toString('hex')}+${Buffer.concat([Buffer.from([ed25519Type]), publicKey]).toString('base64')}`;
}

export function parseVerifierKey(vkey: string): NoteVerifier {
  const trimmed = vkey.trim();
  const match = /^([^+\s]+)\+([0-9a-fA-F]{8})\+([A-Za-z0-9+/=]+)$/.exec(trimmed);
  if (!match) throw new Error('a verifier key has the form <name>+<hex key id>+<base64 key>');
  const [, name, hexId, encoded] = match as unknown as [string, string, string, string];
  const keyBytes = Buffer.from(encoded, 'base64');
  if (keyBytes.length !== 33 || keyBytes[0] !== ed25519Type) throw new Error('only Ed25519 verifier keys (type 0x01) are supported');
  const publicKey = keyBytes.subarray(1);
  const keyId = keyIdFor(name, publicKey);
  if (keyId.toString('hex') !== hexId.toLowerCase()) throw new Error('the key id does not match the key name and key');
  return { name, keyId, publicKey };
}

export interface OpenedNote {
  readonly text: string;
  readonly signers: readonly string[];
}

/** Checks that the note carries a valid signature by the verifier; returns its text. */
export function openNote(note: string, verifier: NoteVerifier): OpenedNote {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new Error('not a signed note: no blank line before the signatures');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  const signers: string[] = [];
  const publicKey = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: verifier.publicKey.toString('base64url') },
    format: 'jwk',
  });
  for (const line of lines) {
    if (!line.startsWith(signatureLinePrefix)) throw new Error(`malformed signature line: ${line}`);
    const [name, encoded] = line.slice(signatureLinePrefix.length).split(' ') as [string, string | undefined];
    if (name !== verifier.name || !encoded) continue;
    const bytes = Buffer.from(encoded, 'base64');
    if (!bytes.subarray(0, 4).equals(verifier.keyId)) continue;
    if (verify(null, Buffer.from(text, 'utf8'), publicKey, bytes.subarray(4))) signers.push(name);
  }
  if (signers.length === 0) throw new Error(`no valid signature by ${verifier.name}`);
  return { text, signers };
}

export interface CheckpointBody {
  readonly origin: string;
  readonly size: number;
  readonly rootHash: Buffer;
}

export function formatCheckpointBody(body: CheckpointBody): string {
  return `${body.origin}\n${body.size}\n${body.rootHash.toString('base64')}\n`;
}

export function parseCheckpointBody(text: string): CheckpointBody {
  const lines = text.split('\n');
  const [origin, size, root] = lines;
  if (!origin || !size || !/^\d+$/.test(size) || !root) throw new Error('a checkpoint body is <origin>\\n<size>\\n<base64 root>\\n');
  const rootHash = Buffer.from(root, 'base64');
  if (rootHash.length !== 32) throw new Error('the checkpoint root hash is not 32 bytes');
  return { origin, size: Number(size), rootHash };
}

function assertKeyName(name: string): void {
  if (!name || /[\s+]/.test(name)) throw new Error(`key name "${name}" must be non-empty without spaces or '+'`);
}
