import { SteadyopsError } from '../../lib/errors.ts';

/** One series of an instant query result; a scalar result is one sample without labels. */
export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** An alert as Prometheus' own rule evaluation sees it (GET /api/v1/alerts). */
export interface PrometheusAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly state: 'pending' | 'firing' | 'inactive';
  readonly activeAt?: string;
  readonly value?: string;
}

export interface PrometheusClient {
  readonly url: string;
  /** an instant query at `at` (default: Prometheus' now) */
  query(expr: string, at?: Date): Promise<Sample[]>;
  /** several instant queries sent at once, answered in the order asked; fails if any fails */
  queryAll(exprs: readonly string[], at?: Date): Promise<Sample[][]>;
  alerts(): Promise<PrometheusAlert[]>;
  /** a range query (query_range): one series per label set, samples every `stepMs` from `start` to `end` */
  queryRange(expr: string, range: RangeWindow): Promise<RangeSeries[]>;
}

export interface RangeWindow {
  readonly start: Date;
  readonly end: Date;
  readonly stepMs: number;
}

/** One series of a range query: its samples as [unix seconds, value]. */
export interface RangeSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly values: ReadonlyArray<readonly [number, number]>;
}

export interface PrometheusClientOptions {
  readonly url: string;
  /** per request, default 10 s */
  readonly timeoutMs?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** for tests and proxies; the global fetch otherwise */
  readonly fetch?: typeof fetch;
}

interface ApiResponse<T> {
  status: 'success' | 'error';
  data?: T;
  errorType?: string;
  error?: string;
}

type QueryData =
  | { resultType: 'vector'; result: { metric: Record<string, string>; value: [number, string] }[] }
  | { resultType: 'scalar'; result: [number, string] }
  | { resultType: 'matrix' | 'string'; result: unknown };

/**
 * Prometheus' HTTP API (v1). An unreachable server, a timeout or a non-JSON answer is
 * SO_E_UNREACHABLE (exit 3), so callers apply their onError rule; a query Prometheus rejects
 * (bad PromQL) is SO_E_INPUT_INVALID, a mistake in the model rather than an outage.
 */
export function createPrometheusClient(options: PrometheusClientOptions): PrometheusClient {
  const base = options.url.replace(/\/+$/, '');
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function call<T>(path: string, body?: URLSearchParams): Promise<T> {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method: body ? 'POST' : 'GET',
        headers: { accept: 'application/json', ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...options.headers },
        ...(body ? { body: body.toString() } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new SteadyopsError('SO_E_UNREACHABLE', { target: `Prometheus at ${base}`, detail: causeOf(error) });
    }
    const text = await response.text();
    let parsed: ApiResponse<T>;
    try {
      parsed = JSON.parse(text) as ApiResponse<T>;
    } catch {
      throw new SteadyopsError('SO_E_UNREACHABLE', { target: `Prometheus at ${base}`, detail: `HTTP ${response.status}, not a Prometheus API answer: ${text.slice(0, 200)}` });
    }
    if (parsed.status === 'success' && parsed.data !== undefined) return parsed.data;
    if (parsed.errorType === 'bad_data') {
      throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `Prometheus at ${base} rejected the query: ${parsed.error ?? 'bad data'}` });
    }
    throw new SteadyopsError('SO_E_UNREACHABLE', {
      target: `Prometheus at ${base}`,
      detail: `HTTP ${response.status} ${parsed.errorType ?? ''}: ${parsed.error ?? 'no data'}`.trim(),
    });
  }

  async function query(expr: string, at?: Date): Promise<Sample[]> {
    const params = new URLSearchParams({ query: expr });
    if (at) params.set('time', seconds(at));
    return samplesOf(await call<QueryData>('/api/v1/query', params), expr);
  }

  return {
    url: base,
    query,
    queryAll: (exprs, at) => Promise.all(exprs.map((expr) => query(expr, at))),
    async alerts() {
      const data = await call<{ alerts: PrometheusAlert[] }>('/api/v1/alerts');
      return data.alerts;
    },
    async queryRange(expr, range) {
      const params = new URLSearchParams({ query: expr, start: seconds(range.start), end: seconds(range.end), step: (range.stepMs / 1000).toFixed(3) });
      const data = await call<QueryData>('/api/v1/query_range', params);
      if (data.resultType !== 'matrix') throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `the range query ${expr} returned a ${data.resultType}, not a matrix` });
      const result = data.result as { metric: Record<string, string>; values: [number, string][] }[];
      return result.map((series) => ({ labels: series.metric, values: series.values.map(([at, value]) => [at, Number(value)] as const) }));
    },
  };
}

function seconds(at: Date): string {
  return (at.getTime() / 1000).toFixed(3);
}

function samplesOf(data: QueryData, expr: string): Sample[] {
  switch (data.resultType) {
    case 'vector':
      return data.result.map((series) => ({ labels: series.metric, value: Number(series.value[1]) }));
    case 'scalar':
      return [{ labels: {}, value: Number(data.result[1]) }];
    default:
      throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `the query ${expr} returns a ${data.resultType}; an instant vector or scalar is needed` });
  }
}

function causeOf(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    if (error.name === 'TimeoutError') return 'timed out';
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}
