import { describe, expect, it } from 'vitest';
import { spinnerTerminal } from './terminal-spinner.ts';

const stream = (isTTY: boolean, columns: number | undefined) => ({ isTTY, columns }) as unknown as NodeJS.WriteStream;

describe('spinnerTerminal', () => {
  it.each([
    ['a terminal 80 columns wide', stream(true, 80), true],
    ['a pseudo-terminal 0 columns wide (nanospinner would redraw forever)', stream(true, 0), false],
    ['a terminal that reports no width', stream(true, undefined), false],
    ['a pipe or a CI log', stream(false, 80), false],
  ])('%s', (_name, target, expected) => {
    expect(spinnerTerminal(target)).toBe(expected);
  });
});
