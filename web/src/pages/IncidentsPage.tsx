import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { apiGet } from '../api.ts';
import type { Whoami } from '../api-types.ts';
import { DeclareIncident } from '../DeclareIncident.tsx';
import { canWriteIncidents, isMissingRoute } from '../feature-detect.ts';
import { formatAge, formatDuration, formatTime } from '../format.ts';
import {
  elapsedMs,
  type IncidentsFilter,
  incidentLink,
  incidentSeverities,
  incidentsApiQuery,
  incidentsFilterFromSearch,
  incidentsFilterToSearch,
  incidentsOf,
} from '../incidents-view.ts';
import { Link } from '../Link.tsx';
import { ErrorNote } from '../Panel.tsx';
import { navigate } from '../router.ts';

// one lazy chunk for the list and the detail page, so their shared view code is not a chunk of its own
export { IncidentPage } from './IncidentPage.tsx';

/** Incidents, newest first; state, severity and service filters live in the URL. */
export function IncidentsPage(props: { readonly search: string }) {
  const filter = incidentsFilterFromSearch(props.search);
  const path = incidentsApiQuery(filter);
  const incidents = useQuery({ queryKey: ['incidents', 'list', path], queryFn: async () => incidentsOf(await apiGet<unknown>(path)), refetchInterval: 30_000 });
  const apply = (change: Partial<IncidentsFilter>): void => navigate(`/incidents${incidentsFilterToSearch({ ...filter, cursor: '', ...change })}`);
  const whoami = useQuery({ queryKey: ['whoami'], queryFn: () => apiGet<Whoami>('/api/v1/whoami') });
  const now = new Date();
  return (
    <>
      <h1>Incidents</h1>
      {canWriteIncidents(whoami.data?.role) && !incidents.isError ? <DeclareIncident /> : null}
      <Filters filter={filter} apply={apply} />
      {incidents.isPending ? <p className="muted">Loading incidents…</p> : null}
      {incidents.isError ? (
        isMissingRoute(incidents.error) ? (
          <p className="error" role="status" data-testid="not-available">
            <strong>Incidents are not available on this server</strong> (it has no /api/v1/incidents route). Incident events in the ledger are on the <Link to="/changes?since=30d&type=dev.steadyops.incident.*">Changes page</Link>.
          </p>
        ) : (
          <ErrorNote error={incidents.error} what="incidents" />
        )
      ) : null}
      {incidents.data ? (
        incidents.data.items.length === 0 ? (
          <p className="answer" data-testid="no-incidents">
            No {filter.state === '' ? '' : `${filter.state} `}incident{filter.severity ? ` of ${filter.severity}` : ''}
            {filter.service ? ` on ${filter.service}` : ''}.
          </p>
        ) : (
          <table className="incidents">
            <caption className="sr-only">Incidents matching the filters, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Incident</th>
                <th scope="col">Severity</th>
                <th scope="col">Status</th>
                <th scope="col">Services</th>
                <th scope="col">Declared</th>
                <th scope="col">Open for</th>
                <th scope="col">Commander</th>
              </tr>
            </thead>
            <tbody>
              {incidents.data.items.map((incident) => {
                const open = elapsedMs(incident.declaredAt, incident.resolvedAt, now);
                return (
                  <tr key={incident.id} data-incident={incident.id} className={incident.status !== 'resolved' && (incident.severity === 'sev1' || incident.severity === 'sev2') ? 'bad' : ''}>
                    <td>
                      <Link to={incidentLink(incident.id)}>
                        {incident.id} {incident.title}
                      </Link>
                    </td>
                    <td>{incident.severity}</td>
                    <td>{incident.status}</td>
                    <td>
                      {incident.services.map((service, index) => (
                        <span key={service}>
                          {index > 0 ? ', ' : ''}
                          <Link to={`/incidents${incidentsFilterToSearch({ ...filter, cursor: '', service })}`}>{service}</Link>
                        </span>
                      ))}
                    </td>
                    <td title={formatTime(incident.declaredAt)}>{formatAge(incident.declaredAt, now)}</td>
                    <td>
                      {open === undefined ? '–' : formatDuration(open)}
                      {incident.resolvedAt ? '' : ' so far'}
                    </td>
                    <td>{incident.roles.commander ?? <span className="muted">none</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )
      ) : null}
      {incidents.data?.nextCursor ? (
        <p>
          <Link to={`/incidents${incidentsFilterToSearch({ ...filter, cursor: incidents.data.nextCursor })}`}>Older incidents →</Link>
        </p>
      ) : null}
    </>
  );
}

function Filters(props: { readonly filter: IncidentsFilter; readonly apply: (change: Partial<IncidentsFilter>) => void }) {
  const [service, setService] = useState(props.filter.service);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    props.apply({ service: service.trim() });
  };
  return (
    <form className="filters" onSubmit={submit} aria-label="Filter incidents">
      <label>
        State{' '}
        <select value={props.filter.state === '' ? 'all' : props.filter.state} onChange={(event) => props.apply({ state: event.target.value === 'all' ? '' : (event.target.value as 'open' | 'resolved') })}>
          <option value="open">open</option>
          <option value="resolved">resolved</option>
          <option value="all">all</option>
        </select>
      </label>{' '}
      <label>
        Severity{' '}
        <select value={props.filter.severity} onChange={(event) => props.apply({ severity: event.target.value })}>
          <option value="">any</option>
          {incidentSeverities.map((severity) => (
            <option key={severity} value={severity}>
              {severity}
            </option>
          ))}
        </select>
      </label>{' '}
      <label>
        Service <input value={service} onChange={(event) => setService(event.target.value)} placeholder="any" />
      </label>{' '}
      <button type="submit">Apply</button>
    </form>
  );
}
