import { describe, expect, it } from 'vitest';
import { emptyModel } from '../../model/resolve.ts';
import { ledgerEvent } from './control-fixtures.ts';
import { accessRequestsOf, datastoreHistory, deploysOf, grantLengthMs, incidentsOf, isProductionEnvironment, mentions, serviceOf } from './ledger-history.ts';

describe('deploysOf', () => {
  it('joins a start with its outcome and keeps an outcome without start as its own deploy', () => {
    const deploys = deploysOf([
      ledgerEvent('deploy.started', 10, { service: 'a', environment: 'production', version: 'v1' }, { actor: 'github:ana' }),
      ledgerEvent('deploy.finished', 9.9, { service: 'a', environment: 'production', version: 'v1' }),
      ledgerEvent('deploy.failed', 5, { service: 'a', environment: 'production', version: 'v2', reason: 'x', triggeredBy: 'github:tom' }),
      ledgerEvent('deploy.started', 2, { service: 'a', environment: 'staging', version: 'v3', deployId: 'd3' }),
      ledgerEvent('deploy.finished', 1, { service: 'a', environment: 'staging', version: 'v3-other', deployId: 'd3' }),
    ]);
    expect(deploys.map(({ service, environment, version, outcome, person }) => ({ service, environment, version, outcome, person }))).toEqual([
      { service: 'a', environment: 'production', version: 'v1', outcome: 'finished', person: 'github:ana' },
      { service: 'a', environment: 'production', version: 'v2', outcome: 'failed', person: 'github:tom' },
      { service: 'a', environment: 'staging', version: 'v3', outcome: 'finished', person: undefined },
    ]);
  });
});

describe('isProductionEnvironment', () => {
  it('takes strict environments from the model and prod-like names otherwise', () => {
    const model = { ...emptyModel(), environments: [{ name: 'live', labels: {}, annotations: {}, protection: 'strict' as const }] };
    expect(isProductionEnvironment(model, 'live')).toBe(true);
    expect(isProductionEnvironment(undefined, 'production')).toBe(true);
    expect(isProductionEnvironment(undefined, 'prod-eu')).toBe(true);
    expect(isProductionEnvironment(undefined, 'staging')).toBe(false);
    expect(isProductionEnvironment(undefined, 'producer')).toBe(false);
    expect(isProductionEnvironment(undefined, undefined)).toBe(false);
  });
});

describe('accessRequestsOf', () => {
  it('groups access events by request id and a break-glass without one by its event', () => {
    const requests = accessRequestsOf([
      ledgerEvent('access.requested', 5, { role: 'r', requester: 'ana', requestId: 'AR-1', reason: 'x' }),
      ledgerEvent('access.approved', 4, { role: 'r', requester: 'ana', requestId: 'AR-1', reason: 'x', approver: 'tom' }),
      ledgerEvent('access.granted', 3, { role: 'r', requester: 'ana', requestId: 'AR-1', reason: 'x', expiresAt: '2026-11-26T08:00:00Z' }),
      ledgerEvent('access.breakglass', 2, { role: 'r', requester: 'omar', reason: 'fire', expiresAt: '2026-11-26T08:00:00Z' }),
    ]);
    expect(requests.map((request) => [request.requestId.startsWith('/test#') ? 'event' : request.requestId, request.approvals.length, request.grants.length, request.breakglass.length])).toEqual([
      ['AR-1', 1, 1, 0],
      ['event', 0, 0, 1],
    ]);
    expect(grantLengthMs(requests[0]!.grants[0]!)).toBe(2 * 3_600_000);
  });
});

describe('incidentsOf', () => {
  it('follows severity changes, resolution and postmortems', () => {
    const [incident] = incidentsOf([
      ledgerEvent('incident.declared', 5, { incidentId: 'INC-1', title: 't', severity: 'sev3', services: ['a'] }),
      ledgerEvent('incident.updated', 4, { incidentId: 'INC-1', message: 'm', severity: 'sev1' }),
      ledgerEvent('incident.resolved', 3, { incidentId: 'INC-1' }),
      ledgerEvent('incident.postmortem', 1, { incidentId: 'INC-1', url: 'https://x' }),
    ]);
    expect(incident).toMatchObject({ id: 'INC-1', severity: 'sev1', services: ['a'], title: 't' });
    expect(incident?.resolved?.type).toBe('dev.steadyops.incident.resolved');
    expect(incident?.postmortems).toHaveLength(1);
  });
});

describe('small readers', () => {
  it('serviceOf prefers the payload and strips a service/ subject', () => {
    expect(serviceOf(ledgerEvent('config.changed', 1, {}, { subject: 'service/a' }))).toBe('a');
    expect(serviceOf(ledgerEvent('config.changed', 1, { service: 'b' }, { subject: 'a' }))).toBe('b');
  });
  it('datastoreHistory sorts backup and drill events of one datastore', () => {
    const history = datastoreHistory(
      [ledgerEvent('backup.completed', 2, { datastore: 'pg', backupId: 'b' }), ledgerEvent('backup.failed', 1, { datastore: 'other', reason: 'x' })],
      'pg',
    );
    expect([history.backupsCompleted.length, history.backupsFailed.length]).toEqual([1, 0]);
  });
  it('mentions matches whole ids only', () => {
    expect(mentions('Fix for inc-1 lock', 'INC-1')).toBe(true);
    expect(mentions('INC-10: other', 'INC-1')).toBe(false);
    expect(mentions('see https://jira/PAY-1?x', 'https://jira/PAY-1')).toBe(true);
  });
});
