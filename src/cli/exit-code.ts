import { CommanderError } from 'commander';
import { formatIssue, isSteadyopsError } from '../lib/errors.ts';

export const exitCodes = { ok: 0, no: 1, usage: 2, unreachable: 3, internal: 70 } as const;

export interface ErrorReport {
  readonly exitCode: number;
  readonly message: string;
}

/** The one mapping from errors to what the CLI prints and the code it exits with. */
export function reportError(error: unknown): ErrorReport {
  if (isSteadyopsError(error)) {
    const lines = [`error ${error.code}: ${error.message}`, ...error.issues.map((issue) => `  ${formatIssue(issue)}`)];
    return { exitCode: error.spec.exit, message: `${lines.join('\n')}\n` };
  }
  if (error instanceof CommanderError) {
    // commander has already printed its own message
    return { exitCode: error.exitCode === 0 ? exitCodes.ok : exitCodes.usage, message: '' };
  }
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { exitCode: exitCodes.internal, message: `error SO_E_INTERNAL: ${detail}\n` };
}
