import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildEnvelope, canonicalBytes, eventFromCanonical, type Envelope } from './canonical.ts';
import { hashLeaf } from './merkle.ts';

const envelopeOf = (data: unknown): Envelope => ({
  specversion: '1.0',
  id: 'e-1',
  source: '/test',
  type: 'com.example.thing',
  time: '2026-11-26T08:00:00.000Z',
  actor: 'cli:test',
  data,
});

describe('canonicalBytes', () => {
  it('is byte for byte the RFC 8785 reference implementation for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.dictionary(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' })), (data, extra) => {
        const envelope = { ...envelopeOf(data), extra };
        let reference: string | undefined;
        try {
          reference = canonicalize(envelope);
        } catch {
          reference = undefined;
        }
        if (reference === undefined) expect(() => canonicalBytes(envelope)).toThrow(/lone UTF-16 surrogate/);
        else expect(canonicalBytes(envelope).toString('utf8')).toBe(reference);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['sorts keys by UTF-16 code units', { b: 1, a: 2, A: 3, é: 4, '\u{1F600}': 5, '\uFB33': 6 }],
    ['prints numbers as ECMAScript does', [1e21, 1e-7, -0, 0.1, 100, 333333333.33333329, 5e-324]],
    ['escapes control characters and keeps non-ASCII', 'tab\tquote"back\\slash\u0001é\u{1F600}'],
  ])('%s', (_name, data) => {
    expect(canonicalBytes(envelopeOf(data)).toString('utf8')).toBe(canonicalize(envelopeOf(data)));
  });

  it('rejects lone surrogates but not a literal backslash-u text', () => {
    expect(() => canonicalBytes(envelopeOf('\ud800'))).toThrow(/lone UTF-16 surrogate/);
    expect(() => canonicalBytes(envelopeOf('x\\\ud83d'))).toThrow(/lone UTF-16 surrogate/);
    expect(canonicalBytes(envelopeOf('\\ud800 is text')).toString()).toContain('"\\\\ud800 is text"');
  });

  it('round-trips an event through its stored bytes', () => {
    const envelope = buildEnvelope(
      { specversion: '1.0', id: 'x', source: '/s', type: 't', subject: 'svc', data: { v: 1 }, extensions: { environment: 'prod' } },
      'token:ci',
      new Date('2026-11-26T08:00:00Z'),
    );
    const bytes = canonicalBytes(envelope);
    const event = eventFromCanonical(bytes, { seq: 7, environment: 'prod', ingestedMs: 0, leafHash: hashLeaf(bytes) });
    expect(event).toMatchObject({ seq: 7, id: 'x', subject: 'svc', time: '2026-11-26T08:00:00.000Z', actor: 'token:ci', extensions: { environment: 'prod' }, data: { v: 1 } });
  });
});
