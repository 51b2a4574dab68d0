import { createSpinner, type Spinner } from 'nanospinner';

/**
 * Whether stderr is a terminal a spinner can draw on. nanospinner redraws forever on a
 * pseudo-terminal 0 columns wide (e.g. under `script`), so that counts as no terminal.
 */
export function spinnerTerminal(stream: NodeJS.WriteStream = process.stderr): boolean {
  return Boolean(stream.isTTY && (stream.columns ?? 0) > 0);
}

/** A started spinner on stderr, or undefined where one cannot be drawn (CI logs, pipes). */
export function startSpinner(text: string): Spinner | undefined {
  return spinnerTerminal() ? createSpinner(text, { stream: process.stderr }).start() : undefined;
}
