import type { IncidentPage } from './filter-incidents.ts';
import type { IncidentState } from './incident-types.ts';

const minute = (time: string): string => `${time.slice(0, 16).replace('T', ' ')}Z`;

/** One line per incident, newest first, for a terminal. */
export function renderIncidentList(page: IncidentPage): string {
  if (page.items.length === 0) return 'No incidents match.\n';
  const lines = page.items.map(
    (incident) => `${incident.id.padEnd(10)} ${incident.severity}  ${incident.status.padEnd(13)} ${minute(incident.declaredAt)}  ${incident.services.join(',')}  ${incident.title}`,
  );
  return `${[...lines, ...(page.nextCursor ? [`(more: --cursor ${page.nextCursor})`] : [])].join('\n')}\n`;
}

/** The incident's state and its own history, for a terminal. */
export function renderIncidentText(incident: IncidentState): string {
  const roles = Object.entries(incident.roles).map(([role, holder]) => `${role} ${holder}`);
  const milestones = [
    `declared ${minute(incident.declaredAt)}`,
    ...(incident.acknowledgedAt ? [`acknowledged ${minute(incident.acknowledgedAt)}${incident.acknowledgedBy ? ` by ${incident.acknowledgedBy}` : ''}`] : []),
    ...(incident.mitigatedAt ? [`mitigated ${minute(incident.mitigatedAt)}`] : []),
    ...(incident.resolvedAt ? [`resolved ${minute(incident.resolvedAt)}`] : []),
  ];
  return `${[
    `${incident.id} [${incident.severity}, ${incident.status}] ${incident.title}`,
    `  services: ${incident.services.join(', ')}${incident.environment ? ` (${incident.environment})` : ''}`,
    `  roles: ${roles.length > 0 ? roles.join(', ') : 'none assigned'}`,
    `  ${milestones.join('; ')}`,
    ...(incident.fromAlert ? [`  declared from alert ${incident.fromAlert}`] : []),
    ...(incident.causedBy ? [`  caused by deploy ${incident.causedBy.deployId}${incident.causedBy.seq !== undefined ? ` (seq ${incident.causedBy.seq})` : ''}`] : []),
    ...(incident.postmortemUrl ? [`  postmortem: ${incident.postmortemUrl}`] : []),
    '  updates:',
    ...incident.updates.map((update) => `    ${minute(update.at)}  ${update.kind}${update.status ? ` (${update.status})` : ''}  ${update.message}  — ${update.actor}`),
  ].join('\n')}\n`;
}
