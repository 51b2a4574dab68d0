import type { GateOutcome } from '../../release/gate-service.ts';
import type { CheckResult } from '../../release/types.ts';
import { type WorkflowCommandLevel, workflowCommand } from '../../lib/workflow-command.ts';
import { renderTable } from './table.ts';

/** The plain-text report: the verdict, the override if any, then every check with why. */
export function renderGateText(outcome: GateOutcome): string {
  const table = renderTable(
    ['CHECK', 'MODE', 'OUTCOME', 'WHY'],
    outcome.results.map((result) => [result.type, result.mode, result.outcome, result.reason]),
  );
  return `${headline(outcome)}\n${notes(outcome).map((line) => `${line}\n`).join('')}\n${table}`;
}

function headline(outcome: GateOutcome): string {
  const { service, environment, version } = outcome.request;
  const verdict = outcome.decision === 'allow' ? 'ALLOW' : 'DENY';
  return `${verdict}: ${service} ${version} to ${environment} (release policy ${outcome.policy}, ledger seq ${outcome.seq})`;
}

function notes(outcome: GateOutcome): string[] {
  const lines: string[] = [];
  if (outcome.override) {
    lines.push(`Overridden: the policy denied this release; ${outcome.override.by} overrode it at ${outcome.override.at} (seq ${outcome.override.seq}): "${outcome.override.reason}".`);
  }
  for (const source of outcome.unreachable) lines.push(`Unreachable: ${source}; the policy's onError decided these checks.`);
  const shadowFails = outcome.shadowFailures.filter((failure) => failure.outcome === 'fail').map((failure) => failure.type);
  const shadowErrors = outcome.shadowFailures.filter((failure) => failure.outcome === 'error').map((failure) => failure.type);
  if (shadowFails.length > 0) lines.push(`Shadow: ${shadowFails.join(', ')} would have denied this release if enforced.`);
  if (shadowErrors.length > 0) lines.push(`Shadow: ${shadowErrors.join(', ')} could not run (shadow checks never deny).`);
  return lines;
}

/**
 * GitHub Actions output: workflow commands (annotations) for stdout, and a Markdown job summary
 * for the file named by GITHUB_STEP_SUMMARY.
 */
export function renderGateGithub(outcome: GateOutcome): { annotations: string; summary: string } {
  const annotations = [
    ...outcome.enforcedFailures.map((failure) => command('error', `Release gate: ${failure.type}`, failure.reason)),
    ...outcome.shadowFailures.map((failure) => command('warning', `Release gate (shadow): ${failure.type}`, `would deny if enforced: ${failure.reason}`)),
    ...outcome.unreachable.map((source) => command('warning', 'Release gate: signal unreachable', source)),
    ...(outcome.override ? [command('warning', 'Release gate overridden', `${outcome.override.by}: ${outcome.override.reason}`)] : []),
    command('notice', `Release gate: ${outcome.decision.toUpperCase()}`, headline(outcome)),
  ];
  const rows = outcome.results.map((result) => `| ${icon(result)} | \`${result.type}\` | ${result.mode} | ${escapeCell(result.reason)} |`);
  const summary = [
    `### ${outcome.decision === 'allow' ? '✅' : '⛔'} ${headline(outcome)}`,
    '',
    ...notes(outcome).map((line) => `> ${line}`),
    ...(notes(outcome).length > 0 ? [''] : []),
    '| | Check | Mode | Why |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
  return { annotations: `${annotations.join('\n')}\n`, summary };
}

function icon(result: CheckResult): string {
  return result.outcome === 'pass' ? '✅' : result.outcome === 'fail' ? '❌' : '⚠️';
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function command(level: WorkflowCommandLevel, title: string, message: string): string {
  return workflowCommand(level, message, { title });
}
