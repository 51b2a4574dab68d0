import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { apiGet } from '../api.ts';
import type { LedgerEvent, Whoami } from '../api-types.ts';
import { canWriteIncidents, isMissingRoute } from '../feature-detect.ts';
import { formatDuration, formatTime, personOf } from '../format.ts';
import { IncidentActions } from '../IncidentActions.tsx';
import { eventSeqLink } from '../event-links.ts';
import { concernsIncident, elapsedMs, followUpsOf, type IncidentView, incidentOf, severityTone, timelineEntryLink, timelineOf } from '../incidents-view.ts';
import { Link } from '../Link.tsx';
import { ErrorNote, Panel } from '../Panel.tsx';


/** One incident: its state and roles, the live timeline with the likely trigger, its updates and follow-ups. */
export function IncidentPage(props: { readonly id: string }) {
  const path = `/api/v1/incidents/${encodeURIComponent(props.id)}`;
  const incident = useQuery({ queryKey: ['incidents', 'one', props.id], queryFn: async () => incidentOf(await apiGet<unknown>(path)) });
  const whoami = useQuery({ queryKey: ['whoami'], queryFn: () => apiGet<Whoami>('/api/v1/whoami') });
  useLiveRefresh(incident.data);
  return (
    <>
      <p>
        <Link to="/incidents">← Incidents</Link>
      </p>
      {incident.isPending ? <p className="muted">Loading {props.id}…</p> : null}
      {incident.isError ? (
        isMissingRoute(incident.error) ? (
          <p className="error" role="status" data-testid="not-available">
            <strong>Incidents are not available on this server</strong> (it has no /api/v1/incidents route).
          </p>
        ) : (
          <ErrorNote error={incident.error} what={props.id} />
        )
      ) : null}
      {incident.data ? <IncidentDetail incident={incident.data} canWrite={canWriteIncidents(whoami.data?.role)} /> : null}
    </>
  );
}

/** New ledger events about this incident or its services refresh the page (the live stream is the header's). */
function useLiveRefresh(incident: IncidentView | undefined): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!incident) return undefined;
    const listener = (event: Event): void => {
      const ledgerEvent = (event as CustomEvent<LedgerEvent>).detail;
      if (ledgerEvent && concernsIncident(ledgerEvent, incident)) void queryClient.invalidateQueries({ queryKey: ['incidents'] });
    };
    window.addEventListener('steadyops:ledger', listener);
    return () => window.removeEventListener('steadyops:ledger', listener);
  }, [incident, queryClient]);
}

function IncidentDetail(props: { readonly incident: IncidentView; readonly canWrite: boolean }) {
  const { incident } = props;
  const now = new Date();
  const seqOf = (kind: string) => incident.updates.find((update) => update.kind === kind)?.seq;
  const figure = (label: string, ms: number | undefined, kind: string, open: string) => {
    const seq = seqOf(kind);
    const text = ms === undefined ? open : formatDuration(ms);
    return (
      <li>
        {label}: {seq !== undefined ? <Link to={eventSeqLink(seq)}>{text}</Link> : <strong>{text}</strong>}
      </li>
    );
  };
  return (
    <>
      <h1>
        {incident.id} {incident.title}
      </h1>
      <p className={`muted incident-status tone-${severityTone(incident.severity)}`} data-testid="incident-status">
        <strong className={severityTone(incident.severity) === 'bad' ? 'bad-text' : ''}>{incident.severity}</strong> · {incident.status}
        {incident.environment ? ` · ${incident.environment}` : ''} · declared {formatTime(incident.declaredAt)}
        {incident.fromAlert ? ` from alert ${incident.fromAlert}` : ''}
      </p>
      {incident.summary ? <p>{incident.summary}</p> : null}
      <div className="panels">
        <Panel name="incident-figures" title="Response" tone={incident.status === 'resolved' ? 'ok' : severityTone(incident.severity)}>
          <ul className="rows">
            {figure('Time to acknowledge', incident.acknowledgedAt ? elapsedMs(incident.declaredAt, incident.acknowledgedAt, now) : undefined, 'acknowledged', 'not acknowledged')}
            {figure('Time to mitigate', incident.mitigatedAt ? elapsedMs(incident.declaredAt, incident.mitigatedAt, now) : undefined, 'mitigated', 'not mitigated')}
            {figure(incident.resolvedAt ? 'Resolved after' : 'Open for', elapsedMs(incident.declaredAt, incident.resolvedAt, now), incident.resolvedAt ? 'resolved' : 'declared', '–')}
            <li>
              Services:{' '}
              {incident.services.map((service, index) => (
                <span key={service}>
                  {index > 0 ? ', ' : ''}
                  <Link to={`/services/${encodeURIComponent(service)}`}>{service}</Link>
                </span>
              ))}
            </li>
            {incident.postmortemUrl ? (
              <li>
                Postmortem: <a href={incident.postmortemUrl}>{incident.postmortemUrl}</a>
              </li>
            ) : null}
          </ul>
        </Panel>
        <Panel name="incident-roles" title="Roles" tone={incident.roles.commander ? 'ok' : 'warn'}>
          <ul className="rows">
            {(['commander', 'communications', 'scribe'] as const).map((role) => (
              <li key={role} data-role={role}>
                {role}: {incident.roles[role] ? <strong>{incident.roles[role]}</strong> : <span className="muted">nobody</span>}
              </li>
            ))}
          </ul>
        </Panel>
        <FollowUpsPanel incident={incident} />
      </div>
      {props.canWrite && incident.status !== 'resolved' ? <IncidentActions incident={incident} /> : null}
      <TimelinePanel incident={incident} />
      <UpdatesPanel incident={incident} />
    </>
  );
}

function TimelinePanel(props: { readonly incident: IncidentView }) {
  const path = `/api/v1/incidents/${encodeURIComponent(props.incident.id)}/timeline?limit=500`;
  const timeline = useQuery({ queryKey: ['incidents', 'timeline', path], queryFn: async () => timelineOf(await apiGet<unknown>(path)) });
  const trigger = timeline.data?.entries.find((entry) => entry.likelyTrigger);
  return (
    <section className="panel tone-unknown wide" aria-labelledby="timeline-title" data-panel="timeline">
      <h2 id="timeline-title">Timeline</h2>
      {timeline.isPending ? <p className="muted">Loading the timeline…</p> : null}
      {timeline.isError ? (
        isMissingRoute(timeline.error) ? (
          <p className="error" role="status">
            <strong>The automatic timeline is not available on this server.</strong> The incident's own updates are listed below.
          </p>
        ) : (
          <ErrorNote error={timeline.error} what="the timeline" />
        )
      ) : null}
      {timeline.data ? (
        <>
          <p data-testid="likely-trigger">
            {trigger ? (
              <>
                Likely trigger: <strong>{trigger.summary}</strong> <span className="muted">{trigger.reason ?? ''}</span>
              </>
            ) : (
              'No change before the first alert on the affected services or their dependencies: no likely trigger.'
            )}
          </p>
          <table className="timeline">
            <caption className="sr-only">Everything that happened to {props.incident.id}'s services and dependencies, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Kind</th>
                <th scope="col">What</th>
                <th scope="col">Service</th>
                <th scope="col">Who</th>
              </tr>
            </thead>
            <tbody>
              {timeline.data.entries.map((entry, index) => {
                const link = timelineEntryLink(entry);
                return (
                  <tr key={entry.seq ?? `${entry.time}-${index}`} className={entry.likelyTrigger ? 'trigger' : ''} data-kind={entry.kind} data-trigger={entry.likelyTrigger ? 'true' : undefined}>
                    <td>
                      {formatTime(entry.time)}
                      {entry.ingestionDelayMs !== undefined ? <span className="warn-text"> (arrived {formatDuration(entry.ingestionDelayMs)} late)</span> : null}
                    </td>
                    <td>{entry.kind}</td>
                    <td>
                      {entry.likelyTrigger ? <strong>likely trigger: </strong> : null}
                      {link ? <Link to={link}>{entry.summary || '(no summary)'}</Link> : entry.summary}
                    </td>
                    <td>{entry.service ?? '–'}</td>
                    <td>{personOf(entry.actor)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}

function UpdatesPanel(props: { readonly incident: IncidentView }) {
  return (
    <section className="panel tone-unknown wide" aria-labelledby="updates-title" data-panel="updates">
      <h2 id="updates-title">Status updates</h2>
      <ul className="rows">
        {props.incident.updates.map((update, index) => (
          <li key={update.seq ?? index} data-update={update.kind}>
            <span className="muted">{formatTime(update.at)}</span> <strong>{update.kind}</strong>
            {update.status ? ` (${update.status})` : ''}
            {update.severity ? ` → ${update.severity}` : ''} {update.message} <span className="muted">{personOf(update.actor)}</span>
            {update.seq !== undefined ? (
              <>
                {' '}
                <Link to={eventSeqLink(update.seq)}>event #{update.seq}</Link>
              </>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

function FollowUpsPanel(props: { readonly incident: IncidentView }) {
  const path = `/api/v1/followups?incident=${encodeURIComponent(props.incident.id)}`;
  const followUps = useQuery({ queryKey: ['incidents', 'followups', path], queryFn: async () => followUpsOf(await apiGet<unknown>(path)) });
  const list = followUps.data ?? [];
  const tone = !followUps.data ? 'unknown' : list.some((entry) => entry.status === 'overdue' || entry.closedWithoutChange) ? 'bad' : 'ok';
  return (
    <Panel name="followups" title="Follow-ups" tone={tone}>
      {followUps.isPending ? <p className="muted">Loading follow-ups…</p> : null}
      {followUps.isError ? (
        isMissingRoute(followUps.error) ? (
          <p className="error" role="status">
            <strong>Follow-ups are not available on this server</strong> (it has no /api/v1/followups route).
          </p>
        ) : (
          <ErrorNote error={followUps.error} what="follow-ups" />
        )
      ) : null}
      {followUps.data && list.length === 0 ? <p className="answer">None recorded.</p> : null}
      {list.length > 0 ? (
        <ul className="rows">
          {list.map((entry) => (
            <li key={entry.id} data-followup={entry.id} className={entry.status === 'overdue' || entry.closedWithoutChange ? 'bad' : ''}>
              <strong>{entry.id}</strong> {entry.title} <span className="muted">{entry.owner ?? 'no owner'}{entry.due ? `, due ${entry.due}` : ''}</span> <strong>{entry.status}</strong>
              {entry.closedWithoutChange ? ' · closed without a linked merged change' : ''}
              {entry.changes > 0 ? ` · ${entry.changes} linked change${entry.changes === 1 ? '' : 's'}` : ''}
              {entry.seq !== undefined ? (
                <>
                  {' '}
                  <Link to={eventSeqLink(entry.seq)}>event #{entry.seq}</Link>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </Panel>
  );
}
