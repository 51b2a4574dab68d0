import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.ts';
import type { Clock } from '../../src/lib/clock.ts';

export const binPath = fileURLToPath(new URL('../../bin/steadyops.js', import.meta.url));
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in this process (same code path as the binary, without its start-up cost). */
export async function runCli(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; stdin?: string; clock?: Clock }): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'steadyops', ...args], {
    cwd: options.cwd,
    env: { ...process.env, STEADYOPS_DB: undefined, ...options.env },
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readStdin: async () => options.stdin ?? '',
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return { code, stdout, stderr };
}

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `steadyops serve` as a real process and waits until it prints where it listens. */
export async function startServer(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<ServerProcess> {
  const child = spawn(process.execPath, [binPath, 'serve', '--port', '0', '--quiet', ...args], {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in time:\n${output}`)), options.timeoutMs ?? 60_000);
    const check = (): void => {
      const match = /serving (http:\/\/[^\s]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${output}`));
    });
  });
  return {
    child,
    url,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      // serve cuts off requests 10 s after SIGTERM: one still running well after that is a hang, shown and ended
      const hang = setTimeout(() => {
        process.stderr.write(`steadyops serve did not stop within 20 s of ${signal}: killing it\n${output.slice(-2_000)}\n`);
        child.kill('SIGKILL');
      }, 20_000);
      const code = await exited;
      clearTimeout(hang);
      return code;
    },
  };
}

/** Waits until the server has printed something matching `pattern` (stdout and stderr arrive separately). */
export async function waitForOutput(server: ServerProcess, pattern: RegExp, timeoutMs = 10_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(server.output());
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`server never printed ${pattern}:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
