import { followUpStatuses } from '../../incidents/followups/follow-up-status.ts';
import { postmortemFollowUpDueMs } from '../../incidents/followups/follow-ups-of.ts';
import type { FollowUpStatus } from '../../incidents/followups/types.ts';
import type { Control, FindingDraft } from '../control.ts';
import type { AuditFacts } from '../facts.ts';
import { DAY_MS, daysAgo, groupBy, incidentsOf, last, ledgerEvents, plural, timeOf, type IncidentHistory } from './ledger-history.ts';
import { ownerOf } from './model-finding.ts';
import { pushExample } from './push-example.ts';

/** A follow-up without a due date is due this long after its postmortem. */
export const followUpDueMs = postmortemFollowUpDueMs;
/** A sev1/sev2 postmortem is due this long after the incident is resolved. */
export const postmortemDueMs = 7 * DAY_MS;
/** An incident open longer than this is stale. */
export const staleIncidentMs = 7 * DAY_MS;

const dueText = (followUp: FollowUpStatus) => `"${followUp.title}" (due ${new Date(followUp.dueAt - 1).toISOString().slice(0, 10)})`;
const isOrAre = (count: number, one: string, many: string) => (count === 1 ? one : many);

/** What is wrong with an incident's follow-ups, one sentence per kind of problem; empty when nothing is. */
function followUpProblems(incident: IncidentHistory, followUps: readonly FollowUpStatus[]): string[] {
  const postmortem = last(incident.postmortems);
  const overdue = followUps.filter((followUp) => followUp.status === 'overdue');
  const fromPostmortem = overdue.filter((followUp) => followUp.origin === 'postmortem');
  const recorded = overdue.filter((followUp) => followUp.origin === 'followup');
  const closed = followUps.filter((followUp) => followUp.closedWithoutChange);
  return [
    ...(fromPostmortem.length > 0 && postmortem
      ? [
          `${plural(fromPostmortem.length, 'follow-up')} of the ${incident.id} postmortem (${postmortem.time}) ${isOrAre(fromPostmortem.length, 'is', 'are')} overdue with no merged change referencing ${isOrAre(fromPostmortem.length, 'it', 'them')}: ${fromPostmortem.map(dueText).join(', ')}.`,
        ]
      : []),
    ...(recorded.length > 0
      ? [
          `${plural(recorded.length, 'follow-up')} of ${incident.id} ${isOrAre(recorded.length, 'is', 'are')} overdue with no merged change naming ${isOrAre(recorded.length, 'it', 'them')}: ${recorded.map((followUp) => `${followUp.id} ${dueText(followUp)}`).join(', ')}.`,
        ]
      : []),
    ...closed.map((followUp) => `${followUp.id} "${followUp.title}" was closed${followUp.closed?.reason ? ` ("${followUp.closed.reason}")` : ''} without a linked merged change.`),
  ];
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
    detection: `Incident follow-ups (dev.steadyops.followup.created, SO-FU-<n>, and the follow-ups of the latest dev.steadyops.incident.postmortem) that are past due (their due date, else ${followUpDueMs / DAY_MS} days after the postmortem) and neither closed nor linked to a merged change, or that were closed (dev.steadyops.followup.closed) without a linked merged change. A merged change is a later dev.steadyops.git.merge, a git.commit on the default branch, an infra.applied or a deploy.finished whose payload text names the follow-up's id (SO-FU-<n>; for postmortem follow-ups their id, key, issue, ticket, url or link, or for those without one the incident id), or one linked by hand (dev.steadyops.followup.linked). One finding per incident.`,
    remediation: 'Ship the follow-up, naming its id (SO-FU-12), the follow-up issue or the incident in the pull request title, branch or body, or link the change by hand (`steadyops followups link SO-FU-12 --change <seq or ref>`). A follow-up that is no longer needed is closed with a reason, and stays visible as closed without a change.',
    example: 'gh pr create --title "INC-2041: automatic acquirer failover on error ratio" --body "Follow-up of INC-2041"',
    effort: 'M',
    soc2: ['CC7.5', 'CC7.4'],
    needs: ['ledger'],
    evaluate: (facts, now) => {
      const events = ledgerEvents(facts);
      const followUps = groupBy(followUpStatuses(events, now), (followUp) => followUp.incidentId);
      return incidentsOf(events).flatMap((incident) => {
        const problems = followUpProblems(incident, followUps.get(incident.id) ?? []);
        return problems.length > 0 ? [incidentFinding(facts, incident, problems.join(' '))] : [];
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
