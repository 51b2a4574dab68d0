import { changeEventTypes, changeHasRef, changeText, namesId } from '../incidents/followups/change-events.ts';
import { followUpsOf } from '../incidents/followups/follow-ups-of.ts';
import type { LedgerEvent } from '../ledger/types.ts';
import type { MetricsFact, TimedFact } from './lineage.ts';

const changeTypes: ReadonlySet<string> = new Set(changeEventTypes);

/** Whether an event can carry out a follow-up (a merge, a commit, a deploy, an infrastructure change). */
export const isFollowUpChange = (fact: MetricsFact): boolean => changeTypes.has(fact.type);

/** The follow-up fold reads seq, id, type, time, data and actor: the fields a MetricsFact has. */
export const asLedgerEvent = (fact: MetricsFact): LedgerEvent => fact as LedgerEvent;

/**
 * What follow-up completion is computed from: the incident and follow-up events, and of the change events
 * only those that may carry a follow-up out (they name one of its keys, or a hand-made link points at
 * them). The follow-up fold (src/incidents/followups) then decides; this only spares it the tens of
 * thousands of changes that name no follow-up.
 */
export function followUpInputs(events: readonly TimedFact[]): TimedFact[] {
  const records = events.filter(({ fact }) => !isFollowUpChange(fact));
  const followUps = followUpsOf(records.map(({ fact }) => asLedgerEvent(fact)));
  if (followUps.length === 0) return [];
  const keys = keysByFirstWord(followUps.flatMap((followUp) => followUp.keys));
  const links = followUps.flatMap((followUp) => followUp.manualLinks);
  const seqs = new Set(links.flatMap((link) => (link.seq === undefined ? [] : [link.seq])));
  const refs = links.flatMap((link) => (link.ref === undefined ? [] : [link.ref]));
  return events.filter(
    ({ fact }) =>
      !isFollowUpChange(fact) || seqs.has(fact.seq) || refs.some((ref) => changeHasRef(asLedgerEvent(fact), ref)) || mentionsAny(fact, keys),
  );
}

interface KeyIndex {
  /** keys by their first run of letters and digits, lower-cased */
  readonly byFirstWord: ReadonlyMap<string, string[]>;
  /** keys that do not start with a letter or digit: always tried */
  readonly others: readonly string[];
}

function keysByFirstWord(keys: readonly string[]): KeyIndex {
  const byFirstWord = new Map<string, string[]>();
  const others: string[] = [];
  for (const key of new Set(keys)) {
    const first = /^[a-z0-9]+/i.exec(key)?.[0]?.toLowerCase();
    if (first === undefined) others.push(key);
    else byFirstWord.set(first, [...(byFirstWord.get(first) ?? []), key]);
  }
  return { byFirstWord, others };
}

/**
 * A key named as a whole word starts where the text's run of letters and digits starts, and that run is
 * the key's own first run: only keys whose first run appears as a run of the text can be named.
 */
function mentionsAny(fact: MetricsFact, keys: KeyIndex): boolean {
  const text = changeText(asLedgerEvent(fact));
  const candidates = [...keys.others];
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) candidates.push(...(keys.byFirstWord.get(word) ?? []));
  return candidates.some((key) => namesId(text, key));
}
