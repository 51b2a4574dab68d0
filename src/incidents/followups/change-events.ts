import type { LedgerEvent } from '../../ledger/types.ts';
import { eventData } from './follow-ups-of.ts';

/** The events that can carry out a follow-up: their text is searched for its id. */
export const changeEventTypes = [
  'dev.steadyops.git.merge',
  'dev.steadyops.git.commit',
  'dev.steadyops.infra.applied',
  'dev.steadyops.infra.planned',
  'dev.steadyops.deploy.finished',
] as const;

/** Types that are merged changes whatever their payload (a commit depends on its branch). */
const alwaysMerged = new Set(['dev.steadyops.git.merge', 'dev.steadyops.deploy.finished', 'dev.steadyops.infra.applied']);

const defaultBranches = new Set(['main', 'master']);

export function isChangeEvent(event: LedgerEvent): boolean {
  return (changeEventTypes as readonly string[]).includes(event.type);
}

/**
 * A merged change: a pull request merge, a commit on the default branch (`data.defaultBranch`, else main or
 * master), an infrastructure change applied (not one that failed), or a finished deploy.
 */
export function isMergedChange(event: LedgerEvent): boolean {
  const data = eventData(event);
  if (event.type === 'dev.steadyops.git.commit') {
    const branch = typeof data.branch === 'string' ? data.branch.replace(/^refs\/heads\//, '') : '';
    return typeof data.defaultBranch === 'string' ? branch === data.defaultBranch : defaultBranches.has(branch);
  }
  if (event.type === 'dev.steadyops.infra.applied') return data.outcome !== 'failed';
  return alwaysMerged.has(event.type);
}

/** When only the type of a hand-linked change is known (its event is outside the events read). */
export function isMergedType(type: string | undefined): boolean {
  return type !== undefined && alwaysMerged.has(type);
}

/** The text a change is searched in: its payload's top-level strings and numbers (title, branch, body, message...). */
export function changeText(event: LedgerEvent): string {
  return Object.values(eventData(event))
    .filter((value): value is string | number => typeof value === 'string' || typeof value === 'number')
    .join(' ');
}

/** `text` names `id` as a whole word (SO-FU-1 is not named by SO-FU-12), case-insensitively. */
export function namesId(text: string, id: string): boolean {
  const literal = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![a-z0-9])${literal}(?![a-z0-9])`, 'i').test(text);
}

/**
 * Whether a hand-given reference (a pull request number or URL, a commit sha, a plan digest, a deploy id,
 * a URL, an event id) designates this change event.
 */
export function changeHasRef(event: LedgerEvent, ref: string): boolean {
  const data = eventData(event);
  const wanted = ref.trim().replace(/^#/, '');
  const pullRequest = /\/pull\/(\d+)\/?$/.exec(wanted)?.[1] ?? wanted;
  if (typeof data.pullRequest === 'number' && String(data.pullRequest) === pullRequest) return true;
  const identifiers = [event.id, data.url, data.deployId, data.planDigest].filter((value): value is string => typeof value === 'string');
  if (identifiers.includes(wanted)) return true;
  const shas = [data.sha, data.commit].filter((value): value is string => typeof value === 'string');
  return /^[0-9a-f]{7,64}$/i.test(wanted) && shas.some((sha) => sha.toLowerCase().startsWith(wanted.toLowerCase()));
}
