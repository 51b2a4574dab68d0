import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { openRuntime } from '../src/cli/runtime.ts';
import { importGitHistory } from '../src/connectors/git/import-git-history.ts';
import { commitFormat } from '../src/connectors/git/parse-git-records.ts';
import { systemClock } from '../src/lib/clock.ts';
import type { BenchContext } from './bench-context.ts';
import type { Figure } from './figure.ts';
import { timed } from './measure.ts';
import { progress } from './progress.ts';
import { withTempDir } from './temp-dir.ts';

/** `steadyops import git` of a generated repository beside `git log` of the same commits in the same format. */
export async function gitImport(ctx: BenchContext): Promise<Figure[]> {
  const commits = ctx.quick ? 2_000 : 50_000;
  return withTempDir('git-import', async (dir) => {
    const repo = join(dir, 'repo');
    const { ms: generateMs } = await timed(() => generateRepository(repo, commits));
    progress(`git import: generated ${commits} commits in ${(generateMs / 1_000).toFixed(1)}s`);
    const { result: logBytes, ms: logMs } = await timed(() => gitLog(repo));
    const runtime = await openRuntime({ db: `sqlite:${join(dir, 'steadyops.db')}`, cwd: dir, env: {}, clock: systemClock });
    try {
      const { result: summary, ms: importMs } = await timed(() => importGitHistory(runtime.ledger, { repo, service: 'bench', resolve: () => undefined }));
      const size = await runtime.ledger.size();
      if (summary.commits !== commits || size !== commits) {
        throw new Error(`imported ${summary.commits} commits (ledger ${size}), expected ${commits}`);
      }
      progress(`  git log: ${(logMs / 1_000).toFixed(2)}s (${logBytes} bytes); import: ${(importMs / 1_000).toFixed(2)}s`);
      return [
        {
          name: `git import of ${commits} commits`,
          value: importMs / 1_000,
          unit: 's',
          baseline: { value: logMs / 1_000, unit: 's' },
          ratio: logMs / importMs,
          target: { kind: 'max-value', value: ctx.quick ? 10 : 60, unit: 's' },
          details: { commits, commitsPerSecond: Math.round(commits / (importMs / 1_000)), gitLogBytes: logBytes },
        },
      ];
    } finally {
      await runtime.close();
    }
  });
}

/** Linear history on main, one file changed per commit, written by `git fast-import` in one stream. */
async function generateRepository(repo: string, commits: number): Promise<void> {
  await run('git', ['init', '--quiet', '--initial-branch=main', repo]);
  const child = spawn('git', ['-C', repo, 'fast-import', '--quiet'], { stdio: ['pipe', 'ignore', 'inherit'] });
  const exited = once(child, 'close');
  const start = 1_700_000_000;
  for (let i = 1; i <= commits; i += 1) {
    const when = `${start + i * 60} +0000`;
    const message = `change ${i}: adjust retry budget\n`;
    const content = `value ${i}\n`;
    const chunk =
      `commit refs/heads/main\nmark :${i}\n` +
      `author Ada Lovelace <ada@example.com> ${when}\ncommitter Ada Lovelace <ada@example.com> ${when}\n` +
      `data ${Buffer.byteLength(message)}\n${message}` +
      (i > 1 ? `from :${i - 1}\n` : '') +
      `M 644 inline src/module-${i % 200}.txt\ndata ${Buffer.byteLength(content)}\n${content}\n`;
    if (!child.stdin.write(chunk)) await once(child.stdin, 'drain');
  }
  child.stdin.end();
  const [code] = (await exited) as [number | null];
  if (code !== 0) throw new Error(`git fast-import exited with ${code}`);
}

async function gitLog(repo: string): Promise<number> {
  const child = spawn('git', ['-C', repo, 'log', '--first-parent', '--reverse', commitFormat, 'main', '--'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let bytes = 0;
  for await (const chunk of child.stdout) bytes += (chunk as Buffer).length;
  const [code] = (child.exitCode === null ? await once(child, 'close') : [child.exitCode]) as [number | null];
  if (code !== 0) throw new Error(`git log exited with ${code}`);
  return bytes;
}

async function run(command: string, args: readonly string[]): Promise<void> {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${code}`);
}
