import type { Worker } from 'node:worker_threads';
import { spawnTsWorker } from '../lib/ts-worker.ts';
import { SteadyopsError, isErrorCode, type ErrorParams } from '../lib/errors.ts';
import { prepareEvents, unpackEvents, type PackedEvents, type PreparedEvent } from './prepare-events.ts';
import type { PrepareRequest } from './prepare-worker.ts';
import type { EventToAppend } from './types.ts';

/**
 * Prepares events (canonical bytes, leaf hashes) for an append. Large appends are cut into chunks
 * prepared on a worker thread, so the thread that holds the database connection inserts chunk k
 * while the worker canonicalises and hashes chunk k+1: on a machine with two cores an append costs
 * about the database's time, not the database's plus the hashing's.
 */
export interface EventPreparer {
  /** one promise per chunk, in order */
  prepare(events: readonly EventToAppend[], now: Date): Array<Promise<PreparedEvent[]>>;
  close(): Promise<void>;
}

export interface EventPreparerOptions {
  /** appends smaller than this are prepared inline: a worker round trip costs more than it saves */
  readonly minEventsForWorker?: number;
  readonly chunkSize?: number;
}

interface WorkerReply {
  readonly id: number;
  readonly packed?: PackedEvents;
  readonly error?: { detail: string; code?: string; params?: ErrorParams };
}

const workerEntry = new URL('./prepare-worker.ts', import.meta.url);

export function createEventPreparer(options: EventPreparerOptions = {}): EventPreparer {
  const minEventsForWorker = options.minEventsForWorker ?? 256;
  const chunkSize = options.chunkSize ?? 200;
  let worker: Worker | undefined;
  let nextId = 0;
  const waiting = new Map<number, { resolve: (prepared: PreparedEvent[]) => void; reject: (error: unknown) => void }>();

  function failAll(error: unknown): void {
    for (const pending of waiting.values()) pending.reject(error);
    waiting.clear();
    worker = undefined;
  }

  function start(): Worker {
    const started = spawnTsWorker(workerEntry);
    started.on('message', ({ id, packed, error }: WorkerReply) => {
      const pending = waiting.get(id);
      if (!pending) return;
      waiting.delete(id);
      if (waiting.size === 0) started.unref();
      if (packed) pending.resolve(unpackEvents(packed));
      else pending.reject(toError(error));
    });
    started.on('error', failAll);
    started.on('exit', (code) => {
      if (waiting.size > 0) failAll(new Error(`the event preparation worker exited with ${code}`));
      if (worker === started) worker = undefined;
    });
    return started;
  }

  return {
    prepare(events, now) {
      if (events.length < minEventsForWorker) {
        try {
          return [Promise.resolve(prepareEvents(events, now))];
        } catch (error) {
          return [Promise.reject(error)];
        }
      }
      worker ??= start();
      // the worker keeps the process alive only while an append waits on it
      worker.ref();
      const chunks: Array<Promise<PreparedEvent[]>> = [];
      // a small first chunk: the inserting thread waits only for it, then the worker stays ahead
      for (let at = 0, size = Math.min(chunkSize, 50); at < events.length; at += size, size = Math.min(chunkSize, size * 2)) {
        const id = (nextId += 1);
        const request: PrepareRequest = { id, events: events.slice(at, at + size), nowMs: now.getTime() };
        const chunk = new Promise<PreparedEvent[]>((resolve, reject) => waiting.set(id, { resolve, reject }));
        // a failed chunk is reported where it is awaited; a later chunk's failure after that must not crash the process
        chunk.catch(() => undefined);
        chunks.push(chunk);
        worker.postMessage(request);
      }
      return chunks;
    },
    async close() {
      const running = worker;
      worker = undefined;
      if (running) await running.terminate();
    },
  };
}

function toError(error: WorkerReply['error']): Error {
  if (error?.code && isErrorCode(error.code)) return new SteadyopsError(error.code, error.params ?? {});
  return new Error(error?.detail ?? 'event preparation failed');
}

