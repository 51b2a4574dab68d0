import { generateSigningKey, createNoteSigner } from '../src/ledger/signed-note.ts';
import { createLedger, type StoreLedger } from '../src/ledger/ledger.ts';
import { systemClock } from '../src/lib/clock.ts';
import { openStore, type Store } from '../src/store/open-store.ts';

/** A ledger on a fresh store with a throwaway signing key, as the product wires it. */
export async function openBenchLedger(url: string, cwd: string): Promise<{ store: Store; ledger: StoreLedger }> {
  const store = await openStore(url, cwd);
  const key = generateSigningKey();
  const ledger = await createLedger({ store, signer: createNoteSigner('bench.steadyops.local/ledger', key.privateKeyPem), clock: systemClock });
  return { store, ledger };
}
