import type { IncidentTimeline, TimelineEntry } from './build-timeline.ts';
import type { IncidentState } from './incident-types.ts';
import type { SloImpact } from './slo-impact.ts';

export interface PostmortemOptions {
  /** when the draft is written (the clock's now) */
  readonly now: Date;
  /** a steadyops server: ledger references become links to GET /api/v1/events/:id */
  readonly serverUrl?: string;
}

/** "1h 05m", "12m", "45s": how people say durations in a postmortem. */
export function humanDuration(ms: number): string {
  const totalSeconds = Math.round(ms / 1_000);
  if (totalSeconds < 60) return `${totalSeconds}s`;
  const minutes = Math.floor(totalSeconds / 60);
  const days = Math.floor(minutes / 1_440);
  const hours = Math.floor((minutes % 1_440) / 60);
  const rest = minutes % 60;
  if (days > 0) return `${days}d ${hours}h ${String(rest).padStart(2, '0')}m`;
  return hours > 0 ? `${hours}h ${String(rest).padStart(2, '0')}m` : `${rest}m`;
}

const between = (from: string, to: string | undefined): string => (to ? humanDuration(Date.parse(to) - Date.parse(from)) : 'not yet');
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
const utc = (time: string): string => `${time.slice(0, 16).replace('T', ' ')}Z`;

function ledgerReference(entry: TimelineEntry, serverUrl: string | undefined): string {
  if (!serverUrl) return `seq:${entry.seq}`;
  const base = serverUrl.replace(/\/+$/, '');
  return `[seq:${entry.seq}](${base}/api/v1/events/${encodeURIComponent(entry.eventId)}?source=${encodeURIComponent(entry.source)})`;
}

function summarySection(incident: IncidentState): string[] {
  const roles = (['commander', 'communications', 'scribe'] as const).map((role) => `${role}: ${incident.roles[role] ?? '_unassigned_'}`).join(', ');
  const resolution = [...incident.updates].reverse().find((update) => update.kind === 'resolved' || update.kind === 'mitigated');
  return [
    '## Summary',
    '',
    `- **Incident:** ${incident.id}, ${incident.severity}${incident.severityHistory.length > 1 ? ` (severity history: ${incident.severityHistory.map((change) => change.severity).join(' -> ')})` : ''}, ${incident.status}`,
    `- **Services:** ${incident.services.join(', ')}${incident.environment ? ` in ${incident.environment}` : ''}`,
    `- **Roles:** ${roles}`,
    ...(incident.fromAlert ? [`- **Declared from alert:** fingerprint \`${incident.fromAlert}\``] : []),
    ...(incident.causedBy ? [`- **Caused by (confirmed):** deploy \`${incident.causedBy.deployId}\`${incident.causedBy.seq !== undefined ? ` (ledger seq ${incident.causedBy.seq})` : ''}`] : []),
    ...(incident.summary ? [`- **What we saw:** ${incident.summary}`] : []),
    ...(resolution ? [`- **How it ended:** ${resolution.message}`] : []),
    '',
    '_Write two or three sentences for someone who was not there: what customers saw, for how long, and what fixed it._',
  ];
}

function sloLines(slo: SloImpact | undefined): string[] {
  if (!slo || !slo.measured) return [`- **SLO budget burned:** ${slo && !slo.measured ? slo.reason : 'no SLO data'}`];
  return [
    '- **SLO budget burned during the incident:**',
    ...slo.slos.map((entry) => `  - ${entry.service} / ${entry.slo} (${entry.environment}): ${entry.budgetBurnedPercent === undefined ? 'no data' : `${entry.budgetBurnedPercent.toFixed(1)}% of the period's budget`}`),
  ];
}

function impactSection(incident: IncidentState, slo: SloImpact | undefined): string[] {
  return [
    '## Impact',
    '',
    `- **Declared:** ${utc(incident.declaredAt)}${incident.resolvedAt ? `; resolved ${utc(incident.resolvedAt)}` : ' (still open)'}`,
    `- **Duration (declared to resolved):** ${between(incident.declaredAt, incident.resolvedAt)}`,
    `- **Time to acknowledge:** ${between(incident.declaredAt, incident.acknowledgedAt)}`,
    `- **Time to mitigate:** ${between(incident.declaredAt, incident.mitigatedAt)}`,
    `- **Services affected:** ${incident.services.join(', ')}`,
    ...sloLines(slo),
  ];
}

/** The timeline as a Markdown section: a table whose rows link to their ledger events. */
export function timelineSection(timeline: IncidentTimeline, serverUrl: string | undefined): string[] {
  const rows = timeline.entries.map((entry) => {
    const delay = entry.ingestionDelayMs ? ` (recorded ${humanDuration(entry.ingestionDelayMs)} late)` : '';
    const what = `${entry.likelyTrigger ? '**likely trigger:** ' : ''}${entry.summary}${delay}`;
    return `| ${utc(entry.time)} | ${entry.kind} | ${cell(entry.service ?? '')} | ${cell(what)} | ${cell(entry.actor)} | ${ledgerReference(entry, serverUrl)} |`;
  });
  return [
    '## Timeline',
    '',
    `From ${utc(timeline.window.since)} to ${utc(timeline.window.until)}, on ${[...timeline.subjects.services, ...timeline.subjects.dependencies].join(', ')}. Times are each event's own time (UTC).`,
    '',
    '| Time | Kind | Service | What happened | Who | Ledger |',
    '| --- | --- | --- | --- | --- | --- |',
    ...(rows.length > 0 ? rows : ['| | | | nothing recorded in the window | | |']),
    '',
    `Every row is a ledger event: \`steadyops ledger proof seq:N\` proves it is in the signed log.`,
  ];
}

export function triggerSection(timeline: IncidentTimeline): string[] {
  const trigger = timeline.likelyTrigger;
  return [
    '## Likely trigger',
    '',
    trigger
      ? `${trigger.summary} on ${trigger.service ?? 'an unnamed subject'} at ${utc(trigger.time)} by ${trigger.actor} (seq:${trigger.seq}): ${trigger.triggerReason ?? ''}. Closest in time is not proof of cause: confirm or correct it.`
      : 'No deploy, config, flag, infrastructure or access change was recorded on the affected services or their dependencies before the first alert. Look outside the ledger (traffic, a third party) and say what you found.',
  ];
}

function followUpSection(incident: IncidentState): string[] {
  const rows =
    incident.followUps.length > 0
      ? incident.followUps.map((followUp) => `| ${cell(followUp.title)} | ${cell(followUp.owner ?? '_owner_')} | ${followUp.due ?? '_due date_'} | ${cell(followUp.issue ?? '')} |`)
      : ['| _What would stop this from happening again?_ | _owner_ | _YYYY-MM-DD_ | _issue_ |', '| _What would have made it shorter?_ | _owner_ | _YYYY-MM-DD_ | _issue_ |'];
  return ['## Follow-ups', '', '| Action | Owner | Due | Issue |', '| --- | --- | --- | --- |', ...rows];
}

/**
 * Pure: a blameless postmortem draft in Markdown: summary, impact, the automatic timeline, the likely
 * trigger, reflection placeholders and follow-ups.
 */
export function renderPostmortem(incident: IncidentState, timeline: IncidentTimeline, sloImpact: SloImpact | undefined, options: PostmortemOptions): string {
  const sections = [
    [`# Postmortem: ${incident.id} — ${incident.title}`, '', `> Blameless draft generated by steadyops from the ledger on ${utc(options.now.toISOString())}. It describes what the system and the people in it saw, never who is to blame.${incident.postmortemUrl ? ` Published at ${incident.postmortemUrl}.` : ''}`],
    summarySection(incident),
    impactSection(incident, sloImpact),
    timelineSection(timeline, options.serverUrl),
    triggerSection(timeline),
    ['## What went well', '', '- _..._'],
    ['## What went badly', '', '- _..._'],
    ['## Where we got lucky', '', '- _..._'],
    followUpSection(incident),
  ];
  return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}
