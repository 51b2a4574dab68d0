import { dirname, join, resolve } from 'node:path';
import { createTokenService } from '../access/token-service.ts';
import type { TokenService } from '../access/types.ts';
import type { Clock } from '../lib/clock.ts';
import { createLedger, type StoreLedger } from '../ledger/ledger.ts';
import { loadOrCreateSigningKey } from '../ledger/signing-key-file.ts';
import { openStore, type Store } from '../store/open-store.ts';

export interface Runtime {
  readonly store: Store;
  readonly ledger: StoreLedger;
  readonly tokens: TokenService;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  readonly db: string;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly clock: Clock;
  readonly checkpointEvery?: number;
}

/** The composition root: opens the store and wires the ledger and the services over it. */
export async function openRuntime(options: RuntimeOptions): Promise<Runtime> {
  const store = await openStore(options.db, options.cwd);
  try {
    const signer = loadOrCreateSigningKey(signingKeyFile(options), options.env.STEADYOPS_LEDGER_ORIGIN);
    const ledger = await createLedger({
      store,
      signer,
      clock: options.clock,
      checkpointEvery: options.checkpointEvery ?? numberFromEnv(options.env.STEADYOPS_CHECKPOINT_EVERY, 1_000),
    });
    const tokens = createTokenService({ db: store.db, ledger, clock: options.clock });
    return {
      store,
      ledger,
      tokens,
      async close() {
        await ledger.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/**
 * The checkpoint key sits beside an SQLite database file; for PostgreSQL (or when set) it is
 * STEADYOPS_SIGNING_KEY_FILE, which every replica must share.
 */
export function signingKeyFile({ db, cwd, env }: Pick<RuntimeOptions, 'db' | 'cwd' | 'env'>): string {
  if (env.STEADYOPS_SIGNING_KEY_FILE) return resolve(cwd, env.STEADYOPS_SIGNING_KEY_FILE);
  if (db.startsWith('sqlite:') && !db.includes(':memory:')) {
    return join(dirname(resolve(cwd, db.slice('sqlite:'.length).replace(/^\/\//, ''))), 'ledger-key.json');
  }
  return resolve(cwd, '.steadyops', 'ledger-key.json');
}

export function numberFromEnv(value: string | undefined, fallback: number): number {
  const parsed = value === undefined ? Number.NaN : Number(value);
  return Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
}

/** Opens the runtime, runs `work`, and always closes it. */
export async function withRuntime<T>(options: RuntimeOptions, work: (runtime: Runtime) => Promise<T>): Promise<T> {
  const runtime = await openRuntime(options);
  try {
    return await work(runtime);
  } finally {
    await runtime.close();
  }
}
