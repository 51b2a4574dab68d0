import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { SteadyopsError } from '../lib/errors.ts';
import { createNoteSigner, generateSigningKey, type NoteSigner } from './signed-note.ts';

const keyFileSchema = z.object({
  origin: z.string().regex(/^[^\s+]+$/, 'an origin has no spaces or "+"'),
  privateKeyPem: z.string().startsWith('-----BEGIN PRIVATE KEY-----'),
});

/**
 * The checkpoint signing key lives in a file beside (never inside) the database it protects:
 * someone who can rewrite the database still cannot sign a checkpoint for the rewrite.
 * Created on first start; replicas sharing one PostgreSQL must share this file.
 */
export function loadOrCreateSigningKey(file: string, originHint?: string): NoteSigner {
  if (!existsSync(file)) {
    const origin = originHint ?? `steadyops.local/${randomBytes(4).toString('hex')}`;
    const key = generateSigningKey();
    mkdirSync(dirname(file), { recursive: true });
    try {
      writeFileSync(file, `${JSON.stringify({ origin, privateKeyPem: key.privateKeyPem }, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      // another process created it first: use theirs
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  const parsed = keyFileSchema.safeParse(safeJson(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new SteadyopsError('SO_E_INPUT_INVALID', {
      detail: `${file} is not a steadyops signing key file: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
    });
  }
  return createNoteSigner(parsed.data.origin, parsed.data.privateKeyPem);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
