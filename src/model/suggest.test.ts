import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closestMatch, didYouMean, editDistance, listSome } from './suggest.ts';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['owner', 'owner', 0],
    ['ownr', 'owner', 1],
    ['paymnets', 'payments', 2],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
  ])('%s -> %s is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });

  it('is a metric: zero on equal strings, symmetric, triangle inequality', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b, c) => {
        expect(editDistance(a, a)).toBe(0);
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, c)).toBeLessThanOrEqual(editDistance(a, b) + editDistance(b, c));
        expect(editDistance(a, b)).toBeLessThanOrEqual(Math.max(a.length, b.length));
      }),
    );
  });
});

describe('suggestions', () => {
  it('suggests only plausible typos', () => {
    expect(closestMatch('paymnets', ['platform', 'payments'])).toBe('payments');
    expect(closestMatch('zzz', ['platform', 'payments'])).toBeUndefined();
    expect(didYouMean('Servce', ['Team', 'Service'])).toBe(' (did you mean "Service"?)');
    expect(didYouMean('x', [])).toBe('');
  });

  it('shortens long lists', () => {
    expect(listSome([])).toBe('(none defined)');
    expect(listSome(['a', 'b', 'c'], 2)).toBe('a, b and 1 more');
  });
});
