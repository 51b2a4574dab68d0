import type { CloudEventInput } from '../../ledger/types.ts';
import { SteadyopsError } from '../../lib/errors.ts';

export const sourceTokenPrefix = 'source:';

/**
 * A token named `source:<prefix>` may send only events whose source is `/<prefix>` or lies under it
 * (`/<prefix>/...`); any other token name pins nothing. Matching whole path segments keeps
 * `source:github` from sending as `/github-actions`.
 */
export function pinnedSourceOf(tokenName: string): string | undefined {
  if (!tokenName.startsWith(sourceTokenPrefix)) return undefined;
  const prefix = tokenName.slice(sourceTokenPrefix.length).replace(/^\/+|\/+$/g, '');
  return `/${prefix}`;
}

export function sourceAllowed(pinned: string, source: string): boolean {
  if (pinned === '/') return source.startsWith('/');
  return source === pinned || source.startsWith(`${pinned}/`);
}

/** Throws SO_E_FORBIDDEN naming every event whose source the token may not send; nothing is written then. */
export function assertSourcesAllowed(token: { readonly name: string; readonly role: string }, events: readonly CloudEventInput[]): void {
  const pinned = pinnedSourceOf(token.name);
  if (pinned === undefined) return;
  const issues = events.flatMap((event, index) =>
    sourceAllowed(pinned, event.source)
      ? []
      : [{ path: `[${index}].source`, message: `${event.source} is outside ${pinned}, the only source token ${token.name} may send` }],
  );
  if (issues.length === 0) return;
  const error = new SteadyopsError('SO_E_FORBIDDEN', { role: token.role, required: `a token for ${issues.length === 1 ? 'that source' : 'those sources'}` }, issues);
  error.message = `token ${token.name} may send only events with source ${pinned} or under it; ${issues[0]!.message}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`;
  throw error;
}
