import type { LedgerEvent } from '../../ledger/types.ts';
import type { Control, FindingDraft } from '../control.ts';
import type { AuditFacts } from '../facts.ts';
import { DAY_MS, dataOf, daysAgo, incidentsOf, last, ledgerEvents, mentions, plural, timeOf, type IncidentHistory } from './ledger-history.ts';
import { ownerOf } from './model-finding.ts';
import { pushExample } from './push-example.ts';

/** A follow-up without a due date is due this long after its postmortem. */
export const followUpDueMs = 14 * DAY_MS;
/** A sev1/sev2 postmortem is due this long after the incident is resolved. */
export const postmortemDueMs = 7 * DAY_MS;
/** An incident open longer than this is stale. */
export const staleIncidentMs = 7 * DAY_MS;

/** Follow-up fields that identify it in a merge (an issue key, a link). */
const followUpKeys = ['id', 'key', 'issue', 'ticket', 'url', 'link'];
/** Events whose text can reference a follow-up: merges, and deploys (their url or description). */
const changeTypes = /^dev\.steadyops\.(git\.merge|deploy\.finished)$/;

interface FollowUp {
  readonly title: string;
  readonly keys: readonly string[];
  readonly due: number;
}

function followUpsOf(postmortem: LedgerEvent): FollowUp[] {
  const list = dataOf(postmortem).followUps;
  if (!Array.isArray(list)) return [];
  return list.flatMap((item) => {
    if (typeof item !== 'object' || item === null) return [];
    const entry = item as Record<string, unknown>;
    const title = typeof entry.title === 'string' ? entry.title : '(untitled)';
    const keys = followUpKeys.flatMap((key) => (typeof entry[key] === 'string' && entry[key] !== '' ? [entry[key] as string] : []));
    const due = typeof entry.due === 'string' && !Number.isNaN(Date.parse(entry.due)) ? Date.parse(entry.due) + DAY_MS : timeOf(postmortem) + followUpDueMs;
    return [{ title, keys, due }];
  });
}

/** The shallow text of a change event, for reference matching. */
function changeText(event: LedgerEvent): string {
  return Object.values(dataOf(event))
    .filter((value): value is string | number => typeof value === 'string' || typeof value === 'number')
    .join(' ');
}

/** A follow-up is done when a later merge or deploy names one of its keys, or (when it has none) the incident id. */
function isDone(followUp: FollowUp, incident: IncidentHistory, changes: readonly LedgerEvent[]): boolean {
  const start = timeOf(incident.declared ?? incident.postmortems[0]!);
  const needles = followUp.keys.length > 0 ? followUp.keys : [incident.id];
  return changes.some((change) => timeOf(change) >= start && needles.some((needle) => mentions(changeText(change), needle)));
}

function incidentFinding(facts: AuditFacts, incident: IncidentHistory, evidence: string): FindingDraft {
  const service = incident.services[0] ?? incident.declared?.subject;
  const team = ownerOf(facts, service);
  return {
    resource: `Incident ${incident.id}`,
    evidence,
    ...(service && team ? { service } : {}),
    ...(team ? { team } : {}),
  };
}

/** INC: incidents that are closed properly and leave the system better. */
export const incidentControls: readonly Control[] = [
  {
    id: 'INC-001',
    title: 'Incident follow-ups never became a merged change',
    domain: 'incident',
    severity: 'high',
    risk: 'The postmortem named what would stop this incident from happening again, but no change ever shipped: the same outage is waiting to recur.',
    detection: `Follow-ups of a dev.steadyops.incident.postmortem that are due (their due date, else ${followUpDueMs / DAY_MS} days after the postmortem) with no later dev.steadyops.git.merge or deploy.finished whose payload text names the follow-up's id, key, issue, ticket, url or link, or, for follow-ups without one, the incident id. One finding per incident.`,
    remediation: 'Ship the follow-up, referencing the incident or the follow-up issue in the pull request title or branch; or close it explicitly in a new postmortem revision.',
    example: 'gh pr create --title "INC-2041: automatic acquirer failover on error ratio" --body "Follow-up of INC-2041"',
    effort: 'M',
    soc2: ['CC7.5', 'CC7.4'],
    needs: ['ledger'],
    evaluate: (facts, now) => {
      const changes = ledgerEvents(facts).filter((event) => changeTypes.test(event.type));
      return incidentsOf(ledgerEvents(facts)).flatMap((incident) => {
        const postmortem = last(incident.postmortems);
        if (!postmortem) return [];
        const open = followUpsOf(postmortem).filter((followUp) => followUp.due < now.getTime() && !isDone(followUp, incident, changes));
        if (open.length === 0) return [];
        const titles = open.map((followUp) => `"${followUp.title}" (due ${new Date(followUp.due - 1).toISOString().slice(0, 10)})`).join(', ');
        return [incidentFinding(facts, incident, `${plural(open.length, 'follow-up')} of the ${incident.id} postmortem (${postmortem.time}) ${open.length === 1 ? 'is' : 'are'} overdue with no merged change referencing ${open.length === 1 ? 'it' : 'them'}: ${titles}.`)];
      });
    },
  },
  {
    id: 'INC-002',
    title: 'Severe incident closed without a postmortem',
    domain: 'incident',
    severity: 'medium',
    risk: 'A sev1 or sev2 incident was resolved and nobody wrote down what happened and what must change: the lessons leave with the people who were there.',
    detection: `A sev1 or sev2 incident (declared severity, or the latest an update set) with dev.steadyops.incident.resolved more than ${postmortemDueMs / DAY_MS} days ago and no dev.steadyops.incident.postmortem.`,
    remediation: 'Publish the postmortem (timeline, causes, follow-ups with owners and due dates) and record it in the ledger.',
    example: pushExample({
      id: 'pm-INC-2047',
      source: '/wiki/postmortems',
      type: 'dev.steadyops.incident.postmortem',
      subject: 'checkout-api',
      data: {
        incidentId: 'INC-2047',
        url: 'https://wiki.example.com/postmortems/INC-2047',
        followUps: [{ title: 'Block migrations that take ACCESS EXCLUSIVE locks', issue: 'PAY-311', due: '2026-12-10' }],
      },
    }),
    effort: 'M',
    soc2: ['CC7.4', 'CC7.5'],
    needs: ['ledger'],
    evaluate: (facts, now) =>
      incidentsOf(ledgerEvents(facts))
        .filter((incident) => (incident.severity === 'sev1' || incident.severity === 'sev2') && incident.postmortems.length === 0)
        .filter((incident) => incident.resolved && now.getTime() - timeOf(incident.resolved) > postmortemDueMs)
        .map((incident) =>
          incidentFinding(facts, incident, `${incident.id} (${incident.severity}${incident.title ? `, "${incident.title}"` : ''}) was resolved ${daysAgo(now, incident.resolved!.time)} days ago and has no postmortem.`),
        ),
  },
  {
    id: 'INC-003',
    title: 'Incident left open',
    domain: 'incident',
    severity: 'medium',
    risk: 'An incident that is over but never resolved keeps blocking releases through the open-incidents check, until people learn to override the gate, or it hides that the incident is still going on.',
    detection: `A dev.steadyops.incident.declared more than ${staleIncidentMs / DAY_MS} days ago with no dev.steadyops.incident.resolved.`,
    remediation: 'Resolve the incident with a summary, or post an update saying why it is still open.',
    example: pushExample({
      id: 'resolve-INC-2052',
      source: '/steadyops/incidents',
      type: 'dev.steadyops.incident.resolved',
      subject: 'search-api',
      data: { incidentId: 'INC-2052', summary: 'Fixed by v2.14.1; monitoring done.' },
    }),
    effort: 'S',
    soc2: ['CC7.4'],
    needs: ['ledger'],
    evaluate: (facts, now) =>
      incidentsOf(ledgerEvents(facts))
        .filter((incident) => incident.declared && !incident.resolved && now.getTime() - timeOf(incident.declared) > staleIncidentMs)
        .map((incident) =>
          incidentFinding(facts, incident, `${incident.id} (${incident.severity ?? 'no severity'}) was declared ${daysAgo(now, incident.declared!.time)} days ago (${incident.declared!.time}) and is still not resolved.`),
        ),
  },
];
