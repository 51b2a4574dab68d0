import type { Worker } from 'node:worker_threads';
import { spawnTsWorker } from '../lib/ts-worker.ts';
import type { RangeSummary, RangeTask } from './check-range.ts';
import type { VerifyWorkerData, VerifyWorkerRequest } from './verify-worker.ts';

/**
 * Worker threads that check ranges of the log on their own database connections. They start in
 * the background; until one is ready (and whenever all are busy) the caller checks ranges itself,
 * so starting them never delays a verification.
 */
export interface RangeCheckers {
  /** hands the range to a ready worker with room for it, or returns undefined */
  tryCheck(task: RangeTask): Promise<RangeSummary> | undefined;
  close(): Promise<void>;
}

interface Reply {
  readonly id: number;
  readonly summary?: RangeSummary;
  readonly error?: string;
}

interface Slot {
  readonly worker: Worker;
  ready: boolean;
  inFlight: number;
}

const entry = new URL('./verify-worker.ts', import.meta.url);
const perWorker = 2;

export function startRangeCheckers(data: VerifyWorkerData, threads: number): RangeCheckers {
  const waiting = new Map<number, { slot: Slot; resolve: (summary: RangeSummary) => void; reject: (error: unknown) => void }>();
  let nextId = 0;
  const slots: Slot[] = Array.from({ length: threads }, () => {
    const slot: Slot = { worker: spawnTsWorker(entry, data), ready: false, inFlight: 0 };
    slot.worker.on('message', (message: Reply | 'ready') => {
      if (message === 'ready') {
        slot.ready = true;
        return;
      }
      const pending = waiting.get(message.id);
      if (!pending) return;
      waiting.delete(message.id);
      slot.inFlight -= 1;
      if (message.summary) pending.resolve(message.summary);
      else pending.reject(new Error(message.error ?? 'range check failed'));
    });
    slot.worker.on('error', (error) => {
      slot.ready = false;
      for (const [id, pending] of waiting) {
        if (pending.slot !== slot) continue;
        waiting.delete(id);
        pending.reject(error);
      }
    });
    return slot;
  });
  return {
    tryCheck(task) {
      const slot = slots.filter((candidate) => candidate.ready && candidate.inFlight < perWorker).sort((a, b) => a.inFlight - b.inFlight)[0];
      if (!slot) return undefined;
      const id = (nextId += 1);
      slot.inFlight += 1;
      const result = new Promise<RangeSummary>((resolve, reject) => waiting.set(id, { slot, resolve, reject }));
      result.catch(() => undefined);
      const request: VerifyWorkerRequest = { id, ...task };
      slot.worker.postMessage(request);
      return result;
    },
    async close() {
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
    },
  };
}
