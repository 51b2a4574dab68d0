import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const cliPath = fileURLToPath(new URL('../bin/steadyops.js', import.meta.url));

/** The environment for a child steadyops: none of the caller's STEADYOPS_* settings leak in. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('STEADYOPS_')));
  return { ...env, ...extra };
}

/** Runs `steadyops ARGS` to completion (bounded by `timeoutMs`); resolves with stdout and the exit code. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv, cwd: string, timeoutMs = 300_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [cliPath, ...args], { env, cwd, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(new Error(`steadyops ${args.join(' ')}: ${error.message}\n${stderr}`));
      else resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

export async function createOperatorToken(db: string, env: NodeJS.ProcessEnv, cwd: string): Promise<string> {
  const created = await runCli(['token', 'create', '--name', 'bench', '--role', 'operator', '--format', 'json', '--db', db], env, cwd, 60_000);
  if (created.code !== 0) throw new Error(`token create exited ${created.code}: ${created.stderr}`);
  return (JSON.parse(created.stdout) as { token: string }).token;
}

export interface ServeProcess {
  readonly address: string;
  readonly pid: number;
  /** kB values from /proc/<pid>/status */
  memory(): { rssKb: number; hwmKb: number };
  stop(): Promise<void>;
}

/** Starts `steadyops serve --port 0 --quiet` and resolves once it prints `serving http://...`. */
export function startServe(env: NodeJS.ProcessEnv, cwd: string, timeoutMs = 60_000): Promise<ServeProcess> {
  const child = spawn(process.execPath, [cliPath, 'serve', '--port', '0', '--quiet'], { env, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not start within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before serving: ${stderr}`));
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      stderr += text;
      const address = /serving (http:\/\/\S+)/.exec(stderr)?.[1];
      if (address === undefined || child.pid === undefined) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve(serveProcess(child, child.pid, address));
    });
  });
}

function serveProcess(child: ChildProcess, pid: number, address: string): ServeProcess {
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    address,
    pid,
    memory() {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
      return { rssKb: field('VmRSS'), hwmKb: field('VmHWM') };
    },
    async stop() {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(killer);
    },
  };
}
