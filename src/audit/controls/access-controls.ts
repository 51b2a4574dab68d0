import type { LedgerEvent } from '../../ledger/types.ts';
import { formatDuration, parseDuration } from '../../lib/duration.ts';
import type { ResolvedAccessRole, ResolvedModel } from '../../model/resolve.ts';
import type { Control, FindingDraft } from '../control.ts';
import type { AuditFacts } from '../facts.ts';
import {
  DAY_MS,
  accessRequestsOf,
  accessTypes,
  byName,
  dataOf,
  grantLengthMs,
  groupBy,
  incidentsOf,
  last,
  ledgerEvents,
  mentions,
  ofType,
  plural,
  sinceText,
  textOf,
  timeOf,
  type AccessRequestHistory,
} from './ledger-history.ts';
import { modelFinding } from './model-finding.ts';
import { pushExample } from './push-example.ts';

/** Payload fields naming the credential an access used (imported access logs); never its secret. */
export const credentialFields = ['credentialId', 'credential'];
/** Payload fields naming who used it, before falling back to the event's actor. */
const identityFields = ['identity', 'user', 'requester'];
/** A break-glass must be reviewed within this long. */
export const breakGlassReviewMs = 7 * DAY_MS;
/** A grant counts as expired and unrevoked this long after its expiry. */
const revocationGraceMs = 15 * 60_000;

const roleExample = [
  'apiVersion: steadyops.dev/v1',
  'kind: AccessRole',
  'metadata: { name: prod-db-admin }',
  'spec:',
  '  grants: [{ system: database, resource: core-postgres/production, permissions: [select, update] }]',
  '  approvers: { teams: [platform] }',
  '  minApprovals: 1',
  '  maxDuration: 4h',
  '  breakGlass: { allowed: true, requireReason: true, notify: ["#security"] }',
].join('\n');

function roleOf(model: ResolvedModel | undefined, name: string | undefined): ResolvedAccessRole | undefined {
  return name === undefined ? undefined : model?.accessRoles.find((role) => role.name === name);
}

/** One finding per role for a list of offending access events, with up to three examples. */
function perRole(facts: AuditFacts, offences: ReadonlyArray<{ role: string; example: string }>, summary: (role: string, count: number) => string): FindingDraft[] {
  return byName([...groupBy(offences, (offence) => offence.role)], ([role]) => role).map(([role, list]) => {
    const examples = list.slice(-3).map((offence) => offence.example).join('; ');
    const evidence = `${summary(role, list.length)} ${sinceText(facts)}: ${examples}.`;
    return roleOf(facts.model?.model, role) ? modelFinding(facts, { kind: 'AccessRole', name: role }, evidence) : { resource: `AccessRole ${role}`, evidence };
  });
}

function requesterOf(request: AccessRequestHistory, event: LedgerEvent): string {
  return request.requester ?? textOf(dataOf(event), 'requester') ?? event.actor;
}

/** Distinct approvers of a request up to a moment, not counting the requester. */
function approversBefore(request: AccessRequestHistory, at: number, requester: string): string[] {
  const approvers = request.approvals.filter((approval) => timeOf(approval) <= at).map((approval) => textOf(dataOf(approval), 'approver') ?? approval.actor);
  return [...new Set(approvers)].filter((approver) => approver !== requester);
}

function isBreakGlassReviewed(request: AccessRequestHistory, breakglass: LedgerEvent, events: readonly LedgerEvent[]): boolean {
  const requester = requesterOf(request, breakglass);
  if (request.approvals.some((approval) => timeOf(approval) >= timeOf(breakglass) && (textOf(dataOf(approval), 'approver') ?? approval.actor) !== requester)) return true;
  const reason = textOf(dataOf(breakglass), 'reason') ?? '';
  const reviewedIn = incidentsOf(events).filter((incident) => incident.postmortems.length > 0);
  return reviewedIn.some(
    (incident) =>
      mentions(reason, incident.id) || incident.postmortems.some((postmortem) => mentions(JSON.stringify(postmortem.data ?? {}), request.requestId)),
  );
}

function approverPeople(model: ResolvedModel, role: ResolvedAccessRole): string[] {
  const fromTeams = (role.approvers.teams ?? []).flatMap((name) => model.teams.find((team) => team.name === name)?.members.map((member) => member.email) ?? []);
  return [...new Set([...(role.approvers.users ?? []), ...fromTeams].map((email) => email.toLowerCase()))].sort();
}

/** ACC: who holds privileged access, who approved it, and for how long. */
export const accessControls: readonly Control[] = [
  {
    id: 'ACC-001',
    title: 'One credential is used by several people',
    domain: 'access',
    severity: 'high',
    risk: 'A shared admin credential means no action in production can be traced to a person, it cannot be revoked when one of them leaves, and whoever holds it can act without approval.',
    detection: `Ledger events (imported access logs, access.* events) whose payload names a credential (${credentialFields.map((field) => `data.${field}`).join(' or ')}) used by two or more identities (data.identity, data.user or data.requester, else the event's actor). One finding per credential.`,
    remediation: 'Give each person their own credential through an AccessRole (short-lived, approved), and rotate and then delete the shared one.',
    example: roleExample,
    effort: 'M',
    soc2: ['CC6.1', 'CC6.2'],
    needs: ['ledger'],
    evaluate: (facts) => {
      const uses = groupBy(ledgerEvents(facts), (event) => credentialFields.map((field) => textOf(dataOf(event), field)).find((value) => value !== undefined));
      return byName([...uses], ([credential]) => credential).flatMap(([credential, events]) => {
        const identities = [...new Set(events.map((event) => identityFields.map((field) => textOf(dataOf(event), field)).find((value) => value !== undefined) ?? event.actor))].sort();
        if (identities.length < 2) return [];
        return [
          {
            resource: `Credential ${credential}`,
            evidence: `Credential ${credential} was used by ${plural(identities.length, 'identity', 'identities')} (${identities.join(', ')}) in ${plural(events.length, 'event')} ${sinceText(facts)}; latest ${last(events)!.type} at ${last(events)!.time}.`,
          },
        ];
      });
    },
  },
  {
    id: 'ACC-002',
    title: 'Privileged access granted without the required approvals',
    domain: 'access',
    severity: 'high',
    risk: 'Production access was granted without the approvals its role requires (or approved only by the person asking): nobody checked that the access was needed, which is exactly what an auditor samples.',
    detection: 'dev.steadyops.access.granted events whose requestId has fewer distinct dev.steadyops.access.approved approvers (at or before the grant, the requester not counting) than the role\'s minApprovals (1 when the role is unknown). Break-glass is ACC-003/ACC-004. One finding per role.',
    remediation: 'Grant access only through the approval flow; revoke grants that skipped it and review what they were used for.',
    example: roleExample,
    effort: 'M',
    soc2: ['CC6.2', 'CC6.3'],
    needs: ['ledger'],
    evaluate: (facts) => {
      const offences = accessRequestsOf(ledgerEvents(facts)).flatMap((request) =>
        request.grants.flatMap((grant) => {
          const requester = requesterOf(request, grant);
          const role = request.role ?? textOf(dataOf(grant), 'role') ?? 'unknown';
          const required = roleOf(facts.model?.model, role)?.minApprovals ?? 1;
          const approvers = approversBefore(request, timeOf(grant), requester);
          if (approvers.length >= required) return [];
          const why = request.approvals.length > 0 && approvers.length === 0 ? 'approved only by the requester' : `${plural(approvers.length, 'approval')} of ${required} required`;
          return [{ role, example: `${request.requestId} for ${requester} at ${grant.time} (${why})` }];
        }),
      );
      return perRole(facts, offences, (role, count) => `${plural(count, 'grant')} of ${role} lacked the required approvals`);
    },
  },
  {
    id: 'ACC-003',
    title: 'Break-glass access was never reviewed',
    domain: 'access',
    severity: 'high',
    risk: 'Emergency access skips approval on the promise of a review afterwards; without one, break-glass is a permanent back door that nobody looks at.',
    detection: `A dev.steadyops.access.breakglass older than ${breakGlassReviewMs / DAY_MS} days with no later access.approved of its requestId by someone other than the requester, and no postmortem for an incident its reason names (or that mentions its requestId).`,
    remediation: 'Review every break-glass within a week: approve it after the fact (access.approved on its requestId) or cover it in the incident postmortem, and check what was done with it.',
    example: "steadyops changes --since 14d --type 'dev.steadyops.access.*'   # list break-glass uses, then approve or review each",
    effort: 'S',
    soc2: ['CC6.2', 'CC7.4'],
    needs: ['ledger'],
    evaluate: (facts, now) => {
      const events = ledgerEvents(facts);
      return accessRequestsOf(events).flatMap((request) =>
        request.breakglass
          .filter((breakglass) => now.getTime() - timeOf(breakglass) > breakGlassReviewMs && !isBreakGlassReviewed(request, breakglass, events))
          .map((breakglass) => ({
            resource: `Break-glass ${request.requestId}`,
            evidence: `${requesterOf(request, breakglass)} took ${request.role ?? 'a role'} by break-glass at ${breakglass.time} ("${textOf(dataOf(breakglass), 'reason') ?? 'no reason'}"); no approval afterwards and no postmortem covers it.`,
          })),
      );
    },
  },
  {
    id: 'ACC-004',
    title: 'Break-glass used on a role that does not allow it',
    domain: 'access',
    severity: 'high',
    risk: 'Someone took emergency access to a role whose owners decided it must always be approved first: the control the model describes is not the one that runs.',
    detection: 'A dev.steadyops.access.breakglass for an AccessRole whose spec.breakGlass.allowed is not true (or which has no breakGlass section).',
    remediation: 'Revoke the access, review what was done, and make the access tooling refuse break-glass for the role; or allow break-glass in the model with a required reason and notifications.',
    example: ['spec:', '  breakGlass: { allowed: true, requireReason: true, notify: ["#security", "#team-platform"] }'].join('\n'),
    effort: 'S',
    soc2: ['CC6.2', 'CC6.3'],
    needs: ['model', 'ledger'],
    evaluate: (facts) =>
      accessRequestsOf(ledgerEvents(facts)).flatMap((request) => {
        const role = roleOf(facts.model?.model, request.role);
        if (!role || role.breakGlass?.allowed === true) return [];
        return request.breakglass.map((breakglass) =>
          modelFinding(
            facts,
            { kind: 'AccessRole', name: role.name, resource: `Break-glass ${request.requestId}` },
            `${requesterOf(request, breakglass)} took ${role.name} by break-glass at ${breakglass.time}, but the role ${role.breakGlass ? 'sets breakGlass.allowed: false' : 'declares no break-glass'}.`,
          ),
        );
      }),
  },
  {
    id: 'ACC-005',
    title: 'Access granted for longer than the role allows',
    domain: 'access',
    severity: 'medium',
    risk: 'Privileged access outlives its need: a grant longer than the role\'s maximum stays usable long after the work is done, by the person or by whoever steals their session.',
    detection: 'dev.steadyops.access.granted and access.breakglass events whose expiresAt is more than the AccessRole\'s spec.maxDuration after the grant. One finding per role.',
    remediation: 'Cap grants at the role\'s maxDuration in the access tooling, and revoke the long ones.',
    example: roleExample,
    effort: 'S',
    soc2: ['CC6.2', 'CC6.3'],
    needs: ['model', 'ledger'],
    evaluate: (facts) => {
      const offences = accessRequestsOf(ledgerEvents(facts)).flatMap((request) => {
        const role = roleOf(facts.model?.model, request.role);
        if (!role) return [];
        const max = parseDuration(role.maxDuration);
        return [...request.grants, ...request.breakglass].flatMap((grant) => {
          const length = grantLengthMs(grant);
          if (length === undefined || length <= max + 60_000) return [];
          return [{ role: role.name, example: `${request.requestId} for ${requesterOf(request, grant)} lasted ${formatDuration(length)} from ${grant.time}` }];
        });
      });
      return perRole(facts, offences, (role, count) => `${plural(count, 'grant')} of ${role} exceeded its maxDuration ${roleOf(facts.model?.model, role)!.maxDuration}`);
    },
  },
  {
    id: 'ACC-006',
    title: 'Privileged access through a role the model does not define',
    domain: 'access',
    severity: 'medium',
    risk: 'Access is requested and granted for a role nobody defined: there is no stated scope, no approvers and no maximum duration to check it against.',
    detection: 'dev.steadyops.access.* events whose data.role names no AccessRole in the ownership model. One finding per role name.',
    remediation: 'Define the role in the model (grants, approvers, maxDuration), or stop granting it.',
    example: roleExample,
    effort: 'S',
    soc2: ['CC6.2', 'CC6.3'],
    needs: ['model', 'ledger'],
    evaluate: (facts) => {
      const unknown = groupBy(ofType(ledgerEvents(facts), ...accessTypes), (event) => {
        const role = textOf(dataOf(event), 'role');
        return role && !roleOf(facts.model?.model, role) ? role : undefined;
      });
      return byName([...unknown], ([role]) => role).map(([role, events]) => ({
        resource: `AccessRole ${role}`,
        evidence: `${plural(events.length, 'access event')} ${sinceText(facts)} use role ${role}, which the model does not define; latest ${last(events)!.type} at ${last(events)!.time}.`,
      }));
    },
  },
  {
    id: 'ACC-007',
    title: 'Access role leaves no evidence in the ledger',
    domain: 'access',
    severity: 'medium',
    risk: 'The model defines how this privileged role is requested and approved, but no request, grant or break-glass for it ever reached the ledger: access is handed out elsewhere, and the evidence for an access review is collected by hand.',
    detection: 'An AccessRole in the ownership model with no dev.steadyops.access.* event naming it in the audited ledger window.',
    remediation: 'Route grants of the role through steadyops (requests, approvals and grants as ledger events); if the role is truly unused, remove it and its underlying permissions.',
    example: pushExample({
      id: 'AR-1042-granted',
      source: '/access-broker',
      type: 'dev.steadyops.access.granted',
      subject: 'checkout-api',
      data: { role: 'prod-db-admin', requester: 'github:ana-lima', requestId: 'AR-1042', approver: 'github:lukas-berg', reason: 'data fix PAY-88', expiresAt: '2026-11-26T12:00:00Z' },
    }),
    effort: 'M',
    soc2: ['CC6.2', 'CC4.1'],
    needs: ['model', 'ledger'],
    evaluate: (facts) => {
      const used = new Set(ofType(ledgerEvents(facts), ...accessTypes).map((event) => textOf(dataOf(event), 'role')));
      return (facts.model?.model.accessRoles ?? [])
        .filter((role) => !used.has(role.name))
        .map((role) => modelFinding(facts, { kind: 'AccessRole', name: role.name }, `No access request, approval, grant or break-glass for ${role.name} ${sinceText(facts)}.`));
    },
  },
  {
    id: 'ACC-008',
    title: 'Expired access has no revocation record',
    domain: 'access',
    severity: 'medium',
    risk: 'The grant expired on paper, but nothing recorded that the access was actually removed: the permission may still be live, and removal cannot be shown to an auditor.',
    detection: 'dev.steadyops.access.granted or access.breakglass events whose expiresAt passed more than 15 minutes ago with no later dev.steadyops.access.revoked for the same requestId. One finding per role.',
    remediation: 'Have the access tooling revoke at expiry and record it (access.revoked); check that the expired grants are really gone.',
    example: pushExample({
      id: 'AR-1042-revoked',
      source: '/access-broker',
      type: 'dev.steadyops.access.revoked',
      subject: 'checkout-api',
      data: { role: 'prod-db-admin', requester: 'github:ana-lima', requestId: 'AR-1042', reason: 'grant expired' },
    }),
    effort: 'S',
    soc2: ['CC6.3'],
    needs: ['ledger'],
    evaluate: (facts, now) => {
      const offences = accessRequestsOf(ledgerEvents(facts)).flatMap((request) =>
        [...request.grants, ...request.breakglass].flatMap((grant) => {
          const expiresAt = Date.parse(textOf(dataOf(grant), 'expiresAt') ?? '');
          if (Number.isNaN(expiresAt) || expiresAt + revocationGraceMs > now.getTime()) return [];
          if (request.revocations.some((revocation) => timeOf(revocation) >= timeOf(grant))) return [];
          return [{ role: request.role ?? 'unknown', example: `${request.requestId} for ${requesterOf(request, grant)} expired ${new Date(expiresAt).toISOString()}` }];
        }),
      );
      return perRole(facts, offences, (role, count) => `${plural(count, 'expired grant')} of ${role} ${count === 1 ? 'has' : 'have'} no revocation`);
    },
  },
  {
    id: 'ACC-009',
    title: 'Access role has too few possible approvers',
    domain: 'access',
    severity: 'medium',
    risk: 'With fewer approvers than approvals needed plus one, an approver cannot get access without approving themselves, and one person away blocks everyone: teams then share credentials or use break-glass routinely.',
    detection: 'An AccessRole whose approvers (spec.approvers.users plus the members of spec.approvers.teams, distinct e-mails) number fewer than spec.minApprovals + 1.',
    remediation: 'Add approvers (a second team, or named users) so any request, including an approver\'s own, can be approved by someone else.',
    example: ['spec:', '  approvers:', '    teams: [platform]', '    users: [ana.lima@northwindpay.example]', '  minApprovals: 1'].join('\n'),
    effort: 'S',
    soc2: ['CC6.3', 'CC6.2'],
    needs: ['model'],
    evaluate: (facts) => {
      const model = facts.model?.model;
      if (!model) return [];
      return model.accessRoles.flatMap((role) => {
        const people = approverPeople(model, role);
        if (people.length >= role.minApprovals + 1) return [];
        return [
          modelFinding(
            facts,
            { kind: 'AccessRole', name: role.name },
            `${role.name} needs ${plural(role.minApprovals, 'approval')} and has ${plural(people.length, 'possible approver')}${people.length > 0 ? ` (${people.join(', ')})` : ''}.`,
          ),
        ];
      });
    },
  },
];
