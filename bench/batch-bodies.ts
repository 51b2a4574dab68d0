import { benchEvent } from './bench-events.ts';

const marker = '__request__';

/**
 * JSON bodies of `size` events, unique per call: the batch is rendered once with a marker in every
 * id and each call splices in a fresh request number, so generating load costs the client almost nothing.
 */
export function uniqueBatchBodies(size: number, runId: string): () => string {
  const now = new Date();
  const template = JSON.stringify(Array.from({ length: size }, (_, i) => benchEvent(i, new Date(now.getTime() - (size - i) * 1_000), `${runId}-${marker}`)));
  const parts = template.split(marker);
  let request = 0;
  return () => {
    request += 1;
    return parts.join(String(request));
  };
}
