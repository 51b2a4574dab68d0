import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditWarning } from '../facts.ts';
import { readTextFile } from './read-text-file.ts';
import { walkFiles } from './walk-files.ts';

let root: string;

beforeAll(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), 'steadyops-walk-')));
  const files = ['b.yaml', 'a/c.yaml', '.github/workflows/ci.yml', '.steadyops/teams.yaml', '.idea/workspace.yaml', 'node_modules/x/d.yaml', 'vendor/v.yaml', 'dist/e.yaml', 'build/ci.yaml', 'logo.PNG', 'a/.env'];
  for (const file of files) {
    await mkdir(join(root, file, '..'), { recursive: true });
    await writeFile(join(root, file), 'x: 1\n');
  }
  await symlink('..', join(root, 'a', 'up'));
  await symlink(tmpdir(), join(root, 'outside'));
  await symlink('nowhere', join(root, 'dangling'));
  await symlink('b.yaml', join(root, 'b-link.yaml'));
  await symlink('self', join(root, 'self'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('walkFiles', () => {
  it('lists regular files in path order, without tool state, dependencies, build output or binary-named files', () => {
    const warnings: AuditWarning[] = [];
    const files = walkFiles(root, (location, message) => warnings.push({ location, message }));
    expect(files.map((file) => file.path)).toEqual(['.github/workflows/ci.yml', '.steadyops/teams.yaml', 'a/.env', 'a/c.yaml', 'b.yaml', 'build/ci.yaml']);
    expect(files[0]?.absolute).toBe(join(root, '.github/workflows/ci.yml'));
    expect(warnings).toEqual([
      { location: { file: 'a/up' }, message: 'symlink loop: it points at its own ancestor .; not followed' },
      { location: { file: 'dangling' }, message: 'broken symlink (ENOENT); not followed' },
      { location: { file: 'outside' }, message: 'symlink points outside the repository; not followed' },
      { location: { file: 'self' }, message: 'symlink loop: the link resolves to itself; not followed' },
    ]);
  });
});

describe('readTextFile', () => {
  it('reads text, and says why it skips a file that is too large, binary or unreadable', async () => {
    await writeFile(join(root, 'text.txt'), 'héllo\n');
    await writeFile(join(root, 'large.txt'), 'x'.repeat(2_048));
    await writeFile(join(root, 'nul.yaml'), Buffer.from([0x61, 0x00, 0x62]));
    expect(readTextFile(join(root, 'text.txt'), 1_024)).toEqual({ text: 'héllo\n' });
    expect(readTextFile(join(root, 'large.txt'), 1_024)).toEqual({ skipped: 'larger than 1 KB (2 KB); not scanned' });
    expect(readTextFile(join(root, 'nul.yaml'), 1_024)).toEqual({ skipped: 'binary file (a NUL byte in its first 8 KB); not scanned' });
    expect(readTextFile(join(root, 'a'), 1_000_000)).toEqual({ skipped: 'could not read the file: EISDIR' });
    expect(readTextFile(join(root, 'missing'), 1_024)).toEqual({ skipped: 'could not read the file: ENOENT' });
  });
});
