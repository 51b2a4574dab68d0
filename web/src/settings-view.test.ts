import { describe, expect, it } from 'vitest';
import type { ConnectorStatus, TokenRecord } from './api-types.ts';
import { configuredText, connectorState, shortHash, sortConnectors, sortTokens, tokenNameProblem, tokenState } from './settings-view.ts';

const last = { seq: 1, type: 't', source: '/github/x', time: '2026-11-26T08:00:00Z', receivedAt: '2026-11-26T08:00:01Z' };
function connector(id: string, extra: Partial<ConnectorStatus> = {}): ConnectorStatus {
  return { id, title: id, kind: 'webhook', hooks: [], configured: {}, lastEvent: null, last24h: 0, ...extra };
}

describe('settings view', () => {
  it('says which flags are configured, never more', () => {
    expect(configuredText({ webhookSecret: true, app: false })).toBe('webhook secret: yes, GitHub App: no');
    expect(configuredText({ token: true })).toBe('operator token: yes');
    expect(configuredText({})).toBe('nothing to configure');
  });

  it('tells receiving, idle, silent and unconfigured connectors apart', () => {
    expect(connectorState(connector('a', { lastEvent: last, last24h: 3 }))).toBe('receiving');
    expect(connectorState(connector('a', { lastEvent: last, last24h: 0 }))).toBe('idle');
    expect(connectorState(connector('a'))).toBe('silent');
    expect(connectorState(connector('a', { configured: { webhookSecret: false } }))).toBe('unconfigured');
    // events arriving through another path still count as receiving
    expect(connectorState(connector('a', { configured: { webhookSecret: false }, lastEvent: last, last24h: 2 }))).toBe('receiving');
  });

  it('sorts connectors by activity, then by title', () => {
    const sorted = sortConnectors([connector('c'), connector('b', { lastEvent: last }), connector('a', { lastEvent: last, last24h: 5 }), connector('d', { lastEvent: last, last24h: 9 })]);
    expect(sorted.map((c) => c.id)).toEqual(['d', 'a', 'b', 'c']);
  });

  it('tells active, expired and revoked tokens apart and lists active ones first', () => {
    const now = new Date('2026-11-26T12:00:00Z');
    const token = (name: string, extra: Partial<TokenRecord> = {}): TokenRecord => ({ id: name, name, role: 'viewer', createdAt: '2026-11-01T00:00:00Z', createdBy: 'token:admin', ...extra });
    expect(tokenState(token('a'), now)).toBe('active');
    expect(tokenState(token('a', { expiresAt: '2026-11-26T11:59:59Z' }), now)).toBe('expired');
    expect(tokenState(token('a', { expiresAt: '2026-12-26T00:00:00Z' }), now)).toBe('active');
    expect(tokenState(token('a', { revokedAt: '2026-11-20T00:00:00Z', expiresAt: '2026-11-01T00:00:00Z' }), now)).toBe('revoked');
    const sorted = sortTokens([token('z', { revokedAt: '2026-11-20T00:00:00Z' }), token('y', { expiresAt: '2026-11-02T00:00:00Z' }), token('b'), token('a')], now);
    expect(sorted.map((t) => t.name)).toEqual(['a', 'b', 'y', 'z']);
  });

  it('checks token names like the server and shortens hashes', () => {
    expect(tokenNameProblem('ci-deployer')).toBeUndefined();
    expect(tokenNameProblem('-bad')).toBeDefined();
    expect(tokenNameProblem('has space')).toBeDefined();
    expect(shortHash('KEM4w0VA1xLEJwKp9vhlpJMB6Oo1lxHldA4RsCDWgj4=')).toBe('KEM4w0VA1x…4RsCDWgj4=');
    expect(shortHash('short')).toBe('short');
  });
});
