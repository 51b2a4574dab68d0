import { type Control, domains } from '../control.ts';
import { capitalize, codeFence, severitiesDescending } from './report-parts.ts';

/** docs/controls.md: an index of every control, then each one in full, by domain. */
export function renderControlsDoc(catalog: readonly Control[]): string {
  const byDomain = domains
    .map((domain) => ({ domain, controls: catalog.filter((control) => control.domain === domain).sort((a, b) => a.id.localeCompare(b.id)) }))
    .filter((group) => group.controls.length > 0);
  return [
    '<!-- Generated from src/audit/controls by `npm run docs:controls`; edit the catalog, not this file. -->',
    '',
    '# Audit controls',
    '',
    `\`steadyops audit\` checks these ${catalog.length} controls. Each finding names its control; the id never changes meaning.`,
    'Severity says what happens if the gap stays: **critical**, data loss or an outage is likely and unguarded; **high**, a likely outage or a serious audit gap; **medium**, slower recovery or weaker evidence; **low**, hygiene.',
    'Effort is the size of the fix: **S** hours, **M** days, **L** weeks. SOC 2 lists the 2017 Trust Services Criteria the control gives evidence for.',
    'A control whose facts are missing (no model, no ledger, no such files) is reported as not applicable, never as passed.',
    '',
    severityTable(byDomain),
    '',
    '## Index',
    '',
    '| ID | Title | Domain | Severity | Effort | SOC 2 |',
    '| --- | --- | --- | --- | --- | --- |',
    ...byDomain.flatMap(({ controls }) =>
      controls.map((control) => `| [${control.id}](#${anchor(control)}) | ${cell(control.title)} | ${control.domain} | ${control.severity} | ${control.effort} | ${control.soc2.join(', ')} |`),
    ),
    ...byDomain.flatMap(({ domain, controls }) => ['', `## ${capitalize(domain)}`, ...controls.flatMap(section)]),
    '',
  ].join('\n');
}

function severityTable(groups: readonly { readonly domain: string; readonly controls: readonly Control[] }[]): string {
  return [
    `| Domain | Controls | ${severitiesDescending.join(' | ')} |`,
    `| --- | ---: | ${severitiesDescending.map(() => '---:').join(' | ')} |`,
    ...groups.map(
      ({ domain, controls }) =>
        `| ${capitalize(domain)} | ${controls.length} | ${severitiesDescending.map((severity) => controls.filter((control) => control.severity === severity).length).join(' | ')} |`,
    ),
  ].join('\n');
}

function section(control: Control): string[] {
  const fence = codeFence(control.example);
  return [
    '',
    `<a id="${anchor(control)}"></a>`,
    '',
    `### ${control.id} ${control.title}`,
    '',
    `**Severity:** ${control.severity} · **Effort:** ${control.effort} · **SOC 2:** ${control.soc2.join(', ')} · **Reads:** ${control.needs.join(', ') || 'nothing'}`,
    '',
    `**Risk.** ${control.risk}`,
    '',
    `**Detection.** ${control.detection}`,
    '',
    `**Remediation.** ${control.remediation}`,
    '',
    '**Example**',
    '',
    fence,
    control.example,
    fence,
  ];
}

function anchor(control: Control): string {
  return control.id.toLowerCase();
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}
