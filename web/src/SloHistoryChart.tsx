/**
 * An SLO's burn rates and error budget over time, drawn with uPlot. Loaded lazily: the Service page imports it with
 * React.lazy, so uPlot is fetched only when a chart is shown.
 */
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { SloHistory } from './api-types.ts';
import { formatPercent, formatTime } from './format.ts';
import { formatBurn, latestValues } from './slo-history-view.ts';

// the dark theme's own colours (styles.css): lines that read on a dark panel at 2 a.m.
const colours = { axis: '#9da7b3', grid: '#30363d', lines: ['#ff7b72', '#d29922', '#79c0ff'], budget: '#3fb950' };

function axes(format: (value: number) => string): uPlot.Axis[] {
  const common = { stroke: colours.axis, grid: { stroke: colours.grid, width: 1 }, ticks: { stroke: colours.grid, width: 1 } };
  return [common, { ...common, size: 60, values: (_plot, splits) => splits.map(format) }];
}

function Chart(props: { readonly label: string; readonly options: Omit<uPlot.Options, 'width' | 'height'>; readonly data: uPlot.AlignedData }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return undefined;
    const plot = new uPlot({ ...props.options, width: Math.max(element.clientWidth, 280), height: 180 }, props.data, element);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(element.clientWidth, 280), height: 180 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [props.options, props.data]);
  return <div ref={box} className="chart" role="img" aria-label={props.label} />;
}

/** Axis times in UTC, as everywhere else on the dashboard (teams span time zones). */
const utc = (seconds: number): Date => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC');

function chartsOf(history: SloHistory) {
  const xs = history.timestamps as number[];
  const burnData: uPlot.AlignedData = [xs, ...history.burnRates.map((line) => line.values as (number | null)[])];
  const burnOptions: Omit<uPlot.Options, 'width' | 'height'> = {
    tzDate: utc,
    scales: { x: { time: true } },
    axes: axes((value) => formatBurn(value)),
    legend: { show: true },
    series: [{}, ...history.burnRates.map((line, index) => ({ label: `burn ${line.window} (page at ${line.factor}x)`, stroke: colours.lines[index % colours.lines.length] as string, width: 2, spanGaps: false }))],
  };
  const budgetData: uPlot.AlignedData = [xs, history.budgetRemaining as (number | null)[]];
  const budgetOptions: Omit<uPlot.Options, 'width' | 'height'> = {
    tzDate: utc,
    scales: { x: { time: true } },
    axes: axes((value) => formatPercent(value, 0)),
    legend: { show: true },
    series: [{}, { label: 'budget left', stroke: colours.budget, width: 2, fill: 'rgba(63, 185, 80, 0.12)', spanGaps: false }],
  };
  return { burnData, burnOptions, budgetData, budgetOptions };
}

/** Two charts (burn rate per page window, budget left) and a table of the latest values for screen readers and for reading off. */
export default function SloHistoryChart(props: { readonly history: SloHistory }) {
  const { history } = props;
  const { burnData, burnOptions, budgetData, budgetOptions } = useMemo(() => chartsOf(history), [history]);
  const latest = latestValues(history);
  const what = `${history.service} ${history.slo} in ${history.environment}, last ${history.range}`;
  return (
    <div className="slo-history" data-slo-history={history.slo}>
      <Chart label={`Burn rate of ${what}`} options={burnOptions} data={burnData} />
      <Chart label={`Error budget left of ${what}`} options={budgetOptions} data={budgetData} />
      <table className="latest">
        <caption>Latest values of {what}</caption>
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Latest</th>
            <th scope="col">At</th>
          </tr>
        </thead>
        <tbody>
          {latest.map((entry) => (
            <tr key={entry.label} className={entry.factor !== undefined && entry.value !== null && entry.value > entry.factor ? 'bad' : ''}>
              <td>{entry.label}</td>
              <td>{entry.value === null ? 'no data' : entry.factor !== undefined ? `${formatBurn(entry.value)} (page above ${entry.factor}x)` : formatPercent(entry.value)}</td>
              <td>{entry.at === null ? '–' : formatTime(new Date(entry.at * 1000).toISOString())}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
