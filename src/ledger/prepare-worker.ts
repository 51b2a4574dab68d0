import { parentPort } from 'node:worker_threads';
import { isSteadyopsError } from '../lib/errors.ts';
import { packEvents, prepareEvents } from './prepare-events.ts';
import type { EventToAppend } from './types.ts';

export interface PrepareRequest {
  readonly id: number;
  readonly events: readonly EventToAppend[];
  readonly nowMs: number;
}

/** Worker thread: prepares chunks of events off the thread that holds the database connection. */
parentPort?.on('message', ({ id, events, nowMs }: PrepareRequest) => {
  try {
    const packed = packEvents(prepareEvents(events, new Date(nowMs)));
    parentPort?.postMessage({ id, packed }, [packed.bytes, packed.leaves, packed.ends.buffer as ArrayBuffer, packed.times.buffer as ArrayBuffer]);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    parentPort?.postMessage({ id, error: { detail, code: isSteadyopsError(error) ? error.code : undefined, params: isSteadyopsError(error) ? error.params : undefined } });
  }
});
