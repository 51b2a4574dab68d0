/** The Settings page's pure logic: connector state, configured flags and token status. */
import type { ConnectorStatus, TokenRecord } from './api-types.ts';

const flagLabels: Record<string, string> = {
  webhookSecret: 'webhook secret',
  app: 'GitHub App',
  token: 'operator token',
};

/** `webhook secret: no, GitHub App: no`; `nothing to configure` for connectors with no flag. */
export function configuredText(configured: Readonly<Record<string, boolean>>): string {
  const entries = Object.entries(configured);
  if (entries.length === 0) return 'nothing to configure';
  return entries.map(([key, value]) => `${flagLabels[key] ?? key}: ${value ? 'yes' : 'no'}`).join(', ');
}

/** `silent` when nothing arrived in the tally window, `unconfigured` when a flag is off, else `receiving`/`idle`. */
export function connectorState(connector: Pick<ConnectorStatus, 'configured' | 'lastEvent' | 'last24h'>): 'receiving' | 'idle' | 'silent' | 'unconfigured' {
  if (Object.values(connector.configured).some((value) => !value) && !connector.lastEvent) return 'unconfigured';
  if (!connector.lastEvent) return 'silent';
  return connector.last24h > 0 ? 'receiving' : 'idle';
}

/** Active connectors first (most events in 24 h), silent ones after, by title. */
export function sortConnectors(connectors: readonly ConnectorStatus[]): ConnectorStatus[] {
  return [...connectors].sort((a, b) => b.last24h - a.last24h || Number(b.lastEvent !== null) - Number(a.lastEvent !== null) || a.title.localeCompare(b.title));
}

/** `revoked`, `expired` or `active`, as of `now`. */
export function tokenState(token: Pick<TokenRecord, 'revokedAt' | 'expiresAt'>, now: Date): 'revoked' | 'expired' | 'active' {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && Date.parse(token.expiresAt) <= now.getTime()) return 'expired';
  return 'active';
}

/** Active tokens first, then by name. */
export function sortTokens(tokens: readonly TokenRecord[], now: Date): TokenRecord[] {
  const order = { active: 0, expired: 1, revoked: 2 };
  return [...tokens].sort((a, b) => order[tokenState(a, now)] - order[tokenState(b, now)] || a.name.localeCompare(b.name));
}

/** The server's token name rule (src/server/routes/token-routes.ts), checked before sending. */
export function tokenNameProblem(name: string): string | undefined {
  if (/^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/.test(name)) return undefined;
  return 'Use 1 to 100 letters, digits, ".", "_", "@" or "-", starting with a letter or digit.';
}

/** A 44-character base64 root shortened for a table cell: `KEM4w0VA…lpJMB6Oo1` style. */
export function shortHash(hash: string, keep = 10): string {
  return hash.length <= keep * 2 + 1 ? hash : `${hash.slice(0, keep)}…${hash.slice(-keep)}`;
}
