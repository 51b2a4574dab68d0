import { describe, expect, it } from 'vitest';
import { emptyModel } from '../../model/resolve.ts';
import { describeControl } from './control-cases.ts';
import { datastore, ledgerEvent, policy, service, team, withLedger, withModel } from './control-fixtures.ts';
import { ownershipControls, teamsOfOwner } from './ownership-controls.ts';

const control = (id: string) => ownershipControls.find((entry) => entry.id === id)!;

const payments = team('payments', ['ana@x.example', 'tom@x.example']);
const platform = team('platform', ['lukas@x.example', 'grace@x.example']);
const codeowners = (entries: Array<[string, ...string[]]>) => ({
  file: 'CODEOWNERS',
  entries: entries.map(([pattern, ...owners], index) => ({ line: index + 1, pattern, owners })),
});

describeControl(control('OWN-001'), {
  triggers: [
    {
      name: 'a team owning a service and one owning only a datastore, both without on-call',
      facts: withModel({
        teams: [team('payments', undefined, { oncall: undefined }), team('platform', undefined, { oncall: undefined }), team('idle', undefined, { oncall: undefined })],
        services: [service('checkout-api')],
        datastores: [datastore('core-postgres')],
      }),
      resources: ['Team payments', 'Team platform'],
    },
  ],
  passes: [
    { name: 'teams with on-call', facts: withModel({ teams: [payments], services: [service('checkout-api')] }) },
    {
      name: 'a team owning only a deprecated service',
      facts: withModel({ teams: [team('payments', undefined, { oncall: undefined })], services: [service('legacy', { lifecycle: 'deprecated' })] }),
    },
  ],
});

describeControl(control('OWN-002'), {
  triggers: [
    {
      name: 'a team of one, and a rotation of one',
      facts: withModel({
        teams: [
          team('payments', ['ana@x.example']),
          team('identity', ['mei@x.example', 'omar@x.example'], { oncall: { rotation: { members: ['mei@x.example'], period: '1w', handoff: '09:00', start: '2026-01-05' } } }),
        ],
        services: [service('checkout-api'), service('auth-service', { owner: 'identity' })],
      }),
      resources: ['Team payments', 'Team identity'],
    },
  ],
  passes: [
    { name: 'two people', facts: withModel({ teams: [payments], services: [service('checkout-api')] }) },
    { name: 'a team of one owning tier 2 only', facts: withModel({ teams: [team('payments', ['ana@x.example'])], services: [service('billing', { tier: 2 })] }) },
  ],
});

const known = withModel({ teams: [platform], services: [service('checkout-api')], datastores: [datastore('core-postgres')] });

describeControl(control('OWN-003'), {
  triggers: [
    {
      name: 'deploys and alerts of a service the model lost',
      facts: withLedger(
        [
          ledgerEvent('deploy.finished', 5, { service: 'legacy-api', environment: 'production', version: 'v1' }),
          ledgerEvent('alert.firing', 4, { alertname: 'X' }, { subject: 'legacy-api' }),
          ledgerEvent('backup.completed', 3, { datastore: 'old-mysql', backupId: 'b1' }, { subject: 'datastore/old-mysql' }),
          ledgerEvent('deploy.finished', 2, { service: 'checkout-api', environment: 'production', version: 'v2' }),
        ],
        known,
      ),
      resources: ['Ledger subject legacy-api', 'Ledger subject datastore/old-mysql'],
    },
  ],
  passes: [
    {
      name: 'subjects the model knows, bare or qualified, and events without subject',
      facts: withLedger(
        [
          ledgerEvent('deploy.finished', 5, { service: 'checkout-api', environment: 'production', version: 'v1' }),
          ledgerEvent('backup.completed', 3, { datastore: 'core-postgres', backupId: 'b1' }, { subject: 'datastore/core-postgres' }),
          ledgerEvent('token.created', 3, { tokenId: 't' }, { subject: 'team/platform' }),
          ledgerEvent('infra.applied', 1, { environment: 'production' }),
        ],
        known,
      ),
    },
  ],
});

const owned = { teams: [payments, platform, team('identity', ['mei@x.example', 'omar@x.example'])], services: [service('checkout-api'), service('auth-service', { owner: 'identity', repo: { url: 'x', path: 'apps/auth/' } })] };

describeControl(control('OWN-004'), {
  triggers: [
    {
      name: 'an unknown team, an unknown person, and a service path given to another team',
      facts: withModel(owned, {
        codeowners: codeowners([
          ['*', '@northwind/platform'],
          ['/services/checkout-api/', '@northwind/identity'],
          ['/apps/auth/', '@northwind/legacy', '@stranger'],
          ['/docs/', '@northwind/legacy'],
        ]),
      }),
      resources: ['CODEOWNERS /services/checkout-api/', 'CODEOWNERS owner @northwind/legacy', 'CODEOWNERS owner @stranger'],
    },
  ],
  passes: [
    {
      name: 'teams, members by login and by e-mail, each on its own services',
      facts: withModel(owned, {
        codeowners: codeowners([
          ['*', '@northwind/platform'],
          ['/services/checkout-api/', '@northwind/payments', '@lukas'],
          ['/apps/auth/', 'mei@x.example'],
        ]),
      }),
    },
    { name: 'no CODEOWNERS file', facts: withModel(owned) },
  ],
});

describeControl(control('OWN-005'), {
  triggers: [{ name: 'a service without a policy', facts: withModel({ services: [service('checkout-api', { releasePolicy: 'tier1' }), service('billing')] }), resources: ['Service billing'] }],
  passes: [
    { name: 'every service names a policy', facts: withModel({ services: [service('checkout-api', { releasePolicy: 'tier1' })], releasePolicies: [policy('tier1')] }) },
    { name: 'an experimental service is exempt', facts: withModel({ services: [service('labs', { lifecycle: 'experimental' })] }) },
  ],
});

describeControl(control('OWN-006'), {
  triggers: [
    {
      name: 'tier-1 services critically depending on a tier-2 datastore and a tier-3 service',
      facts: withModel({
        services: [
          service('auth-service', { dependsOn: [{ datastore: 'session-redis', critical: true }, { service: 'mailer', critical: true }] }),
          service('mailer', { tier: 3 }),
        ],
        datastores: [datastore('session-redis', { tier: 2 })],
      }),
      resources: ['Service auth-service -> Datastore session-redis', 'Service auth-service -> Service mailer'],
    },
  ],
  passes: [
    {
      name: 'same-tier critical dependencies, non-critical lower tiers, datastores without a tier',
      facts: withModel({
        services: [
          service('checkout-api', { dependsOn: [{ service: 'payments', critical: true }, { service: 'search', critical: false }, { datastore: 'cache', critical: true }, { external: 'stripe', critical: true }] }),
          service('payments'),
          service('search', { tier: 3 }),
        ],
        datastores: [datastore('cache', { tier: undefined })],
      }),
    },
  ],
});

describe('teamsOfOwner', () => {
  it('maps team slugs, GitHub logins and e-mails to model teams', () => {
    const model = { ...emptyModel(), teams: [payments] };
    expect(teamsOfOwner(model, '@northwind/payments')).toEqual(['payments']);
    expect(teamsOfOwner(model, '@ana')).toEqual(['payments']);
    expect(teamsOfOwner(model, 'TOM@x.example')).toEqual(['payments']);
    expect(teamsOfOwner(model, '@northwind/nobody')).toEqual([]);
  });
});
