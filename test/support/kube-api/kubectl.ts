import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { reportMissingService } from '../services.ts';

const run = promisify(execFile);

export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real kubectl against a kubeconfig, always under a timeout; never throws on a non-zero exit. */
export async function kubectl(kubeconfigPath: string, args: readonly string[], input?: { readonly cacheDir: string }): Promise<KubectlResult> {
  const cacheArgs = input ? ['--cache-dir', input.cacheDir] : [];
  try {
    const { stdout, stderr } = await run('kubectl', ['--kubeconfig', kubeconfigPath, ...cacheArgs, ...args], { timeout: 30_000, killSignal: 'SIGKILL' });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number | string; stdout?: string; stderr?: string; killed?: boolean };
    return { code: typeof failure.code === 'number' ? failure.code : -1, stdout: failure.stdout ?? '', stderr: `${failure.stderr ?? ''}${failure.killed ? ' (killed by timeout)' : ''}` };
  }
}

/** true when kubectl runs here; otherwise reports the missing tool (a failure under CI=true). */
export async function kubectlAvailable(): Promise<boolean> {
  try {
    await run('kubectl', ['version', '--client'], { timeout: 10_000 });
    return true;
  } catch (error) {
    reportMissingService('kubectl', (error as Error).message);
    return false;
  }
}
