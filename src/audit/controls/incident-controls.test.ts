import { describe, expect, it } from 'vitest';
import { auditNow, describeControl } from './control-cases.ts';
import { ledgerEvent, service, withLedger, withModel } from './control-fixtures.ts';
import { incidentControls } from './incident-controls.ts';

const control = (id: string) => incidentControls.find((entry) => entry.id === id)!;
const DAY = 24;

const declared = (id: string, daysAgo: number, severity = 'sev2') =>
  ledgerEvent('incident.declared', daysAgo * DAY, { incidentId: id, title: `${id} outage`, severity, services: ['payments-gateway'] }, { subject: 'payments-gateway' });
const resolved = (id: string, daysAgo: number) => ledgerEvent('incident.resolved', daysAgo * DAY, { incidentId: id }, { subject: 'payments-gateway' });
const postmortem = (id: string, daysAgo: number, followUps: Array<Record<string, unknown>>) =>
  ledgerEvent('incident.postmortem', daysAgo * DAY, { incidentId: id, url: `https://wiki.example/${id}`, followUps }, { subject: 'payments-gateway' });
const merge = (daysAgo: number, title: string, sourceBranch = 'feature/x') =>
  ledgerEvent('git.merge', daysAgo * DAY, { repo: 'northwind/payments-gateway', sha: 'abcdef1', branch: 'main', sourceBranch, author: 'ana', title }, { subject: 'payments-gateway' });

const model = withModel({ services: [service('payments-gateway')] });

describeControl(control('INC-001'), {
  triggers: [
    {
      name: 'follow-ups past due with no merge naming them',
      facts: withLedger(
        [
          declared('INC-1', 40),
          resolved('INC-1', 40),
          postmortem('INC-1', 38, [{ title: 'Automatic failover' }, { title: 'Alert on 5xx', issue: 'PAY-12' }]),
          merge(30, 'Tune retries'),
          declared('INC-2', 30),
          postmortem('INC-2', 28, [{ title: 'Fix lock', issue: 'PAY-20' }, { title: 'Docs', issue: 'PAY-21' }]),
          merge(20, 'Fix lock (PAY-20)'),
        ],
        model,
      ),
      resources: ['Incident INC-1', 'Incident INC-2'],
    },
    {
      name: 'a merge naming INC-10 does not close INC-1',
      facts: withLedger([declared('INC-1', 40), postmortem('INC-1', 38, [{ title: 'Automatic failover' }]), merge(30, 'INC-10: unrelated')]),
      resources: ['Incident INC-1'],
    },
    {
      name: 'an explicit due date already passed',
      facts: withLedger([declared('INC-3', 6), postmortem('INC-3', 5, [{ title: 'Quick fix', due: '2026-11-24' }])]),
      resources: ['Incident INC-3'],
    },
  ],
  passes: [
    {
      name: 'merges naming the incident or the follow-up issue',
      facts: withLedger([
        declared('INC-1', 40),
        postmortem('INC-1', 38, [{ title: 'Automatic failover' }, { title: 'Alert on 5xx', issue: 'PAY-12' }]),
        merge(35, 'Automatic failover', 'inc-1-failover'),
        merge(33, 'PAY-12: alert on acquirer 5xx'),
      ]),
    },
    { name: 'follow-ups not yet due', facts: withLedger([declared('INC-5', 5), postmortem('INC-5', 4, [{ title: 'Later' }])]) },
    { name: 'a merge before the incident does not count, but nothing is due', facts: withLedger([merge(10, 'INC-6 prep'), declared('INC-6', 3), postmortem('INC-6', 2, [{ title: 'x' }])]) },
  ],
});

describe('INC-001 with recorded follow-ups', () => {
  const created = (id: string, daysAgo: number, due: string) =>
    ledgerEvent('followup.created', daysAgo * DAY, { followUpId: id, incidentId: 'INC-7', title: `Fix ${id}`, owner: 'ana', due }, { subject: 'payments-gateway' });
  const evaluate = (events: Parameters<typeof withLedger>[0]) => control('INC-001').evaluate(withLedger(events, model), auditNow);

  it('flags an SO-FU follow-up past due with no merge naming it, and passes one a merge names', () => {
    const [finding] = evaluate([declared('INC-7', 20), created('SO-FU-1', 19, '2026-11-20'), created('SO-FU-2', 19, '2026-11-20'), merge(10, 'SO-FU-2: retry budget')]);
    expect(finding?.resource).toBe('Incident INC-7');
    expect(finding?.evidence).toContain('SO-FU-1 "Fix SO-FU-1" (due 2026-11-20)');
    expect(finding?.evidence).not.toContain('SO-FU-2');
  });

  it('flags a follow-up closed without a linked merged change', () => {
    const closed = ledgerEvent('followup.closed', 5 * DAY, { followUpId: 'SO-FU-3', reason: 'not worth it' }, { subject: 'payments-gateway' });
    const [finding] = evaluate([declared('INC-7', 20), created('SO-FU-3', 19, '2026-12-20'), closed]);
    expect(finding?.evidence).toBe('SO-FU-3 "Fix SO-FU-3" was closed ("not worth it") without a linked merged change.');
  });

  it('passes a follow-up linked by hand to a merge', () => {
    const landed = merge(8, 'Retry budget');
    const link = ledgerEvent('followup.linked', 7 * DAY, { followUpId: 'SO-FU-4', change: { seq: landed.seq } });
    expect(evaluate([declared('INC-7', 20), created('SO-FU-4', 19, '2026-11-20'), landed, link])).toEqual([]);
  });
});

describe('INC-001 evidence', () => {
  it('names the open follow-ups and the team', () => {
    const [finding] = control('INC-001').evaluate(withLedger([declared('INC-1', 40), postmortem('INC-1', 38, [{ title: 'Automatic failover' }])], model), auditNow);
    expect(finding).toMatchObject({ service: 'payments-gateway', team: 'payments' });
    expect(finding?.evidence).toContain('"Automatic failover"');
  });
});

describeControl(control('INC-002'), {
  triggers: [
    {
      name: 'a sev1, and a sev3 raised to sev2, resolved long ago without postmortem',
      facts: withLedger([
        declared('INC-1', 20, 'sev1'),
        resolved('INC-1', 19),
        declared('INC-2', 15, 'sev3'),
        ledgerEvent('incident.updated', 15 * DAY - 1, { incidentId: 'INC-2', message: 'worse', severity: 'sev2' }),
        resolved('INC-2', 14),
      ]),
      resources: ['Incident INC-1', 'Incident INC-2'],
    },
  ],
  passes: [
    {
      name: 'postmortem published, sev3, or resolved recently',
      facts: withLedger([
        declared('INC-1', 20, 'sev1'),
        resolved('INC-1', 19),
        postmortem('INC-1', 17, []),
        declared('INC-2', 20, 'sev3'),
        resolved('INC-2', 19),
        declared('INC-3', 3, 'sev1'),
        resolved('INC-3', 3),
      ]),
    },
  ],
});

describeControl(control('INC-003'), {
  triggers: [{ name: 'declared three weeks ago, never resolved', facts: withLedger([declared('INC-1', 21), declared('INC-2', 2)]), resources: ['Incident INC-1'] }],
  passes: [{ name: 'resolved, or recent', facts: withLedger([declared('INC-1', 21), resolved('INC-1', 20), declared('INC-2', 2)]) }],
});
