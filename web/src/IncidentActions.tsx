import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { apiSend } from './api-send.ts';
import type { IncidentView } from './incidents-view.ts';

/** Acknowledge, post an update, mitigate, resolve: shown to operators and above only (the server enforces the same). */
export function IncidentActions(props: { readonly incident: IncidentView }) {
  const queryClient = useQueryClient();
  const [message, setMessage] = useState('');
  const [status, setStatus] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const base = `/api/v1/incidents/${encodeURIComponent(props.incident.id)}`;
  const send = async (path: string, body?: unknown): Promise<void> => {
    setBusy(true);
    setError(undefined);
    try {
      await apiSend('POST', `${base}${path}`, body);
      setMessage('');
      await queryClient.invalidateQueries({ queryKey: ['incidents'] });
    } catch (problem) {
      setError(problem instanceof Error ? problem.message : String(problem));
    } finally {
      setBusy(false);
    }
  };
  const update = (event: FormEvent): void => {
    event.preventDefault();
    if (message.trim() === '') return setError('Write what changed first.');
    void send('/updates', { message: message.trim(), ...(status ? { status } : {}) });
  };
  const acknowledged = props.incident.status !== 'declared';
  return (
    <section className="panel tone-unknown wide" aria-labelledby="actions-title" data-panel="incident-actions">
      <h2 id="actions-title">Respond</h2>
      <form className="incident-update" onSubmit={update}>
        <label>
          Update <input aria-label="Update" value={message} onChange={(event) => setMessage(event.target.value)} placeholder="what changed, what is next" size={50} />
        </label>{' '}
        <label>
          Status{' '}
          <select aria-label="Status" value={status} onChange={(event) => setStatus(event.target.value)}>
            <option value="">unchanged</option>
            <option value="investigating">investigating</option>
            <option value="identified">identified</option>
            <option value="monitoring">monitoring</option>
          </select>
        </label>{' '}
        <button type="submit" disabled={busy}>
          Post update
        </button>
      </form>
      <p className="form-actions">
        {!acknowledged ? (
          <button type="button" disabled={busy} onClick={() => void send('/acknowledge', {})}>
            Acknowledge
          </button>
        ) : null}
        {props.incident.status !== 'mitigated' ? (
          <button type="button" disabled={busy || message.trim() === ''} onClick={() => void send('/mitigate', { summary: message.trim() })} title="Uses the update text as the mitigation summary">
            Mitigated
          </button>
        ) : null}
        <button type="button" disabled={busy} onClick={() => void send('/resolve', message.trim() ? { summary: message.trim() } : {})}>
          Resolve
        </button>
      </p>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
