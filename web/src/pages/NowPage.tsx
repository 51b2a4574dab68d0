import { useQueries, useQuery } from '@tanstack/react-query';
import { ApiError, apiGet } from '../api.ts';
import type { ChangesResponse, OwnershipModel, SaturationReport, SloReport } from '../api-types.ts';
import { changesLink, typePrefix } from '../changes-filter.ts';
import { formatAge, formatDuration, formatPercent, formatTime, personOf, shortType } from '../format.ts';
import { alertEventsLink, eventLink } from '../event-links.ts';
import { Link } from '../Link.tsx';
import { isMissingRoute } from '../feature-detect.ts';
import { accessDecisions, drillLookback, fastestBurning, firingAlertsByOwner, recentReleases, restoreStatuses, type RollbackAnswer, rollbackTone, rollbackVerdictLabels } from '../now-panels.ts';
import { ErrorNote, Loaded, Panel } from '../Panel.tsx';
import { RestoreTable, restoreTone } from '../RestoreTable.tsx';
import { useChanges, useModel } from '../queries.ts';

const refresh = 30_000;
const accessTypes = 'dev.steadyops.access.approved,dev.steadyops.access.granted,dev.steadyops.access.breakglass';
const drillTypes = 'dev.steadyops.restore.drill.verified,dev.steadyops.restore.drill.failed';

/** Home: the five stressful questions, each answered from the API with a link to the events behind it. */
export function NowPage() {
  const model = useModel();
  return (
    <>
      <h1>Now</h1>
      <div className="panels">
        <ChangedPanel />
        <RollbackPanel />
        <SaturationPanel />
        <AccessPanel />
        <RestorePanel model={model.data ?? undefined} modelLoaded={model.isSuccess} />
        <AlertsPanel model={model.data ?? undefined} />
        <SloPanel />
      </div>
    </>
  );
}

function ChangedPanel() {
  const changes = useChanges('/api/v1/changes?since=30m&limit=100', { refetchInterval: refresh });
  const now = new Date();
  const count = changes.data?.events.length ?? 0;
  return (
    <Panel name="changed" title="What changed in the last 30 minutes?" tone={changes.data ? (count > 0 ? 'warn' : 'ok') : 'unknown'} detail={{ to: changesLink({ since: '30m' }), label: 'Timeline of the last 30 minutes' }}>
      <Loaded query={changes} what="the last 30 minutes of changes">
        {(data: ChangesResponse) =>
          data.events.length === 0 ? (
            <p className="answer">Nothing changed.</p>
          ) : (
            <>
              <p className="answer">
                <Link to={changesLink({ since: '30m' })}>
                  {data.events.length}
                  {data.next ? '+' : ''} change{data.events.length === 1 ? '' : 's'}
                </Link>
              </p>
              <ul className="rows">
                {data.events.slice(0, 6).map((event) => (
                  <li key={event.seq}>
                    <Link to={eventLink(event)}>{shortType(event.type)}</Link> <span className="subject">{event.subject ?? 'unowned'}</span>{' '}
                    <span className="muted">{formatAge(event.time, now)}</span>
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

function RollbackPanel() {
  const releases = useChanges('/api/v1/changes?since=24h&type=dev.steadyops.deploy.finished&limit=1000', { refetchInterval: refresh });
  const services = releases.data ? recentReleases(releases.data.events) : [];
  const checks = useQueries({
    queries: services.map((release) => {
      const path = `/api/v1/rollback/check?service=${encodeURIComponent(release.service)}${release.environment ? `&env=${encodeURIComponent(release.environment)}` : ''}`;
      return { queryKey: ['rollback-check', path], queryFn: () => apiGet<RollbackAnswer>(path), staleTime: 5 * 60_000 };
    }),
  });
  // the server has no rollback route (older server) or no repository to read: the CLI answers instead
  const failure = checks.find((check) => check.isError)?.error;
  const unavailable = failure !== undefined && (isMissingRoute(failure) || (failure instanceof ApiError && failure.code === 'SO_E_NOT_CONFIGURED'));
  const tone = unavailable ? 'unknown' : rollbackTone(checks.map((check) => check.data));
  return (
    <Panel name="rollback" title="Can we roll back without data loss?" tone={tone} detail={{ to: changesLink({ since: '24h', type: 'dev.steadyops.deploy.finished' }), label: 'Releases of the last 24 hours' }}>
      <Loaded query={releases} what="releases of the last 24 hours">
        {() => {
          if (services.length === 0) return <p className="answer">No service was released in the last 24 hours.</p>;
          if (unavailable) {
            return (
              <>
                <ErrorNote error={failure} what="rollback safety" />
                <p>Ask the CLI, which reads the release's git diff (migrations) and the previous ReplicaSet:</p>
                <ul className="rows">
                  {services.map((release) => (
                    <li key={release.service}>
                      <code>steadyops rollback check --service {release.service} --repo .</code> <span className="muted">{release.version ?? ''} {release.environment ?? ''}</span>
                    </li>
                  ))}
                </ul>
              </>
            );
          }
          return (
            <table>
              <caption className="sr-only">Rollback safety of each service's latest release of the last 24 hours</caption>
              <thead>
                <tr>
                  <th scope="col">Service</th>
                  <th scope="col">Release</th>
                  <th scope="col">Roll back</th>
                </tr>
              </thead>
              <tbody>
                {services.map((release, index) => {
                  const check = checks[index];
                  const answer = check?.data;
                  return (
                    <tr key={release.service} data-rollback={release.service} data-verdict={answer?.verdict} className={answer?.verdict === 'data-loss-risk' ? 'bad' : ''}>
                      <td>{release.service}</td>
                      <td>
                        <Link to={eventLink(release.event)}>{release.version ?? 'deploy'}</Link> <span className="muted">{release.environment ?? ''}</span>
                      </td>
                      <td>
                        {answer ? (
                          <>
                            <strong>{rollbackVerdictLabels[answer.verdict]}</strong> <span className={answer.verdict === 'safe' ? 'muted' : ''}>{answer.reason}</span>
                          </>
                        ) : check?.isError ? (
                          <ErrorNote error={check.error} what="this check" />
                        ) : (
                          <span className="muted">checking…</span>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          );
        }}
      </Loaded>
      <p className="muted">From the migrations between each release and the version before it, in the model's repository; the previous ReplicaSet is checked by <code>steadyops rollback check</code>.</p>
    </Panel>
  );
}

function SaturationPanel() {
  const saturation = useQuery({ queryKey: ['saturation'], queryFn: () => apiGet<SaturationReport>('/api/v1/saturation'), refetchInterval: refresh });
  const tone = saturation.isError ? 'bad' : saturation.data ? (saturation.data.saturated > 0 ? 'bad' : 'ok') : 'unknown';
  return (
    <Panel name="saturation" title="Which dependency is saturated?" tone={tone}>
      <Loaded query={saturation} what="dependency saturation">
        {(data: SaturationReport) => (
          <>
            <p className="answer">{data.saturated === 0 ? 'None is saturated.' : `${data.saturated} saturated`}</p>
            <ul className="rows">
              {data.dependencies.slice(0, 6).map((dependency) => (
                <li key={`${dependency.service} ${dependency.environment} ${dependency.dependency}`} className={dependency.saturated ? 'bad' : ''}>
                  <Link to={changesLink({ service: dependency.dependency, since: '24h' })}>{dependency.dependency}</Link> <span className="muted">of {dependency.service}</span>{' '}
                  {dependency.noData ? 'no data' : dependency.ratio === undefined ? '' : `${formatPercent(dependency.ratio, 0)} of threshold`}
                </li>
              ))}
            </ul>
          </>
        )}
      </Loaded>
    </Panel>
  );
}

function AccessPanel() {
  const access = useChanges(`/api/v1/changes?since=7d&type=${accessTypes}&limit=200`, { refetchInterval: refresh });
  const unapproved = access.data ? accessDecisions(access.data.events).some((decision) => !decision.approver) : undefined;
  const now = new Date();
  return (
    <Panel name="access" title="Who approved privileged access? (7 days)" tone={unapproved === undefined ? 'unknown' : unapproved ? 'bad' : 'ok'} detail={{ to: changesLink({ since: '7d', type: typePrefix('access') }), label: 'All access events of the last 7 days' }}>
      <Loaded query={access} what="access approvals">
        {(data: ChangesResponse) => {
          const decisions = accessDecisions(data.events);
          if (decisions.length === 0) return <p className="answer">Nobody was granted privileged access.</p>;
          return (
            <table>
              <caption className="sr-only">Access approvals and grants, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Role</th>
                  <th scope="col">Requester</th>
                  <th scope="col">Approver</th>
                </tr>
              </thead>
              <tbody>
                {decisions.slice(0, 8).map((decision) => (
                  <tr key={decision.event.seq} className={decision.verb === 'breakglass' || !decision.approver ? 'bad' : ''}>
                    <td>
                      <Link to={eventLink(decision.event)}>
                        <span title={formatTime(decision.event.time)}>{formatAge(decision.event.time, now)}</span>
                      </Link>
                    </td>
                    <td>
                      {decision.role} <span className="muted">{decision.verb}</span>
                    </td>
                    <td>{personOf(decision.requester)}</td>
                    <td>
                      {decision.verb === 'breakglass' ? (
                        <strong>break-glass, no approval</strong>
                      ) : decision.approver ? (
                        personOf(decision.approver)
                      ) : (
                        <>
                          <strong>no approval recorded</strong> <span className="muted">granted by {personOf(decision.event.actor)}</span>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          );
        }}
      </Loaded>
    </Panel>
  );
}

function RestorePanel(props: { readonly model: OwnershipModel | undefined; readonly modelLoaded: boolean }) {
  const lookback = drillLookback(props.model?.datastores ?? []);
  const drills = useChanges(`/api/v1/changes?since=${lookback}&type=${drillTypes}&limit=1000`, { enabled: props.model !== undefined, refetchInterval: refresh });
  if (props.modelLoaded && !props.model) {
    return (
      <Panel name="restore" title="When was restore last tested?" tone="unknown">
        <p>No ownership model is loaded, so there are no datastores to report on.</p>
      </Panel>
    );
  }
  const now = new Date();
  const statuses = drills.data ? restoreStatuses(props.model?.datastores ?? [], drills.data.events, now) : undefined;
  return (
    <Panel name="restore" title="When was restore last tested?" tone={restoreTone(statuses)} detail={{ to: changesLink({ since: lookback, type: typePrefix('restore') }), label: 'All restore drills' }}>
      <Loaded query={drills} what="restore drills">
        {() => (
          <RestoreTable
            caption="Last verified restore drill per datastore"
            statuses={statuses ?? []}
            now={now}
            name={(status) => <Link to={changesLink({ service: status.datastore, since: lookback, type: typePrefix('restore') })}>{status.datastore}</Link>}
          />
        )}
      </Loaded>
    </Panel>
  );
}

function AlertsPanel(props: { readonly model: OwnershipModel | undefined }) {
  const alerts = useChanges('/api/v1/changes?since=7d&type=dev.steadyops.alert.*&limit=1000', { refetchInterval: refresh });
  const now = new Date();
  const firing = alerts.data ? firingAlertsByOwner(alerts.data.events, props.model).length > 0 : undefined;
  return (
    <Panel name="alerts" title="Firing alerts by owner" tone={firing === undefined ? 'unknown' : firing ? 'warn' : 'ok'} detail={{ to: changesLink({ since: '24h', type: typePrefix('alert') }), label: 'Alert events' }}>
      <Loaded query={alerts} what="alerts">
        {(data: ChangesResponse) => {
          const owners = firingAlertsByOwner(data.events, props.model);
          if (owners.length === 0) return <p className="answer">No alert is firing.</p>;
          return (
            <>
              <p className="answer">
                <Link to={alertEventsLink('7d')}>{owners.reduce((sum, owner) => sum + owner.alerts.length, 0)} firing</Link>
              </p>
              <ul className="rows">
                {owners.map((owner) => (
                  <li key={owner.owner}>
                    <strong>
                      <Link to={alertEventsLink('7d', owner.owner)}>{owner.owner}</Link>
                    </strong>
                    :{' '}
                    {owner.alerts.slice(0, 4).map((alert, i) => (
                      <span key={alert.event.seq}>
                        {i > 0 ? ', ' : ''}
                        <Link to={eventLink(alert.event)}>{alert.alertname}</Link> <span className="muted">({alert.service ?? '?'}, {formatAge(alert.event.time, now)})</span>
                      </span>
                    ))}
                    {owner.alerts.length > 4 ? (
                      <>
                        {' and '}
                        <Link to={alertEventsLink('7d', owner.owner)}>{owner.alerts.length - 4} more</Link>
                      </>
                    ) : null}
                  </li>
                ))}
              </ul>
              {data.next ? <p className="muted">Only the newest 1,000 alert events of 7 days were read.</p> : null}
            </>
          );
        }}
      </Loaded>
    </Panel>
  );
}

function SloPanel() {
  const slos = useQuery({ queryKey: ['slos'], queryFn: () => apiGet<SloReport>('/api/v1/slos'), refetchInterval: refresh });
  return (
    <Panel name="slos" title="SLOs burning fastest" tone={slos.isError ? 'bad' : slos.data ? 'ok' : 'unknown'}>
      <Loaded query={slos} what="SLO status">
        {(data: SloReport) => (
          <table>
            <caption className="sr-only">SLOs by current burn rate, fastest first</caption>
            <thead>
              <tr>
                <th scope="col">SLO</th>
                <th scope="col">Burn</th>
                <th scope="col">Budget left</th>
              </tr>
            </thead>
            <tbody>
              {fastestBurning(data.slos).map((slo) => (
                <tr key={`${slo.service} ${slo.slo} ${slo.environment}`} className={slo.firing ? 'bad' : ''} title={slo.summary}>
                  <td>
                    <Link to={changesLink({ service: slo.service, since: '24h' })}>{slo.service}</Link> {slo.slo}
                  </td>
                  <td>
                    {slo.currentBurn?.rate === undefined ? 'no data' : <Link to={`/services/${encodeURIComponent(slo.service)}`}>{`${slo.currentBurn.rate.toFixed(1)}x (${slo.currentBurn.window})`}</Link>}
                  </td>
                  <td>
                    {slo.budgetRemaining === undefined ? '–' : formatPercent(slo.budgetRemaining)}
                    {slo.exhaustedAt ? <span className="muted"> out in {formatDuration(Date.parse(slo.exhaustedAt) - Date.now())}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Loaded>
    </Panel>
  );
}
