import { type FormEvent, useState } from 'react';
import { ApiError, apiGet, storeToken } from '../api.ts';
import type { Whoami } from '../api-types.ts';

/** The token form: the token is checked with /api/v1/whoami and kept in sessionStorage for this tab. */
export function LoginPage(props: { readonly onLogin: (token: string) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      await apiGet<Whoami>('/api/v1/whoami', { token: token.trim() });
      storeToken(token);
      props.onLogin(token.trim());
    } catch (caught) {
      setError(caught instanceof ApiError && caught.status === 401 ? 'That token is unknown, expired or revoked.' : `Could not sign in: ${String(caught instanceof Error ? caught.message : caught)}`);
    } finally {
      setBusy(false);
    }
  }
  return (
    <main id="main" className="login">
      <h1>steadyops</h1>
      <form onSubmit={(event) => void submit(event)} aria-describedby="login-help">
        <label htmlFor="token">API token</label>
        <input id="token" name="token" type="password" autoComplete="off" required autoFocus value={token} onChange={(event) => setToken(event.target.value)} />
        <p id="login-help" className="muted">
          A bearer token (<code>so_…</code>): <code>steadyops serve --demo</code> prints an admin token; <code>steadyops token create</code> makes others.
          It is kept for this browser tab only.
        </p>
        <button type="submit" disabled={busy}>
          Sign in
        </button>
        {error ? (
          <p role="alert" className="error">
            {error}
          </p>
        ) : null}
      </form>
    </main>
  );
}
