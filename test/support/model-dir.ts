import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** Documents of a model, each `{ kind, name, spec }`, written as one file under DIR/.steadyops; returns that folder. */
export function writeModelDir(dir: string, documents: ReadonlyArray<{ kind: string; name: string; spec: Record<string, unknown> }>): string {
  const folder = join(dir, '.steadyops');
  mkdirSync(folder, { recursive: true });
  const yaml = documents
    .map(({ kind, name, spec }) => stringify({ apiVersion: 'steadyops.dev/v1', kind, metadata: { name }, spec }, { lineWidth: 0 }))
    .join('---\n');
  writeFileSync(join(folder, 'model.yaml'), yaml);
  return folder;
}

/** The smallest team a model's services can be owned by. */
export const testTeam = {
  kind: 'Team',
  name: 'payments',
  spec: { timezone: 'Europe/Lisbon', members: [{ name: 'Ana Lima', email: 'ana.lima@example.com' }] },
} as const;
