import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropPostgresSchema, freshPostgresUrl, postgresAvailable } from './services.ts';

export interface StoreTarget {
  readonly name: 'sqlite' | 'postgres';
  readonly available: boolean;
  /** a new, empty database URL and how to throw it away */
  fresh(): { url: string; cleanup: () => Promise<void> };
}

/** The stores every contract suite runs against: the same tests, both databases. */
export async function storeTargets(): Promise<StoreTarget[]> {
  return [
    {
      name: 'sqlite',
      available: true,
      fresh() {
        const dir = mkdtempSync(join(tmpdir(), 'steadyops-store-'));
        return { url: `sqlite:${join(dir, 'steadyops.db')}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
      },
    },
    {
      name: 'postgres',
      available: await postgresAvailable(),
      fresh() {
        const url = freshPostgresUrl();
        return { url, cleanup: () => dropPostgresSchema(url) };
      },
    },
  ];
}
