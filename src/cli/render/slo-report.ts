import { formatDuration } from '../../lib/duration.ts';
import type { SloReport } from '../../slo/slo-status-service.ts';
import { formatPercent, formatRate, type SloStatus } from '../../slo/slo-status.ts';
import { renderTable } from './table.ts';

/** One line per SLO, then each SLO's sentences and its burn rates per alert window. */
export function renderSloReport(report: SloReport): string {
  if (report.slos.length === 0) return 'No SLOs are declared for the selected services.\n';
  const overview = renderTable(
    ['SERVICE', 'SLO', 'ENV', 'SLI', 'OBJECTIVE', 'BUDGET LEFT', 'BURN NOW', 'ALERT'],
    report.slos.map((status) => [
      status.service,
      status.slo,
      status.environment,
      status.sli === undefined ? 'no data' : formatPercent(status.sli, 3),
      `${status.objective}% / ${status.period}`,
      budgetCell(status),
      status.currentBurn.rate === undefined ? '-' : `${formatRate(status.currentBurn.rate)} (${status.currentBurn.window})`,
      status.firing ?? '-',
    ]),
  );
  return [overview, ...report.slos.map(renderDetail)].join('\n');
}

function budgetCell(status: SloStatus): string {
  if (status.budgetRemaining === undefined || status.budgetRemainingMs === undefined) return '-';
  const total = formatDuration(status.budgetTotalMs);
  if (status.budgetRemaining < 0) return `${formatPercent(status.budgetRemaining, 1)} (overspent ${formatDuration(-status.budgetRemainingMs)} of ${total})`;
  return `${formatPercent(status.budgetRemaining, 1)} (${formatDuration(status.budgetRemainingMs)} of ${total})`;
}

function renderDetail(status: SloStatus): string {
  const heading = `${status.service} ${status.slo} (${status.environment}): ${status.summary}\n`;
  if (status.noData) return heading;
  const windows = renderTable(
    ['ALERT', 'FACTOR', 'WINDOWS', 'LONG', 'SHORT', 'FIRING'],
    status.burnRates.map((rate) => [rate.severity, `${rate.factor}x`, rate.window, rateCell(rate.long), rateCell(rate.short), rate.firing ? 'yes' : 'no']),
  );
  return `${heading}${windows.replace(/^(?=.)/gm, '  ')}`;
}

function rateCell(rate: number | undefined): string {
  return rate === undefined ? 'no data' : formatRate(rate);
}
