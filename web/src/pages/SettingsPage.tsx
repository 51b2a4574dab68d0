import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useRef, useState } from 'react';
import { ApiError, apiGet } from '../api.ts';
import { apiSend } from '../api-send.ts';
import type { ConnectorsResponse, LedgerCheckpoint, TokenRecord, Whoami } from '../api-types.ts';
import { formatAge, formatTime, shortType } from '../format.ts';
import { ErrorNote, Loaded } from '../Panel.tsx';
import { configuredText, connectorState, shortHash, sortConnectors, sortTokens, tokenNameProblem, tokenState } from '../settings-view.ts';

const roles: ReadonlyArray<Whoami['role']> = ['viewer', 'operator', 'approver', 'admin'];

/** Settings: the ledger head and its verifier key, the connectors feeding the ledger, and (admins) the API tokens. */
export function SettingsPage() {
  const whoami = useQuery({ queryKey: ['whoami'], queryFn: () => apiGet<Whoami>('/api/v1/whoami') });
  return (
    <>
      <h1>Settings</h1>
      <LedgerHead />
      <Connectors />
      <section aria-labelledby="settings-tokens" className="audit-section" data-testid="tokens">
        <h2 id="settings-tokens">API tokens</h2>
        {whoami.data === undefined ? (
          <p className="muted">Loading your role…</p>
        ) : whoami.data.role === 'admin' ? (
          <Tokens self={whoami.data} />
        ) : (
          <p className="note" data-testid="tokens-note">
            Tokens are managed by admins. You are signed in as <strong>{whoami.data.name}</strong> with the <strong>{whoami.data.role}</strong> role; ask an admin for a
            token with another role, or to revoke one.
          </p>
        )}
      </section>
    </>
  );
}

function LedgerHead() {
  const checkpoint = useQuery({
    queryKey: ['ledger', 'checkpoint'],
    queryFn: async () => {
      try {
        return await apiGet<LedgerCheckpoint>('/api/v1/ledger/checkpoint', { accept: 'application/json' });
      } catch (error) {
        if (error instanceof ApiError && error.code === 'SO_E_CHECKPOINT_MISSING') return null;
        throw error;
      }
    },
    refetchInterval: 30_000,
  });
  const key = useQuery({ queryKey: ['ledger', 'key'], queryFn: () => apiGet<{ verifierKey: string }>('/api/v1/ledger/key'), staleTime: Number.POSITIVE_INFINITY });
  const now = new Date();
  return (
    <section aria-labelledby="settings-ledger" className="panel settings-panel" data-testid="ledger-head">
      <h2 id="settings-ledger">Ledger head</h2>
      <Loaded query={checkpoint} what="the signed checkpoint">
        {(head: LedgerCheckpoint | null) =>
          head === null ? (
            <p>The ledger is empty: there is no signed checkpoint yet.</p>
          ) : (
            <dl className="facts">
              <dt>Size</dt>
              <dd data-testid="ledger-size">{head.size.toLocaleString('en')} events</dd>
              <dt>Root hash</dt>
              <dd>
                <code title={head.rootHash}>{head.rootHash}</code>
              </dd>
              <dt>Signed</dt>
              <dd>
                {formatTime(head.createdAt)} <span className="muted">({formatAge(head.createdAt, now)})</span>
              </dd>
              <dt>Origin</dt>
              <dd>
                <code>{head.origin}</code>
              </dd>
            </dl>
          )
        }
      </Loaded>
      <h3>Public verifier key</h3>
      <Loaded query={key} what="the verifier key">
        {(data: { verifierKey: string }) => <Copyable text={data.verifierKey} label="verifier key" />}
      </Loaded>
      <p className="muted">
        For witnesses and <code>steadyops ledger verify --public-key</code>. The checkpoint is cut every few seconds while events arrive, so its size may trail the newest event.
      </p>
    </section>
  );
}

function Copyable(props: { readonly text: string; readonly label: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const ref = useRef<HTMLElement>(null);
  async function copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(props.text);
      setState('copied');
    } catch {
      // no clipboard permission: select the text so Ctrl+C copies it
      const selection = window.getSelection();
      if (ref.current && selection) {
        const range = document.createRange();
        range.selectNodeContents(ref.current);
        selection.removeAllRanges();
        selection.addRange(range);
      }
      setState('failed');
    }
  }
  return (
    <p className="copyable">
      <code ref={ref} data-testid={`copy-${props.label.replace(/\s+/g, '-')}`}>
        {props.text}
      </code>{' '}
      <button type="button" onClick={() => void copy()} aria-label={`Copy the ${props.label}`}>
        Copy
      </button>{' '}
      <span role="status" className={state === 'failed' ? 'error' : 'muted'}>
        {state === 'copied' ? 'Copied.' : state === 'failed' ? 'The browser refused the clipboard: the text is selected, press Ctrl+C.' : ''}
      </span>
    </p>
  );
}

function Connectors() {
  const connectors = useQuery({ queryKey: ['connectors'], queryFn: () => apiGet<ConnectorsResponse>('/api/v1/connectors'), refetchInterval: 30_000 });
  const now = new Date();
  return (
    <section aria-labelledby="settings-connectors" className="audit-section" data-testid="connectors">
      <h2 id="settings-connectors">Connectors</h2>
      <Loaded query={connectors} what="the connectors">
        {(data: ConnectorsResponse) => (
          <>
            <p className="muted">
              Ledger head: event #{data.head}. {data.window.countsComplete ? 'Counts cover the last 24 hours.' : `Counts start at event #${data.window.fromSeq}, less than 24 hours ago.`}
            </p>
            <table>
              <thead>
                <tr>
                  <th scope="col">Connector</th>
                  <th scope="col">Last event received</th>
                  <th scope="col" className="num">
                    Last 24 h
                  </th>
                  <th scope="col">Webhook URLs</th>
                  <th scope="col">Configured</th>
                </tr>
              </thead>
              <tbody>
                {sortConnectors(data.connectors).map((connector) => {
                  const state = connectorState(connector);
                  return (
                    <tr key={connector.id} data-connector={connector.id} data-state={state} className={state === 'unconfigured' ? 'warn' : ''}>
                      <td>
                        <strong>{connector.title}</strong> <span className="muted">{connector.kind}</span>
                      </td>
                      <td>
                        {connector.lastEvent ? (
                          <>
                            <span title={formatTime(connector.lastEvent.receivedAt)}>{formatAge(connector.lastEvent.receivedAt, now)}</span> <code>{shortType(connector.lastEvent.type)}</code>{' '}
                            <span className="muted">{connector.lastEvent.source}</span>
                          </>
                        ) : (
                          <span className="muted">nothing received</span>
                        )}
                      </td>
                      <td className="num">{connector.last24h.toLocaleString('en')}</td>
                      <td>
                        {connector.hooks.length === 0 ? (
                          <span className="muted">none</span>
                        ) : (
                          <ul className="hooks">
                            {connector.hooks.map((hook) => (
                              <li key={hook}>
                                <code>{hook}</code>
                              </li>
                            ))}
                          </ul>
                        )}
                      </td>
                      <td>{configuredText(connector.configured)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </>
        )}
      </Loaded>
    </section>
  );
}

function Tokens(props: { readonly self: Whoami }) {
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: ['tokens'], queryFn: () => apiGet<{ tokens: TokenRecord[] }>('/api/v1/tokens') });
  const [confirming, setConfirming] = useState<string | undefined>();
  const revoke = useMutation({
    mutationFn: (id: string) => apiSend<undefined>('DELETE', `/api/v1/tokens/${encodeURIComponent(id)}`),
    onSuccess: () => {
      setConfirming(undefined);
      void queryClient.invalidateQueries({ queryKey: ['tokens'] });
    },
  });
  const now = new Date();
  return (
    <>
      <CreateToken />
      <Loaded query={tokens} what="the tokens">
        {(data: { tokens: TokenRecord[] }) => (
          <table data-testid="token-list">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">State</th>
                <th scope="col">Created</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {sortTokens(data.tokens, now).map((token) => {
                const state = tokenState(token, now);
                return (
                  <tr key={token.id} data-token={token.name} data-state={state} className={state === 'active' ? '' : 'inactive'}>
                    <td>
                      <strong>{token.name}</strong> <span className="muted">{token.id}</span>
                      {token.id === props.self.tokenId ? <span className="badge">this session</span> : null}
                    </td>
                    <td>{token.role}</td>
                    <td>{state === 'revoked' && token.revokedAt ? `revoked ${formatAge(token.revokedAt, now)}` : state}</td>
                    <td>
                      <span title={formatTime(token.createdAt)}>{formatAge(token.createdAt, now)}</span> <span className="muted">by {token.createdBy}</span>
                    </td>
                    <td>{token.expiresAt ? formatTime(token.expiresAt) : <span className="muted">never</span>}</td>
                    <td>{token.lastUsedAt ? formatAge(token.lastUsedAt, now) : <span className="muted">never</span>}</td>
                    <td>
                      {state !== 'active' ? null : confirming === token.id ? (
                        <span className="form-actions">
                          <button type="button" className="danger" onClick={() => revoke.mutate(token.id)} disabled={revoke.isPending}>
                            Yes, revoke {token.name}
                          </button>
                          <button type="button" onClick={() => setConfirming(undefined)}>
                            Keep
                          </button>
                        </span>
                      ) : (
                        <button type="button" onClick={() => setConfirming(token.id)} aria-label={`Revoke ${token.name}`}>
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </Loaded>
      {revoke.isError ? <ErrorNote error={revoke.error} what="the revocation" /> : null}
    </>
  );
}

function CreateToken() {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Whoami['role']>('viewer');
  const [expiresIn, setExpiresIn] = useState('90d');
  const [touched, setTouched] = useState(false);
  const id = useId();
  const create = useMutation({
    mutationFn: () => apiSend<{ token: string; record: TokenRecord }>('POST', '/api/v1/tokens', { name: name.trim(), role, ...(expiresIn.trim() ? { expiresIn: expiresIn.trim() } : {}) }),
    onSuccess: () => {
      setName('');
      setTouched(false);
      void queryClient.invalidateQueries({ queryKey: ['tokens'] });
    },
  });
  const nameProblem = tokenNameProblem(name.trim());
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setTouched(true);
    if (nameProblem) return;
    create.mutate();
  };
  return (
    <>
      <form className="filters" onSubmit={submit} aria-label="Create a token" noValidate>
        <label htmlFor={`${id}-name`}>
          Name
          <input id={`${id}-name`} value={name} onChange={(event) => setName(event.target.value)} aria-invalid={touched && nameProblem ? true : undefined} />
        </label>
        <label htmlFor={`${id}-role`}>
          Role
          <select id={`${id}-role`} value={role} onChange={(event) => setRole(event.target.value as Whoami['role'])}>
            {roles.map((option) => (
              <option key={option} value={option}>
                {option}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={`${id}-expires`}>
          Expires in (empty: never)
          <input id={`${id}-expires`} value={expiresIn} onChange={(event) => setExpiresIn(event.target.value)} />
        </label>
        <div className="filter-actions">
          <button type="submit" disabled={create.isPending}>
            Create token
          </button>
        </div>
      </form>
      {touched && nameProblem ? <p className="error">{nameProblem}</p> : null}
      {create.isError ? (
        <p role="alert" className="error">
          Could not create the token: {create.error instanceof Error ? create.error.message : String(create.error)}
        </p>
      ) : null}
      {create.isSuccess ? (
        <div className="new-token" role="status" data-testid="new-token">
          <p>
            Token <strong>{create.data.record.name}</strong> ({create.data.record.role}) created. Store the secret now: it is shown only once.
          </p>
          <Copyable text={create.data.token} label="new token" />
        </div>
      ) : null}
    </>
  );
}
