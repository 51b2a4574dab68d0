import { describe, expect, it } from 'vitest';
import {
  createNoteSigner,
  formatCheckpointBody,
  formatVerifierKey,
  generateSigningKey,
  openNote,
  parseCheckpointBody,
  parseVerifierKey,
} from './signed-note.ts';

const origin = 'steadyops.example/ledger';

describe('signed notes', () => {
  const key = generateSigningKey();
  const signer = createNoteSigner(origin, key.privateKeyPem);
  const body = formatCheckpointBody({ origin, size: 42, rootHash: Buffer.alloc(32, 7) });
  const note = signer.sign(body);
  const verifier = parseVerifierKey(formatVerifierKey(origin, key.publicKey));

  it('has the C2SP layout: body, blank line, em-dash signature line', () => {
    const lines = note.split('\n');
    expect(lines.slice(0, 4)).toEqual([origin, '42', Buffer.alloc(32, 7).toString('base64'), '']);
    expect(lines[4]).toMatch(new RegExp(`^\u2014 ${origin.replace(/\./g, '\\.')} [A-Za-z0-9+/]+=*$`));
    expect(Buffer.from((lines[4] as string).split(' ')[2] as string, 'base64')).toHaveLength(68);
  });

  it('opens with the right key and returns the body', () => {
    const opened = openNote(note, verifier);
    expect(parseCheckpointBody(opened.text)).toEqual({ origin, size: 42, rootHash: Buffer.alloc(32, 7) });
  });

  it('rejects an edited body, another key, and a malformed key', () => {
    expect(() => openNote(note.replace('\n42\n', '\n43\n'), verifier)).toThrow(/no valid signature/);
    const other = parseVerifierKey(formatVerifierKey(origin, generateSigningKey().publicKey));
    expect(() => openNote(note, other)).toThrow(/no valid signature/);
    const vkey = formatVerifierKey(origin, key.publicKey);
    expect(() => parseVerifierKey(vkey.replace(/\+[0-9a-f]{8}\+/, '+00000000+'))).toThrow(/key id/);
  });
});
