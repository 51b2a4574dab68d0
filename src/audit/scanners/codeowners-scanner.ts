import { parseCodeowners } from '../../model/init/codeowners.ts';
import type { CodeownersFact } from '../facts.ts';

/** Where GitHub looks for CODEOWNERS, in its order: the first one found is the one in force. */
export const codeownersPaths = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] as const;

export function isCodeownersFile(path: string): boolean {
  return (codeownersPaths as readonly string[]).includes(path);
}

/** `pattern owner...` lines, read as `steadyops init` reads them; a pattern without owners is kept (it clears ownership). */
export function scanCodeowners(file: string, text: string): CodeownersFact {
  return { file, entries: parseCodeowners(text).map(({ line, pattern, owners }) => ({ line, pattern, owners })) };
}
