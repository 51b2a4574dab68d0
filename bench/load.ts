import autocannon from 'autocannon';

export interface LoadOptions {
  readonly url: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: () => string;
  readonly connections: number;
  readonly seconds: number;
}

export interface LoadResult {
  readonly ok: number;
  readonly failed: number;
  readonly seconds: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
}

/** Drives POSTs with autocannon, each request carrying a fresh body; counts 2xx answers. */
export async function postLoad(options: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    requests: [{ method: 'POST', path: options.path, setupRequest: (request) => ({ ...request, body: options.body() }) }],
  });
  return {
    ok: result['2xx'],
    failed: result.non2xx + result.errors + result.timeouts,
    seconds: result.duration,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
  };
}
