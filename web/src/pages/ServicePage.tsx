import { useQuery } from '@tanstack/react-query';
import { ApiError, apiGet } from '../api.ts';
import type { ChangesResponse, OwnershipModel, SloReport } from '../api-types.ts';
import { changesLink, typePrefix } from '../changes-filter.ts';
import { formatAge, formatDuration, formatPercent, formatTime, personOf, shortType } from '../format.ts';
import { eventLink } from '../event-links.ts';
import { Link } from '../Link.tsx';
import { drillLookback, restoreStatuses } from '../now-panels.ts';
import { ErrorNote, Loaded, Panel } from '../Panel.tsx';
import { RestoreTable, restoreTone } from '../RestoreTable.tsx';
import { RunbooksPanel } from '../RunbooksPanel.tsx';
import { SloHistoryPanel } from '../SloHistoryPanel.tsx';
import { sloRangeFromSearch } from '../slo-history-view.ts';
import { useChanges, useModel } from '../queries.ts';
import {
  dependencyRows,
  dependents,
  deployHistoryTypes,
  type DetailService,
  findService,
  findTeam,
  historyRow,
  onCallNow,
  openFindingsOf,
  serviceDatastores,
  type ServiceFinding,
} from '../service-detail.ts';

const drillTypes = 'dev.steadyops.restore.drill.verified,dev.steadyops.restore.drill.failed';

function serviceLink(name: string): string {
  return `/services/${encodeURIComponent(name)}`;
}

/** One service: who owns it, what it needs, how it is doing, how it changed, and what is wrong with it. */
export function ServicePage(props: { readonly name: string; readonly search: string }) {
  const model = useModel();
  return (
    <Loaded query={model} what="the ownership model">
      {(data: OwnershipModel | null) => {
        if (!data) {
          return (
            <section>
              <h1>{props.name}</h1>
              <p>No ownership model is loaded, so there is nothing to say about this service.</p>
            </section>
          );
        }
        const service = findService(data, props.name);
        if (!service) {
          return (
            <section>
              <h1>{props.name}</h1>
              <p>
                The ownership model has no service named <code>{props.name}</code>. <Link to={changesLink({ service: props.name, since: '7d' })}>Its ledger events, if any</Link>.
              </p>
            </section>
          );
        }
        return <ServiceDetail model={data} service={service} search={props.search} />;
      }}
    </Loaded>
  );
}

function ServiceDetail(props: { readonly model: OwnershipModel; readonly service: DetailService; readonly search: string }) {
  const { model, service } = props;
  return (
    <>
      <h1>
        {service.title ?? service.name} {service.title ? <span className="muted">{service.name}</span> : null}
      </h1>
      <p className="muted">
        Tier {service.tier ?? '?'} · {service.lifecycle ?? 'production'}
        {service.releasePolicy ? ` · release policy ${service.releasePolicy}` : ''}
        {service.repo ? (
          <>
            {' · '}
            <a href={service.repo.url}>{service.repo.url.replace(/^https?:\/\//, '')}</a>
          </>
        ) : null}
      </p>
      {service.description ? <p>{service.description}</p> : null}
      <div className="panels service-detail">
        <OwnersPanel model={model} service={service} />
        <DependenciesPanel model={model} service={service} />
        <SlosPanel service={service} />
        <DeployHistoryPanel service={service} />
        <RecentChangesPanel service={service} />
        <RunbooksPanel service={service.name} runbooks={service.runbooks ?? []} />
        <FindingsPanel service={service} />
        <RestorePanel model={model} service={service} />
      </div>
      <SloHistoryPanel service={service.name} slos={service.slos ?? []} range={sloRangeFromSearch(props.search)} search={props.search} path={serviceLink(service.name)} />
    </>
  );
}

function OwnersPanel(props: { readonly model: OwnershipModel; readonly service: DetailService }) {
  const team = findTeam(props.model, props.service.owner);
  const now = new Date();
  const oncall = team ? onCallNow(team, now) : undefined;
  const schedule = team?.oncall?.schedule;
  const leads = (team?.members ?? []).filter((member) => member.role === 'lead');
  return (
    <Panel name="owners" title="Owners and on-call" tone={team ? 'ok' : 'bad'}>
      <p className="answer" data-testid="owner">
        {team?.title ?? props.service.owner} <span className="muted">({props.service.owner})</span>
      </p>
      {!team ? <p className="bad-text">The model defines no team named {props.service.owner}.</p> : null}
      <ul className="rows">
        {leads.length > 0 ? <li>Lead: {leads.map((member) => member.name).join(', ')}</li> : null}
        {team?.members ? <li>{team.members.length} member{team.members.length === 1 ? '' : 's'}{team.timezone ? `, ${team.timezone}` : ''}</li> : null}
        {team?.chat ? <li>Chat: {team.chat.url ? <a href={team.chat.url}>{team.chat.channel}</a> : team.chat.channel}</li> : null}
        {oncall ? (
          <li data-testid="oncall">
            On call now: <strong>{oncall.member}</strong> <span className="muted">until {formatTime(oncall.until.toISOString())}{oncall.next ? `, then ${oncall.next}` : ''}</span>
          </li>
        ) : schedule ? (
          <li data-testid="oncall">
            On call: {schedule.provider} schedule {schedule.url ? <a href={schedule.url}>{schedule.id}</a> : schedule.id} <span className="muted">(the schedule lives in {schedule.provider})</span>
          </li>
        ) : (
          <li className="bad-text" data-testid="oncall">
            No on-call rotation or schedule in the model.
          </li>
        )}
      </ul>
    </Panel>
  );
}

function DependenciesPanel(props: { readonly model: OwnershipModel; readonly service: DetailService }) {
  const rows = dependencyRows(props.service, props.model);
  const usedBy = dependents(props.service.name, props.model);
  return (
    <Panel name="dependencies" title="Dependencies" tone="unknown">
      {rows.length === 0 ? <p className="answer">None in the model.</p> : null}
      <ul className="rows" aria-label="Depends on">
        {rows.map((row) => (
          <li key={`${row.kind} ${row.name}`} data-dependency={row.name}>
            {row.kind === 'service' && row.known ? <Link to={serviceLink(row.name)}>{row.name}</Link> : row.kind === 'datastore' && row.known ? <Link to={changesLink({ service: row.name, since: '7d' })}>{row.name}</Link> : <span>{row.name}</span>}{' '}
            <span className="muted">
              {row.kind}
              {row.critical ? ', critical' : ''}
              {!row.known && row.kind !== 'external' ? ', not in the model' : ''}
            </span>
          </li>
        ))}
      </ul>
      {usedBy.length > 0 ? (
        <p>
          Used by:{' '}
          {usedBy.map((name, i) => (
            <span key={name}>
              {i > 0 ? ', ' : ''}
              <Link to={serviceLink(name)}>{name}</Link>
            </span>
          ))}
        </p>
      ) : null}
    </Panel>
  );
}

function SlosPanel(props: { readonly service: DetailService }) {
  const name = props.service.name;
  const slos = useQuery({ queryKey: ['slos', name], queryFn: () => apiGet<SloReport>(`/api/v1/slos?service=${encodeURIComponent(name)}`), refetchInterval: 30_000 });
  const defined = props.service.slos ?? [];
  return (
    <Panel name="slos" title="SLOs and error budget" tone={slos.isError ? 'bad' : slos.data ? (slos.data.slos.some((slo) => slo.firing) ? 'bad' : 'ok') : 'unknown'}>
      {defined.length === 0 ? (
        <p className="answer">The model defines no SLO for this service.</p>
      ) : slos.isError ? (
        <>
          <ErrorNote error={slos.error} what="the error budget and burn rates" />
          <p className="muted">Defined in the model:</p>
          <ul className="rows">
            {defined.map((slo) => (
              <li key={slo.name}>
                {slo.name} <span className="muted">{slo.objective}% over {slo.period ?? '30d'}</span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <Loaded query={slos} what="SLO status">
          {(data: SloReport) => (
            <table>
              <caption className="sr-only">SLOs of {name}: budget left and current burn rate</caption>
              <thead>
                <tr>
                  <th scope="col">SLO</th>
                  <th scope="col">Env</th>
                  <th scope="col">Objective</th>
                  <th scope="col">Budget left</th>
                  <th scope="col">Burn</th>
                </tr>
              </thead>
              <tbody>
                {data.slos.map((slo) => (
                  <tr key={`${slo.slo} ${slo.environment}`} className={slo.firing ? 'bad' : ''} title={slo.summary}>
                    <td>{slo.slo}</td>
                    <td>{slo.environment}</td>
                    <td>
                      {slo.objective}% <span className="muted">{slo.period}</span>
                    </td>
                    <td>
                      {slo.noData || slo.budgetRemaining === undefined ? 'no data' : <a href="#slo-history-title">{formatPercent(slo.budgetRemaining)}</a>}
                      {slo.exhaustedAt ? <span className="muted"> out in {formatDuration(Date.parse(slo.exhaustedAt) - Date.now())}</span> : null}
                    </td>
                    <td>
                      {slo.currentBurn?.rate === undefined ? 'no data' : `${slo.currentBurn.rate.toFixed(1)}x (${slo.currentBurn.window})`}
                      {slo.firing ? <strong> {slo.firing}</strong> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Loaded>
      )}
    </Panel>
  );
}

function DeployHistoryPanel(props: { readonly service: DetailService }) {
  const name = props.service.name;
  const history = useChanges(`/api/v1/changes?since=30d&service=${encodeURIComponent(name)}&type=${deployHistoryTypes}&limit=40`);
  const now = new Date();
  const rows = history.data ? history.data.events.map(historyRow) : [];
  const tone = !history.data ? 'unknown' : rows.some((row) => row.tone === 'bad') ? 'bad' : rows.some((row) => row.kind === 'rollback') ? 'warn' : 'ok';
  return (
    <Panel name="deploys" title="Deploy history (30 days)" tone={tone} detail={{ to: changesLink({ service: name, since: '30d', type: deployHistoryTypes }), label: 'All deploys, gate decisions and rollbacks' }}>
      <Loaded query={history} what="the deploy history">
        {() =>
          rows.length === 0 ? (
            <p className="answer">No deploy, gate decision or rollback in 30 days.</p>
          ) : (
            <>
            {history.data?.next ? <p className="muted">The newest {rows.length}; the rest of the 30 days is on the Changes page.</p> : null}
            <table className="history">
              <caption className="sr-only">Deploys, gate decisions and rollbacks of {name}, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">What</th>
                  <th scope="col">Env</th>
                  <th scope="col">Detail</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.event.seq} data-kind={row.kind} className={row.tone === 'bad' ? 'bad' : ''}>
                    <td title={formatTime(row.event.time)}>{formatAge(row.event.time, now)}</td>
                    <td>
                      <Link to={eventLink(row.event)}>{row.what}</Link>
                    </td>
                    <td>{row.event.environment ?? '–'}</td>
                    <td>
                      {row.detail} <span className="muted">{personOf(row.event.actor)}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            </>
          )
        }
      </Loaded>
    </Panel>
  );
}

function RecentChangesPanel(props: { readonly service: DetailService }) {
  const name = props.service.name;
  const changes = useChanges(`/api/v1/changes?since=7d&service=${encodeURIComponent(name)}&limit=8`);
  const now = new Date();
  return (
    <Panel name="changes" title="Recent changes (7 days)" tone="unknown" detail={{ to: changesLink({ service: name, since: '7d' }), label: `All changes of ${name}` }}>
      <Loaded query={changes} what="recent changes">
        {(data: ChangesResponse) =>
          data.events.length === 0 ? (
            <p className="answer">Nothing changed in 7 days.</p>
          ) : (
            <ul className="rows">
              {data.events.map((event) => (
                <li key={event.seq}>
                  <Link to={eventLink(event)}>{shortType(event.type)}</Link> <span className="muted">{event.environment ?? ''} {formatAge(event.time, now)}</span>
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </Panel>
  );
}

function FindingsPanel(props: { readonly service: DetailService }) {
  const audit = useQuery({
    queryKey: ['audit'],
    staleTime: 60_000,
    queryFn: async () => {
      try {
        return await apiGet<{ readonly run?: { readonly at?: string; readonly findings?: readonly ServiceFinding[] } }>('/api/v1/audit');
      } catch (error) {
        // no audit run recorded yet, or no audit service: said plainly below
        if (error instanceof ApiError && (error.status === 404 || error.status === 503)) return null;
        throw error;
      }
    },
  });
  const findings = openFindingsOf(audit.data, props.service.name);
  return (
    <Panel name="findings" title="Open audit findings" tone={!audit.data ? 'unknown' : findings.length > 0 ? 'warn' : 'ok'}>
      <Loaded query={audit} what="the latest audit">
        {(report) =>
          !report ? (
            <p>No audit run is recorded yet, so there are no findings to show.</p>
          ) : findings.length === 0 ? (
            <p className="answer">None open.</p>
          ) : (
            <>
              <p className="answer">
                <Link to="/audit">{findings.length} open</Link> <span className="muted">in the audit of {report.run?.at ? formatTime(report.run.at) : '?'}</span>
              </p>
              <ul className="rows">
                {findings.map((finding) => (
                  <li key={finding.fingerprint} className={finding.severity === 'critical' || finding.severity === 'high' ? 'bad' : ''}>
                    <strong>{finding.severity}</strong> {finding.controlId}: {finding.title}{' '}
                    <span className="muted">
                      {finding.location ? `${finding.location.file}${finding.location.line ? `:${finding.location.line}` : ''}` : finding.resource}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          )
        }
      </Loaded>
    </Panel>
  );
}

function RestorePanel(props: { readonly model: OwnershipModel; readonly service: DetailService }) {
  const stores = serviceDatastores(props.service, props.model);
  const lookback = drillLookback(stores);
  const names = stores.map((store) => store.name).join(',');
  const drills = useChanges(`/api/v1/changes?since=${lookback}&service=${encodeURIComponent(names)}&type=${drillTypes}&limit=1000`, { enabled: stores.length > 0 });
  if (stores.length === 0) {
    return (
      <Panel name="restore" title="Restore status of its datastores" tone="unknown">
        <p className="answer">The service uses no datastore in the model.</p>
      </Panel>
    );
  }
  const now = new Date();
  const statuses = drills.data ? restoreStatuses(stores, drills.data.events, now) : undefined;
  return (
    <Panel name="restore" title="Restore status of its datastores" tone={restoreTone(statuses)} detail={{ to: changesLink({ service: names, since: lookback, type: typePrefix('restore') }), label: 'Restore drills of these datastores' }}>
      <Loaded query={drills} what="restore drills">
        {() => (
          <RestoreTable
            caption={`Last verified restore drill per datastore of ${props.service.name}`}
            statuses={statuses ?? []}
            now={now}
            verified={(status, age) => (status.lastVerified ? <Link to={eventLink(status.lastVerified)}>{age}</Link> : age)}
          />
        )}
      </Loaded>
    </Panel>
  );
}
