import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { apiGet } from '../api.ts';
import { changesLink, typePrefix } from '../changes-filter.ts';
import { isMissingRoute } from '../feature-detect.ts';
import { formatTime } from '../format.ts';
import { eventSeqLink } from '../event-links.ts';
import { Link } from '../Link.tsx';
import {
  evidenceLink,
  formatMetric,
  type MetricFigure,
  type MetricsFilter,
  metricsApiQuery,
  metricsFilterFromSearch,
  metricsFilterToSearch,
  metricsPagePath,
  metricsPeriods,
  type MetricsReportView,
  trendBars,
  trendText,
} from '../metrics-view.ts';
import { ErrorNote } from '../Panel.tsx';
import { useModel } from '../queries.ts';
import { navigate } from '../router.ts';

const shownSeqs = 40;

/** DORA's delivery metrics and incident response figures for a scope and period, each linked to the ledger events behind it. */
export function MetricsPage(props: { readonly search: string }) {
  const filter = metricsFilterFromSearch(props.search);
  const path = metricsApiQuery(filter);
  const report = useQuery({ queryKey: ['metrics', path], queryFn: () => apiGet<MetricsReportView>(path) });
  const apply = (change: Partial<MetricsFilter>): void => navigate(`${metricsPagePath}${metricsFilterToSearch({ ...filter, ...change })}`);
  return (
    <>
      <h1>Metrics</h1>
      <Filters filter={filter} apply={apply} />
      {report.isPending ? <p className="muted">Computing metrics…</p> : null}
      {report.isError ? (
        isMissingRoute(report.error) ? (
          <p className="error" role="status" data-testid="not-available">
            <strong>Metrics are not available on this server</strong> (it has no /api/v1/metrics route).
          </p>
        ) : (
          <ErrorNote error={report.error} what="the metrics" />
        )
      ) : null}
      {report.data ? <Report report={report.data} filter={filter} /> : null}
    </>
  );
}

function Filters(props: { readonly filter: MetricsFilter; readonly apply: (change: Partial<MetricsFilter>) => void }) {
  const model = useModel();
  const [service, setService] = useState(props.filter.service);
  const [env, setEnv] = useState(props.filter.env);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    props.apply({ service: service.trim(), env: env.trim() || 'production' });
  };
  return (
    <form className="filters" onSubmit={submit} aria-label="Metrics scope">
      <label>
        Period{' '}
        <select value={props.filter.period} onChange={(event) => props.apply({ period: event.target.value })}>
          {metricsPeriods.map((period) => (
            <option key={period} value={period}>
              last {period}
            </option>
          ))}
        </select>
      </label>{' '}
      <label>
        Team{' '}
        <select value={props.filter.team} onChange={(event) => props.apply({ team: event.target.value, service: '' })}>
          <option value="">every team</option>
          {(model.data?.teams ?? []).map((team) => (
            <option key={team.name} value={team.name}>
              {team.title ?? team.name}
            </option>
          ))}
        </select>
      </label>{' '}
      <label>
        Service <input value={service} onChange={(event) => setService(event.target.value)} placeholder="every service" />
      </label>{' '}
      <label>
        Environment <input value={env} onChange={(event) => setEnv(event.target.value)} size={12} />
      </label>{' '}
      <button type="submit">Apply</button>
    </form>
  );
}

function Report(props: { readonly report: MetricsReportView; readonly filter: MetricsFilter }) {
  const { report, filter } = props;
  const window = { since: report.period.start, until: report.period.end, service: filter.service, team: filter.team };
  const severities = Object.entries(report.incidents.bySeverity);
  return (
    <>
      <p className="muted" data-testid="metrics-scope">
        {report.scope.label} · {report.scope.environment} · {formatTime(report.period.start)} to {formatTime(report.period.end)}, compared with the {report.period.label} before
      </p>
      <p>
        <Link to={changesLink({ ...window, type: typePrefix('deploy') })}>
          {report.deploys.count} deploy{report.deploys.count === 1 ? '' : 's'}
        </Link>
        {', '}
        {report.deploys.failed} failed
        {report.deploys.withoutLineage > 0 ? (
          <>
            {', '}
            <span className="warn-text">{report.deploys.withoutLineage} without lineage</span> (no commits recorded, left out of lead time
            {report.deploys.withoutLineageEvidence[0] !== undefined ? (
              <>
                {'; '}
                <Link to={eventSeqLink(report.deploys.withoutLineageEvidence.at(-1) as number)}>the newest</Link>
              </>
            ) : null}
            )
          </>
        ) : null}
        {' · '}
        <Link to={changesLink({ ...window, type: typePrefix('incident') })}>
          {report.incidents.count} incident{report.incidents.count === 1 ? '' : 's'}
        </Link>
        {severities.length > 0 ? ` (${severities.map(([severity, count]) => `${count} ${severity}`).join(', ')})` : ''}
      </p>
      <div className="panels metrics">
        {report.metrics.map((metric) => (
          <MetricCard key={metric.key} metric={metric} report={report} filter={filter} />
        ))}
      </div>
    </>
  );
}

function MetricCard(props: { readonly metric: MetricFigure; readonly report: MetricsReportView; readonly filter: MetricsFilter }) {
  const { metric } = props;
  const bars = trendBars(metric.value, metric.trend.previous);
  const tone = metric.value === null ? 'unknown' : metric.trend.better === false ? 'warn' : metric.band?.level === 'low' ? 'bad' : 'ok';
  return (
    <section className={`panel tone-${tone}`} aria-labelledby={`metric-${metric.key}`} data-metric={metric.key}>
      <h2 id={`metric-${metric.key}`}>{metric.name}</h2>
      <p className="answer">
        {metric.value === null ? <span className="muted">not measured</span> : <Link to={evidenceLink(metric.key, props.report, props.filter)}>{formatMetric(metric.value, metric.unit)}</Link>}
        {metric.band ? (
          <span className={`badge band-${metric.band.level}`} title={metric.band.source}>
            {' '}
            DORA {metric.band.level}
          </span>
        ) : null}
      </p>
      <p className={metric.trend.better === false ? 'warn-text' : metric.trend.better ? 'trend-up' : 'muted'}>{trendText(metric.trend, metric.unit)}</p>
      <div className="bars" aria-hidden="true">
        <div className="bar current" style={{ width: `${Math.round(bars.current * 100)}%` }} />
        <div className="bar previous" style={{ width: `${Math.round(bars.previous * 100)}%` }} />
      </div>
      <p>{metric.sentence}</p>
      {metric.spread ? (
        <p className="muted">
          {metric.spread.count} measured · mean {formatMetric(metric.spread.mean, metric.unit)} · median {formatMetric(metric.spread.median, metric.unit)}
        </p>
      ) : null}
      {metric.ratio ? (
        <p className="muted">
          {metric.ratio.numerator} of {metric.ratio.denominator}
        </p>
      ) : null}
      <details>
        <summary>
          From {metric.evidence.length} ledger event{metric.evidence.length === 1 ? '' : 's'}
        </summary>
        <p className="evidence">
          {metric.evidence.slice(-shownSeqs).map((seq) => (
            <span key={seq}>
              <Link to={eventSeqLink(seq)}>#{seq}</Link>{' '}
            </span>
          ))}
          {metric.evidence.length > shownSeqs ? <span className="muted">and {metric.evidence.length - shownSeqs} older (all in the JSON answer and on the Changes page)</span> : null}
        </p>
      </details>
    </section>
  );
}
