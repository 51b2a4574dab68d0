import type { Send } from './create-notifier.ts';

/** How long one try may take before it counts as failed. */
export const sendTimeoutMs = 10_000;

/** The real `Send`: a JSON POST with fetch, cut off after `sendTimeoutMs`. */
export const fetchSend: Send = async (url, init) => {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(sendTimeoutMs) });
  // read the answer so the connection is released
  await response.arrayBuffer().catch(() => undefined);
  return { ok: response.ok, status: response.status };
};
