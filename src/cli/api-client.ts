import { SteadyopsError, errorFromRemote, isErrorCode } from '../lib/errors.ts';

export interface ApiClient {
  request<T>(method: string, path: string, body?: unknown): Promise<T>;
}

/** Talks to a remote `steadyops serve`; problem+json answers become the same coded errors. */
export function createApiClient(server: string, token: string | undefined): ApiClient {
  const base = server.replace(/\/+$/, '');
  return {
    async request<T>(method: string, path: string, body?: unknown): Promise<T> {
      let response: Response;
      try {
        response = await fetch(`${base}${path}`, {
          method,
          headers: {
            accept: 'application/json',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
      } catch (error) {
        throw new SteadyopsError('SO_E_UNREACHABLE', { target: base, detail: ((error as Error).cause as Error | undefined)?.message ?? (error as Error).message });
      }
      const text = await response.text();
      const payload = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      if (!response.ok) throw errorFromProblem(response.status, payload);
      return payload as T;
    },
  };
}

function errorFromProblem(status: number, problem: Record<string, unknown>): SteadyopsError {
  const detail = typeof problem.detail === 'string' ? problem.detail : `the server answered HTTP ${status}`;
  const issues = Array.isArray(problem.issues) ? (problem.issues as Array<{ message: string; path?: string }>) : [];
  if (isErrorCode(problem.code)) return errorFromRemote(problem.code, detail, issues);
  return errorFromRemote(status >= 500 ? 'SO_E_UNREACHABLE' : 'SO_E_INPUT_INVALID', detail, issues);
}
