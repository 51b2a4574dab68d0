import { existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TokenService } from '../access/types.ts';
import type { Ledger } from '../ledger/types.ts';
import { generateDemoEvents } from '../../examples/demo/generate-events.ts';

export const demoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../examples/demo');
export const demoModelPath = join(demoRoot, '.steadyops');
export const demoDatabaseUrl = 'sqlite:.steadyops/demo/steadyops.db';

/** How stale the demo ledger may get before a start rebuilds it, so "the last 30 minutes" stays live. */
const demoFreshnessMs = 60 * 60_000;

/**
 * The demo ledger is a throwaway: when its newest event is older than an hour it is deleted (with its
 * signing key) and generated again for the current time.
 */
export async function demoNeedsReset(ledger: Ledger, now: Date): Promise<boolean> {
  const [newest] = await ledger.query({ limit: 1 });
  return newest !== undefined && now.getTime() - Date.parse(newest.time) > demoFreshnessMs;
}

export function deleteDemoDatabase(cwd: string): void {
  const dir = resolve(cwd, dirname(demoDatabaseUrl.slice('sqlite:'.length)));
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
}

export interface DemoSeedProgress {
  (appended: number, total: number): void;
}

/** Fills an empty ledger with Northwind Pay's last 14 days. */
export async function seedDemoLedger(ledger: Ledger, now: Date, onProgress?: DemoSeedProgress): Promise<number> {
  if ((await ledger.size()) > 0) return 0;
  const events = generateDemoEvents({ now, days: 14 });
  for (let at = 0; at < events.length; at += 1_000) {
    await ledger.append(events.slice(at, at + 1_000));
    onProgress?.(Math.min(at + 1_000, events.length), events.length);
  }
  await ledger.cutCheckpoint();
  return events.length;
}

/** One admin token for the demo, shown at every start (kept beside the demo database, which is throwaway). */
export async function demoAdminToken(tokens: TokenService, cwd: string): Promise<string> {
  const file = resolve(cwd, dirname(demoDatabaseUrl.slice('sqlite:'.length)), 'admin-token');
  const { mkdir, readFile, writeFile } = await import('node:fs/promises');
  if (existsSync(file)) {
    const saved = (await readFile(file, 'utf8')).trim();
    if (await tokens.authenticate(saved)) return saved;
  }
  const { token } = await tokens.create({ name: 'demo-admin', role: 'admin', createdBy: 'system:demo' });
  // with an explicit --db the demo folder may not exist yet
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return token;
}
