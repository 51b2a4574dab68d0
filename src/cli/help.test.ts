import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../../test/support/cli.ts';
import { systemClock } from '../lib/clock.ts';
import type { CliContext } from './context.ts';
import { buildProgram } from './main.ts';

/** Every command's path through the tree (`incident update`), groups included. */
function commandPaths(command: Command, prefix: readonly string[] = []): string[][] {
  return command.commands.flatMap((child) => {
    const path = [...prefix, child.name()];
    return [path, ...commandPaths(child, path)];
  });
}

const ctx = {
  stdout: () => {},
  stderr: () => {},
  cwd: repoRoot,
  env: {},
  clock: systemClock,
  setExitCode: () => {},
  globals: () => ({ db: 'sqlite::memory:', dbIsDefault: true, color: false }),
} as unknown as CliContext;
const paths = commandPaths(buildProgram(ctx, async () => ''));
/** groups whose sub-commands carry the examples */
const groups = new Set(paths.filter((path) => paths.some((other) => other.length > path.length && path.every((part, index) => other[index] === part))).map((path) => path.join(' ')));

describe('--help', () => {
  it('covers the whole command tree', () => {
    expect(paths.length).toBeGreaterThan(40);
    expect(paths.map((path) => path.join(' '))).toEqual(expect.arrayContaining(['incident update', 'followups add', 'metrics', 'alerts', 'runbook lint']));
  });

  it.each(paths.filter((path) => !groups.has(path.join(' '))).map((path) => [path.join(' ')]))('of "%s" shows examples', async (command) => {
    const result = await runCli([...command.split(' '), '--help'], { cwd: repoRoot });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('\nExamples:\n');
    expect(result.stdout.slice(result.stdout.indexOf('\nExamples:\n'))).toMatch(/^\s+\$ steadyops \S/m);
  });
});
