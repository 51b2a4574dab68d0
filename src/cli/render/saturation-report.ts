import { formatLabels, formatValue, type SaturationStatus } from '../../release/evaluate-saturation.ts';
import type { SaturationReport } from '../../release/saturation-service.ts';
import { renderTable } from './table.ts';

/** Worst first, one line per dependency, then the sentences for the saturated ones and those without data. */
export function renderSaturationReport(report: SaturationReport): string {
  if (report.dependencies.length === 0) return 'No dependency of the selected services declares a saturation query.\n';
  const table = renderTable(
    ['SERVICE', 'DEPENDENCY', 'ENV', 'VALUE', 'THRESHOLD', 'USE', 'HEADROOM', 'STATE', 'DESCRIPTION'],
    report.dependencies.map((status) => [
      status.service,
      `${status.kind}/${status.dependency}`,
      status.environment,
      status.value === undefined ? '-' : formatValue(status.value),
      formatValue(status.threshold),
      status.ratio === undefined ? '-' : `${Math.round(status.ratio * 100)}%`,
      status.headroom === undefined ? '-' : formatValue(status.headroom),
      state(status),
      describe(status),
    ]),
  );
  const notes = report.dependencies.filter((status) => status.saturated || status.noData).map((status) => `${status.summary}\n`);
  const verdict = `${report.saturated} of ${report.dependencies.length} dependencies saturated.\n`;
  return [table, ...(notes.length > 0 ? [notes.join('')] : []), verdict].join('\n');
}

function state(status: SaturationStatus): string {
  if (status.noData) return 'no data';
  return status.saturated ? 'SATURATED' : 'ok';
}

function describe(status: SaturationStatus): string {
  const text = status.description ?? status.query;
  return status.labels === undefined ? text : `${text}; highest series ${formatLabels(status.labels)}`;
}
