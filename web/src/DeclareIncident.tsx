import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { apiSend } from './api-send.ts';
import { declareBody, incidentLink, incidentSeverities } from './incidents-view.ts';
import { navigate } from './router.ts';

/** Declare an incident: operators and above only (the server enforces the same); opens the new incident. */
export function DeclareIncident() {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({ title: '', severity: 'sev2', services: '', commander: '' });
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  if (!open) {
    return (
      <p>
        <button type="button" onClick={() => setOpen(true)}>
          Declare an incident
        </button>
      </p>
    );
  }
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const request = declareBody(form);
    if ('problem' in request) return setProblem(request.problem);
    setBusy(true);
    setProblem(undefined);
    try {
      const recorded = await apiSend<{ incident: { id: string } }>('POST', '/api/v1/incidents', request.body);
      await queryClient.invalidateQueries({ queryKey: ['incidents'] });
      navigate(incidentLink(recorded.incident.id));
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  };
  const field = (key: keyof typeof form) => ({ value: form[key], onChange: (event: { target: { value: string } }) => setForm({ ...form, [key]: event.target.value }) });
  return (
    <form className="filters declare" onSubmit={(event) => void submit(event)} aria-label="Declare an incident">
      <label>
        Title <input {...field('title')} size={40} placeholder="what users see" />
      </label>
      <label>
        Severity{' '}
        <select {...field('severity')}>
          {incidentSeverities.map((severity) => (
            <option key={severity} value={severity}>
              {severity}
            </option>
          ))}
        </select>
      </label>
      <label>
        Affected services <input {...field('services')} placeholder="checkout-api, …" />
      </label>
      <label>
        Commander <input {...field('commander')} placeholder="optional" />
      </label>
      <button type="submit" disabled={busy}>
        Declare
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        Cancel
      </button>
      {problem ? (
        <p className="error" role="alert">
          {problem}
        </p>
      ) : null}
    </form>
  );
}
