import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { apiGet } from './api.ts';
import type { SloHistory } from './api-types.ts';
import { Link } from './Link.tsx';
import { ErrorNote } from './Panel.tsx';
import { historyIsEmpty, searchWithSloRange, sloHistoryPath, sloHistoryRanges, type SloHistoryRange } from './slo-history-view.ts';

// uPlot is a chunk of its own, fetched only when a chart is drawn
const SloHistoryChart = lazy(() => import('./SloHistoryChart.tsx'));

/** Burn-rate and budget charts of each SLO of a service, over the range the URL names. */
export function SloHistoryPanel(props: { readonly service: string; readonly slos: ReadonlyArray<{ readonly name: string }>; readonly range: SloHistoryRange; readonly search: string; readonly path: string }) {
  if (props.slos.length === 0) return null;
  return (
    <section className="panel tone-unknown wide" aria-labelledby="slo-history-title" data-panel="slo-history">
      <h2 id="slo-history-title">Burn rate and error budget over time</h2>
      <p role="group" aria-label="Chart range" className="range-picker">
        {sloHistoryRanges.map((range) => (
          <span key={range}>
            {range === props.range ? (
              <strong aria-current="true">last {range}</strong>
            ) : (
              <Link to={`${props.path}${searchWithSloRange(props.search, range)}`}>last {range}</Link>
            )}{' '}
          </span>
        ))}
      </p>
      {props.slos.map((slo) => (
        <OneSloHistory key={slo.name} service={props.service} slo={slo.name} range={props.range} />
      ))}
    </section>
  );
}

function OneSloHistory(props: { readonly service: string; readonly slo: string; readonly range: SloHistoryRange }) {
  const path = sloHistoryPath(props.service, props.slo, props.range);
  const history = useQuery({ queryKey: ['slo-history', path], queryFn: () => apiGet<SloHistory>(path), refetchInterval: 60_000 });
  return (
    <div className="slo-history-one" data-slo={props.slo}>
      <h3>{props.slo}</h3>
      {history.isPending ? (
        <p className="muted">Loading the history of {props.slo}…</p>
      ) : history.isError ? (
        <ErrorNote error={history.error} what={`the history of ${props.slo}`} />
      ) : historyIsEmpty(history.data) ? (
        <p className="answer">No data: Prometheus has no sample of this SLO's metrics in the last {props.range}.</p>
      ) : (
        <Suspense fallback={<p className="muted">Loading the chart…</p>}>
          <SloHistoryChart history={history.data} />
        </Suspense>
      )}
    </div>
  );
}
