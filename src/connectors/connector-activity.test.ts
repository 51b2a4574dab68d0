import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../ledger/types.ts';
import { connectorOf, ConnectorTally } from './connector-activity.ts';

const stored = (seq: number, source: string, ingestedAt: string, actor = 'token:ci'): LedgerEvent => ({
  seq,
  specversion: '1.0',
  id: `e${seq}`,
  source,
  type: 'dev.steadyops.deploy.finished',
  time: '2020-01-01T00:00:00.000Z',
  actor,
  ingested_at: ingestedAt,
  leaf_hash: '',
});

describe('connectorOf', () => {
  it('tells connectors apart by source prefix, and pushes by actor', () => {
    expect(connectorOf({ source: '/github/northwind/checkout-api', actor: 'github' })).toBe('github');
    expect(connectorOf({ source: '/alertmanager/prod', actor: 'token:am' })).toBe('alertmanager');
    expect(connectorOf({ source: '/pagerduty/0123456789ab', actor: 'token:pd' })).toBe('pagerduty');
    expect(connectorOf({ source: '/kubernetes/prod', actor: 'kubernetes' })).toBe('kubernetes');
    expect(connectorOf({ source: '/git/northwind/checkout-api', actor: 'cli:ana' })).toBe('git');
    expect(connectorOf({ source: '/terraform/prod', actor: 'cli:ana' })).toBe('terraform');
    expect(connectorOf({ source: '/steadyops/gates', actor: 'token:ci' })).toBe('steadyops');
    expect(connectorOf({ source: '/github-actions/northwind', actor: 'token:source:github-actions' })).toBe('cloudevents');
    expect(connectorOf({ source: '/my/deployer', actor: 'cli:ana' })).toBe('cli');
  });
});

describe('ConnectorTally', () => {
  it('keeps the latest event per connector and counts what was received in the last 24 h', () => {
    const tally = new ConnectorTally();
    tally.add(stored(1, '/github/a', '2026-11-24T08:00:00.000Z'));
    tally.add(stored(2, '/github/a', '2026-11-25T09:30:00.000Z'));
    tally.add(stored(3, '/github/b', '2026-11-26T08:59:00.000Z'));
    tally.add(stored(4, '/my/deployer', '2026-11-26T08:00:00.000Z', 'cli:ana'));
    const snapshot = tally.snapshot(new Date('2026-11-26T09:00:00.000Z'));
    expect(snapshot.find((entry) => entry.id === 'github')).toEqual({
      id: 'github',
      lastEvent: { seq: 3, type: 'dev.steadyops.deploy.finished', source: '/github/b', time: '2020-01-01T00:00:00.000Z', receivedAt: '2026-11-26T08:59:00.000Z' },
      last24h: 2,
    });
    expect(snapshot.find((entry) => entry.id === 'cli')).toMatchObject({ last24h: 1, lastEvent: { seq: 4 } });
    expect(snapshot.find((entry) => entry.id === 'kubernetes')).toEqual({ id: 'kubernetes', lastEvent: null, last24h: 0 });
    expect(tally.snapshot(new Date('2026-11-28T09:00:00.000Z')).every((entry) => entry.last24h === 0)).toBe(true);
  });
});
