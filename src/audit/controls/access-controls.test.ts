import { accessControls } from './access-controls.ts';
import { describeControl } from './control-cases.ts';
import { accessRole, hoursAgo, ledgerEvent, team, withLedger, withModel } from './control-fixtures.ts';

const control = (id: string) => accessControls.find((entry) => entry.id === id)!;
const DAY = 24;

const base = (role: string, requestId: string, requester = 'github:ana') => ({ role, requester, requestId, reason: 'data fix', environment: 'production' });
const requested = (role: string, id: string, hours: number, requester?: string) => ledgerEvent('access.requested', hours, base(role, id, requester), { subject: 'checkout-api' });
const approved = (role: string, id: string, hours: number, approver = 'github:lukas', requester?: string) =>
  ledgerEvent('access.approved', hours, { ...base(role, id, requester), approver }, { actor: approver });
const granted = (role: string, id: string, hours: number, lengthHours = 2, requester?: string) =>
  ledgerEvent('access.granted', hours, { ...base(role, id, requester), expiresAt: hoursAgo(hours - lengthHours) }, { actor: 'system:steadyops' });
const revoked = (role: string, id: string, hours: number) => ledgerEvent('access.revoked', hours, { ...base(role, id), reason: 'grant expired' });
const breakglass = (role: string, id: string, hours: number, reason = 'db is on fire', lengthHours = 1) =>
  ledgerEvent('access.breakglass', hours, { ...base(role, id, 'github:omar'), reason, expiresAt: hoursAgo(hours - lengthHours) }, { actor: 'github:omar' });

/** A full, clean request: requested, approved by someone else, granted for 2h, revoked at expiry. */
const cleanRequest = (role: string, id: string, hours: number) => [requested(role, id, hours), approved(role, id, hours - 0.2), granted(role, id, hours - 0.25), revoked(role, id, hours - 2.25)];

const roles = withModel({
  teams: [team('platform', ['lukas@x.example', 'grace@x.example'])],
  accessRoles: [accessRole('prod-db-admin'), accessRole('prod-k8s-operator', { maxDuration: '8h', breakGlass: { allowed: false }, minApprovals: 1 })],
});

const credentialUse = (credentialId: string, identity: string, hours: number) =>
  ledgerEvent('access.granted', hours, { ...base('prod-db-admin', `cred-${hours}`, identity), credentialId, expiresAt: hoursAgo(hours - 1) });

describeControl(control('ACC-001'), {
  triggers: [
    {
      name: 'one admin credential, three people',
      facts: withLedger([credentialUse('AKIA-ADMIN', 'github:ana', 30), credentialUse('AKIA-ADMIN', 'github:tom', 20), credentialUse('AKIA-ADMIN', 'github:mei', 10), credentialUse('AKIA-ANA', 'github:ana', 5)]),
      resources: ['Credential AKIA-ADMIN'],
    },
    {
      name: 'imported log events naming the user and the credential',
      facts: withLedger([
        ledgerEvent('change.reported', 3, { summary: 'ssh login', timestamp: hoursAgo(3), credential: 'deploy-key-1', user: 'ivan' }),
        ledgerEvent('change.reported', 2, { summary: 'ssh login', timestamp: hoursAgo(2), credential: 'deploy-key-1', user: 'grace' }),
      ]),
      resources: ['Credential deploy-key-1'],
    },
  ],
  passes: [
    { name: 'personal credentials', facts: withLedger([credentialUse('AKIA-ANA', 'github:ana', 30), credentialUse('AKIA-TOM', 'github:tom', 20)]) },
    { name: 'no credential fields', facts: withLedger(cleanRequest('prod-db-admin', 'AR-1', 30)) },
  ],
});

describeControl(control('ACC-002'), {
  triggers: [
    {
      name: 'a grant without approval, a self-approved one, and one short of a role needing two',
      facts: withLedger(
        [
          ...cleanRequest('prod-db-admin', 'AR-1', 50),
          requested('prod-db-admin', 'AR-2', 40),
          granted('prod-db-admin', 'AR-2', 39.5),
          requested('prod-db-admin', 'AR-3', 30),
          approved('prod-db-admin', 'AR-3', 29.8, 'github:ana'),
          granted('prod-db-admin', 'AR-3', 29.7),
          requested('two-person', 'AR-4', 20),
          approved('two-person', 'AR-4', 19.9),
          granted('two-person', 'AR-4', 19.8),
          requested('prod-db-admin', 'AR-5', 10),
          granted('prod-db-admin', 'AR-5', 9.9),
          approved('prod-db-admin', 'AR-5', 9.8),
        ],
        withModel({ accessRoles: [accessRole('prod-db-admin'), accessRole('two-person', { minApprovals: 2 })] }),
      ),
      resources: ['AccessRole prod-db-admin', 'AccessRole two-person'],
    },
  ],
  passes: [
    { name: 'approved before the grant by someone else', facts: withLedger([...cleanRequest('prod-db-admin', 'AR-1', 50), ...cleanRequest('unknown-role', 'AR-2', 40)], roles) },
    { name: 'break-glass is not a grant', facts: withLedger([breakglass('prod-db-admin', 'BG-1', 10)], roles) },
  ],
});

const incident = (hours: number, type: string, data: Record<string, unknown>) => ledgerEvent(`incident.${type}`, hours, { incidentId: 'INC-7', ...data });

describeControl(control('ACC-003'), {
  triggers: [
    {
      name: 'break-glass ten days ago, never reviewed; an incident without postmortem does not count',
      facts: withLedger([
        incident(10 * DAY + 1, 'declared', { title: 'x', severity: 'sev1', services: ['a'] }),
        breakglass('prod-db-admin', 'BG-1', 10 * DAY, 'INC-7: cancel the migration'),
        revoked('prod-db-admin', 'BG-1', 10 * DAY - 1),
        breakglass('prod-db-admin', 'BG-2', 9 * DAY, 'INC-70 related'),
      ]),
      resources: ['Break-glass BG-1', 'Break-glass BG-2'],
    },
  ],
  passes: [
    {
      name: 'approved afterwards, covered by the postmortem of the incident it names, or not yet due',
      facts: withLedger([
        breakglass('prod-db-admin', 'BG-1', 10 * DAY),
        approved('prod-db-admin', 'BG-1', 9 * DAY, 'github:lukas', 'github:omar'),
        incident(12 * DAY, 'declared', { title: 'x', severity: 'sev1', services: ['a'] }),
        breakglass('prod-db-admin', 'BG-2', 12 * DAY - 1, 'INC-7: cancel the migration'),
        incident(11 * DAY, 'postmortem', { url: 'https://wiki/INC-7' }),
        breakglass('prod-db-admin', 'BG-3', 20 * DAY, 'hotfix'),
        ledgerEvent('incident.postmortem', 19 * DAY, { incidentId: 'INC-8', url: 'https://wiki/INC-8', summary: 'BG-3 was used to cancel the lock' }),
        breakglass('prod-db-admin', 'BG-4', 2 * DAY),
      ]),
    },
  ],
});

describeControl(control('ACC-004'), {
  triggers: [{ name: 'break-glass on a role that forbids it', facts: withLedger([breakglass('prod-k8s-operator', 'BG-1', 5), breakglass('prod-db-admin', 'BG-2', 4)], roles), resources: ['Break-glass BG-1'] }],
  passes: [{ name: 'break-glass where allowed, or on an unknown role', facts: withLedger([breakglass('prod-db-admin', 'BG-2', 4), breakglass('other', 'BG-3', 4)], roles) }],
});

describeControl(control('ACC-005'), {
  triggers: [
    {
      name: 'a 12h grant on a 4h role, a 10h break-glass on an 8h role',
      facts: withLedger([granted('prod-db-admin', 'AR-1', 20, 12), breakglass('prod-k8s-operator', 'BG-1', 15, 'x', 10), granted('prod-db-admin', 'AR-2', 10, 4)], roles),
      resources: ['AccessRole prod-db-admin', 'AccessRole prod-k8s-operator'],
    },
  ],
  passes: [{ name: 'within the maximum', facts: withLedger([granted('prod-db-admin', 'AR-1', 20, 4), granted('prod-k8s-operator', 'AR-2', 20, 8)], roles) }],
});

describeControl(control('ACC-006'), {
  triggers: [{ name: 'requests for an undefined role', facts: withLedger([...cleanRequest('root-everywhere', 'AR-1', 10), ...cleanRequest('prod-db-admin', 'AR-2', 5)], roles), resources: ['AccessRole root-everywhere'] }],
  passes: [{ name: 'model roles only', facts: withLedger(cleanRequest('prod-db-admin', 'AR-2', 5), roles) }],
});

describeControl(control('ACC-007'), {
  triggers: [{ name: 'a role nobody requested through steadyops', facts: withLedger(cleanRequest('prod-db-admin', 'AR-1', 10), roles), resources: ['AccessRole prod-k8s-operator'] }],
  passes: [{ name: 'both roles have events', facts: withLedger([...cleanRequest('prod-db-admin', 'AR-1', 10), breakglass('prod-k8s-operator', 'BG-1', 4)], roles) }],
});

describeControl(control('ACC-008'), {
  triggers: [
    {
      name: 'expired grants and break-glass never revoked',
      facts: withLedger([granted('prod-db-admin', 'AR-1', 20, 2), breakglass('prod-k8s-operator', 'BG-1', 10), revoked('prod-db-admin', 'AR-9', 19)]),
      resources: ['AccessRole prod-db-admin', 'AccessRole prod-k8s-operator'],
    },
  ],
  passes: [{ name: 'revoked, or still running', facts: withLedger([...cleanRequest('prod-db-admin', 'AR-1', 10), granted('prod-db-admin', 'AR-2', 1, 2)]) }],
});

describeControl(control('ACC-009'), {
  triggers: [
    {
      name: 'one approver, and two approvers for two approvals',
      facts: withModel({
        teams: [team('platform', ['lukas@x.example', 'grace@x.example'])],
        accessRoles: [accessRole('solo', { approvers: { users: ['ana@x.example'] } }), accessRole('pair', { minApprovals: 2 }), accessRole('prod-db-admin')],
      }),
      resources: ['AccessRole solo', 'AccessRole pair'],
    },
  ],
  passes: [
    {
      name: 'a team of two plus a user, counted once per person',
      facts: withModel({ teams: [team('platform', ['lukas@x.example', 'grace@x.example'])], accessRoles: [accessRole('x', { approvers: { teams: ['platform'], users: ['LUKAS@x.example', 'ana@x.example'] }, minApprovals: 2 })] }),
    },
  ],
});
