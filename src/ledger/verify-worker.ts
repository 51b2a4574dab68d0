import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../store/open-store.ts';
import { checkLeaves, type LeafRange } from './check-leaves.ts';

export interface VerifyWorkerData {
  readonly url: string;
  readonly cwd: string;
}

export interface VerifyWorkerRequest extends LeafRange {
  readonly id: number;
}

/** Worker thread: checks ranges of the log on its own database connection. */
const { url, cwd } = workerData as VerifyWorkerData;
const store = await openStore(url, cwd, { migrate: false });
parentPort?.on('message', (request: VerifyWorkerRequest | 'close') => {
  if (request === 'close') {
    void store.close().then(() => parentPort?.close());
    return;
  }
  checkLeaves(store.db, store.dialect, request).then(
    (checked) => {
      const leaves = new Uint8Array(checked.leaves).buffer;
      parentPort?.postMessage({ id: request.id, leaves, count: checked.count, failure: checked.failure }, [leaves]);
    },
    (error: unknown) => parentPort?.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
parentPort?.postMessage('ready');
