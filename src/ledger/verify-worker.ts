import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../store/open-store.ts';
import { checkRange, type RangeTask } from './check-range.ts';

export interface VerifyWorkerData {
  readonly url: string;
  readonly cwd: string;
}

export interface VerifyWorkerRequest extends RangeTask {
  readonly id: number;
}

/** Worker thread: checks ranges of the log on its own database connection. */
const { url, cwd } = workerData as VerifyWorkerData;
const store = await openStore(url, cwd, { migrate: false });
parentPort?.on('message', (request: VerifyWorkerRequest) => {
  checkRange(store.db, store.dialect, request).then(
    (summary) => parentPort?.postMessage({ id: request.id, summary }),
    (error: unknown) => parentPort?.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) }),
  );
});
parentPort?.postMessage('ready');
