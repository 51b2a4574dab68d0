import { readFileSync, statSync } from 'node:fs';

export type ReadOutcome = { readonly text: string } | { readonly skipped: string };

const binaryProbeBytes = 8 * 1024;

/**
 * A file's text, or why it is not scanned: too large, binary (a NUL byte in its first 8 KB) or
 * unreadable. Reads synchronously: files are small, and parsing them is what takes the time.
 */
export function readTextFile(absolute: string, maxFileBytes: number): ReadOutcome {
  try {
    const { size } = statSync(absolute);
    if (size > maxFileBytes) return { skipped: `larger than ${formatBytes(maxFileBytes)} (${formatBytes(size)}); not scanned` };
    const bytes = readFileSync(absolute);
    if (bytes.subarray(0, binaryProbeBytes).includes(0)) return { skipped: 'binary file (a NUL byte in its first 8 KB); not scanned' };
    return { text: bytes.toString('utf8') };
  } catch (error) {
    return { skipped: `could not read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KB`;
  return `${bytes} bytes`;
}
