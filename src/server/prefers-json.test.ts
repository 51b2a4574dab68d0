import { describe, expect, it } from 'vitest';
import { prefersJson } from './prefers-json.ts';

describe('prefersJson', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['*/*', false],
    ['text/plain', false],
    ['application/json', true],
    ['Application/JSON', true],
    ['application/json, text/plain', false],
    ['text/plain;q=0.4, application/json', true],
    ['application/json;q=0.8, text/plain;q=0.9', false],
    ['application/json;q=0', false],
    ['text/html, application/json;q=0.1', true],
  ])('%j -> %s', (accept, expected) => {
    expect(prefersJson(accept)).toBe(expected);
  });
});
