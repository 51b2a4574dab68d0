import { ApiError, forgetToken, storedToken } from './api.ts';

/** POST/DELETE with the session's bearer token; a refusal becomes an ApiError carrying the server's problem+json detail. */
export async function apiSend<T>(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const token = storedToken();
  const response = await fetch(path, {
    method,
    headers: {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (response.status === 401) forgetToken();
  if (!response.ok) {
    let problem: { code?: string; detail?: string; title?: string } = {};
    try {
      problem = (await response.json()) as typeof problem;
    } catch {
      // not JSON: the status text says it
    }
    throw new ApiError(response.status, problem.code ?? `HTTP_${response.status}`, problem.detail ?? problem.title ?? response.statusText);
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}
