import type { Clock } from '../lib/clock.ts';

export interface GlobalOptions {
  config?: string;
  db: string;
  /** true when --db / STEADYOPS_DB were not given */
  dbIsDefault?: boolean;
  server?: string;
  token?: string;
  format?: string;
  color: boolean;
}

/** What every command needs from the outside world; tests pass a fake. */
export interface CliContext {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  clock: Clock;
  globals(): GlobalOptions;
  setExitCode(code: number): void;
}
