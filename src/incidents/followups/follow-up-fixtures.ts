// Test-only: ledger events for follow-up tests, numbered in the order they are built.
import type { CloudEventInput, LedgerEvent } from '../../ledger/types.ts';

export const fixtureNow = new Date('2026-11-26T12:00:00Z');
const DAY_MS = 86_400_000;

export interface EventBuilder {
  (short: string, daysAgo: number, data: Record<string, unknown>, extra?: { subject?: string; actor?: string }): LedgerEvent;
}

/** A fresh builder: sequence numbers start at 1 for each test. */
export function eventBuilder(): EventBuilder {
  let seq = 0;
  return (short, daysAgo, data, extra = {}) => {
    seq += 1;
    const time = new Date(fixtureNow.getTime() - daysAgo * DAY_MS).toISOString();
    return {
      seq,
      specversion: '1.0',
      id: `evt-${seq}`,
      source: '/test',
      type: `dev.steadyops.${short}`,
      ...(extra.subject ? { subject: extra.subject } : {}),
      time,
      data,
      actor: extra.actor ?? 'system:test',
      ingested_at: time,
      leaf_hash: '',
    };
  };
}

export const declaredData = (incidentId: string) => ({ incidentId, title: `${incidentId} outage`, severity: 'sev2', services: ['payments-gateway'] });
export const createdData = (followUpId: string, due: string, incidentId = 'INC-1') => ({ followUpId, incidentId, title: `Fix for ${followUpId}`, owner: 'ana', due });
export const mergeData = (title: string, extra: Record<string, unknown> = {}) => ({
  repo: 'northwind/payments-gateway',
  sha: 'abcdef1234',
  branch: 'main',
  sourceBranch: 'feature/x',
  author: 'ana',
  title,
  ...extra,
});
export const commitData = (message: string, branch: string) => ({ repo: 'northwind/payments-gateway', sha: 'fedcba9876', branch, author: 'ana', message });

/** An incident declared on checkout-api, as a client would push it. */
export const incidentDeclaredInput = (incidentId: string, time = '2026-11-01T10:00:00Z'): CloudEventInput => ({
  specversion: '1.0',
  id: `declare-${incidentId}`,
  source: '/test',
  type: 'dev.steadyops.incident.declared',
  subject: 'checkout-api',
  time,
  data: { incidentId, title: 'Checkout errors', severity: 'sev2', services: ['checkout-api'] },
});

/** A pull request merge as a client would push it; without `time` the ledger stamps it. */
export const mergeInput = (id: string, data: Record<string, unknown>, time?: string): CloudEventInput => ({
  specversion: '1.0',
  id,
  source: '/test',
  type: 'dev.steadyops.git.merge',
  ...(time ? { time } : {}),
  data,
});
