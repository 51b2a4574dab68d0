import { useQuery } from '@tanstack/react-query';
import { type FormEvent, lazy, Suspense, useState } from 'react';
import { ApiError, apiGet } from '../api.ts';
import type { AuditReport, CatalogModel, SloReport } from '../api-types.ts';
import { formatAge, formatTime } from '../format.ts';
import { Link } from '../Link.tsx';
import { ErrorNote, Loaded } from '../Panel.tsx';
import { useChanges, useModel } from '../queries.ts';
import { navigate } from '../router.ts';
import {
  type CatalogFilter,
  type CatalogRow,
  catalogFilterFromSearch,
  catalogFilterToSearch,
  catalogRows,
  catalogSorts,
  filterRows,
  lastDeploysApiQuery,
  latestDeploys,
  maturityByService,
  serviceDetailLink,
  sloByService,
  sortRows,
} from '../services-catalog.ts';

// the map (xyflow, elkjs) is a chunk of its own, fetched only when the map is shown
const ServicesMap = lazy(() => import('./ServicesMap.tsx'));

/** The service catalog and the ownership map; search, filters, sort and view live in the URL. */
export function ServicesPage(props: { readonly search: string }) {
  const filter = catalogFilterFromSearch(props.search);
  const model = useModel();
  const apply = (change: Partial<CatalogFilter>): void => navigate(`/services${catalogFilterToSearch({ ...filter, ...change })}`);
  return (
    <>
      <h1>Services</h1>
      <Loaded query={model} what="the ownership model">
        {(data) =>
          data === null ? (
            <p className="error" role="status">
              No ownership model is loaded, so there is no catalog. Start the server with a model folder (<code>steadyops serve --model DIR</code>).
            </p>
          ) : (
            <>
              <Filters key={props.search} filter={filter} model={data as CatalogModel} apply={apply} />
              <nav className="tabs" aria-label="Services views">
                <Link to={`/services${catalogFilterToSearch({ ...filter, view: 'catalog' })}`} aria-current={filter.view === 'catalog' ? 'page' : undefined}>
                  Catalog
                </Link>
                <Link to={`/services${catalogFilterToSearch({ ...filter, view: 'map' })}`} aria-current={filter.view === 'map' ? 'page' : undefined}>
                  Ownership map
                </Link>
              </nav>
              {filter.view === 'map' ? (
                <section aria-labelledby="map-title">
                  <h2 id="map-title">Ownership map{filter.team ? ` of team ${filter.team}` : ''}</h2>
                  <p className="muted">Teams contain what they own; arrows are dependencies (red: critical). Select a service to open it, a team to filter the catalog.</p>
                  <Suspense fallback={<p className="muted">Loading the ownership map…</p>}>
                    <ServicesMap model={data as CatalogModel} team={filter.team} onTeam={(team) => apply({ team, view: 'catalog' })} />
                  </Suspense>
                </section>
              ) : (
                <Catalog model={data as CatalogModel} filter={filter} />
              )}
            </>
          )
        }
      </Loaded>
    </>
  );
}

function Filters(props: { readonly filter: CatalogFilter; readonly model: CatalogModel; readonly apply: (change: Partial<CatalogFilter>) => void }) {
  const [q, setQ] = useState(props.filter.q);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    props.apply({ q });
  };
  return (
    <form className="filters" role="search" aria-label="Filter services" onSubmit={submit}>
      <label>
        Search
        <input name="q" type="search" value={q} placeholder="name, team, description" onChange={(event) => setQ(event.target.value)} />
      </label>
      <label>
        Team
        <select name="team" value={props.filter.team} onChange={(event) => props.apply({ q, team: event.target.value })}>
          <option value="">any</option>
          {props.model.teams.map((team) => (
            <option key={team.name} value={team.name}>
              {team.title ?? team.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Tier
        <select name="tier" value={props.filter.tier} onChange={(event) => props.apply({ q, tier: event.target.value })}>
          <option value="">any</option>
          <option value="1">tier 1</option>
          <option value="2">tier 2</option>
          <option value="3">tier 3</option>
        </select>
      </label>
      <label>
        Sort by
        <select name="sort" value={props.filter.sort} onChange={(event) => props.apply({ q, sort: event.target.value as CatalogFilter['sort'] })}>
          {catalogSorts.map((sort) => (
            <option key={sort.value} value={sort.value}>
              {sort.label}
            </option>
          ))}
        </select>
      </label>
      <div className="filter-actions">
        <button type="submit">Search</button>
        <button type="button" onClick={() => navigate(`/services${catalogFilterToSearch({ q: '', team: '', tier: '', sort: 'name', view: props.filter.view })}`)}>
          Reset
        </button>
      </div>
    </form>
  );
}

/** The latest audit report, or null when none has run yet (404). */
function useAudit() {
  return useQuery({
    queryKey: ['audit'],
    staleTime: 60_000,
    retry: false,
    queryFn: async () => {
      try {
        return await apiGet<AuditReport>('/api/v1/audit');
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
}

function Catalog(props: { readonly model: CatalogModel; readonly filter: CatalogFilter }) {
  const slos = useQuery({ queryKey: ['slos'], queryFn: () => apiGet<SloReport>('/api/v1/slos'), retry: false, staleTime: 30_000 });
  const deploys = useChanges(lastDeploysApiQuery);
  const audit = useAudit();
  const now = new Date();
  const rows = catalogRows(props.model, {
    ...(slos.data ? { slos: sloByService(slos.data.slos) } : {}),
    ...(deploys.data ? { deploys: latestDeploys(deploys.data.events) } : {}),
    ...(audit.data ? { maturity: maturityByService(audit.data.scorecards) } : {}),
  });
  const shown = sortRows(filterRows(rows, props.filter), props.filter.sort);
  return (
    <section aria-labelledby="catalog-title">
      <h2 id="catalog-title" className="sr-only">
        Catalog
      </h2>
      <div className="notes" data-testid="catalog-notes">
        {slos.isError ? <ErrorNote error={slos.error} what="SLO status" /> : null}
        {deploys.isError ? <ErrorNote error={deploys.error} what="last deploys" /> : null}
        {audit.isError ? <ErrorNote error={audit.error} what="findings and maturity" /> : null}
        {audit.data === null ? <p className="muted">No audit has run yet: findings and maturity appear after the first run.</p> : null}
      </div>
      <p className="muted" aria-live="polite">
        {shown.length === rows.length ? `${rows.length} services` : `${shown.length} of ${rows.length} services match`}
      </p>
      {shown.length === 0 ? null : (
        <table className="catalog">
          <caption className="sr-only">Services, with owner, tier, on-call, SLO status, last deploy, open findings and maturity</caption>
          <thead>
            <tr>
              <th scope="col">Service</th>
              <th scope="col">Owner</th>
              <th scope="col">Tier</th>
              <th scope="col">On-call</th>
              <th scope="col">SLOs</th>
              <th scope="col">Last deploy</th>
              <th scope="col">Open findings</th>
              <th scope="col">Maturity</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((row) => (
              <CatalogLine key={row.name} row={row} now={now} slosPending={slos.isPending} slosFailed={slos.isError} deploysPending={deploys.isPending} auditPending={audit.isPending} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const sloLabel = { page: 'paging', ticket: 'ticket alert', exhausted: 'budget spent', nodata: 'no data', ok: 'ok' } as const;

function CatalogLine(props: {
  readonly row: CatalogRow;
  readonly now: Date;
  readonly slosPending: boolean;
  readonly slosFailed: boolean;
  readonly deploysPending: boolean;
  readonly auditPending: boolean;
}) {
  const { row } = props;
  const bad = row.slo?.state === 'page' || row.slo?.state === 'exhausted';
  return (
    <tr data-service={row.name}>
      <td className="subject">
        <Link to={serviceDetailLink(row.name)}>{row.name}</Link>
        {row.description ? <div className="muted small">{row.description}</div> : null}
      </td>
      <td>
        <Link to={`/services${catalogFilterToSearch({ q: '', team: row.team, tier: '', sort: 'name', view: 'catalog' })}`}>{row.teamTitle}</Link>
      </td>
      <td className="num">{row.tier ?? '–'}</td>
      <td>{row.oncallUrl ? <a href={row.oncallUrl}>{row.oncall}</a> : row.oncall}</td>
      <td className={bad ? 'bad-text' : undefined} title={row.slo?.summary}>
        {row.slo ? `${sloLabel[row.slo.state]} (${row.slo.count})` : props.slosPending ? '…' : props.slosFailed ? <span className="muted">unknown</span> : <span className="muted">none</span>}
      </td>
      <td>
        {row.lastDeploy ? (
          <Link to={`/events/${encodeURIComponent(row.lastDeploy.id)}?source=${encodeURIComponent(row.lastDeploy.source)}`}>
            <span title={formatTime(row.lastDeploy.time)}>{formatAge(row.lastDeploy.time, props.now)}</span>
            {row.lastDeploy.version ? ` ${row.lastDeploy.version}` : ''}
            {row.lastDeploy.environment ? ` to ${row.lastDeploy.environment}` : ''}
          </Link>
        ) : props.deploysPending ? (
          '…'
        ) : (
          <span className="muted">none in 30 days</span>
        )}
      </td>
      <td className="num">{row.maturity ? row.maturity.openFindings : props.auditPending ? '…' : '–'}</td>
      <td>{row.maturity ? <span className={`level level-${row.maturity.level}`}>{row.maturity.level}</span> : props.auditPending ? '…' : '–'}</td>
    </tr>
  );
}
