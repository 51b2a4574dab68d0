/** Same-origin API calls with the session's bearer token; a 401 sends the user back to the login form. */
const tokenKey = 'steadyops.token';

export function storedToken(): string | null {
  return sessionStorage.getItem(tokenKey);
}

export function storeToken(token: string): void {
  sessionStorage.setItem(tokenKey, token.trim());
}

export function forgetToken(): void {
  sessionStorage.removeItem(tokenKey);
  window.dispatchEvent(new Event('steadyops:logout'));
}

/** An RFC 9457 problem from the API, with its code and plain-language detail. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
  ) {
    super(detail);
  }
}

export async function apiGet<T>(path: string, options: { token?: string; accept?: string } = {}): Promise<T> {
  const token = options.token ?? storedToken();
  const response = await fetch(path, { headers: { accept: options.accept ?? 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) } });
  if (response.status === 401 && options.token === undefined) forgetToken();
  if (!response.ok) throw await problemOf(response);
  const type = response.headers.get('content-type') ?? '';
  return (type.includes('json') ? await response.json() : await response.text()) as T;
}

/** The refusal's problem+json as an ApiError (the status text when the body is not JSON). */
export async function problemOf(response: Response): Promise<ApiError> {
  try {
    const problem = (await response.json()) as { code?: string; detail?: string; title?: string };
    return new ApiError(response.status, problem.code ?? `HTTP_${response.status}`, problem.detail ?? problem.title ?? response.statusText);
  } catch {
    return new ApiError(response.status, `HTTP_${response.status}`, response.statusText);
  }
}
