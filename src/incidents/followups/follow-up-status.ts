import type { LedgerEvent } from '../../ledger/types.ts';
import { changeHasRef, changeText, isChangeEvent, isMergedChange, isMergedType, namesId } from './change-events.ts';
import { followUpsOf } from './follow-ups-of.ts';
import type { FollowUp, FollowUpState, FollowUpStatus, LinkedChange, ManualLink } from './types.ts';

/**
 * The changes linked to a follow-up: later change events naming one of its keys, and the changes it was
 * linked to by hand (by sequence number, else by a reference one of the events carries). Pure.
 */
export function linkedChanges(followUp: FollowUp, changes: readonly LedgerEvent[]): LinkedChange[] {
  const mentioned = changes
    .filter((change) => Date.parse(change.time) >= followUp.since && followUp.keys.some((key) => namesId(changeText(change), key)))
    .map((change): LinkedChange => ({ via: 'mention', seq: change.seq, type: change.type, time: change.time, merged: isMergedChange(change) }));
  const manual = followUp.manualLinks.map((link) => manualChange(link, changes));
  return [...mentioned, ...manual];
}

function manualChange(link: ManualLink, changes: readonly LedgerEvent[]): LinkedChange {
  const event =
    link.seq !== undefined ? changes.find((change) => change.seq === link.seq) : link.ref !== undefined ? changes.find((change) => changeHasRef(change, link.ref!)) : undefined;
  const ref = link.ref !== undefined ? { ref: link.ref } : {};
  if (event) return { via: 'manual', seq: event.seq, type: event.type, ...ref, time: event.time, merged: isMergedChange(event) };
  return {
    via: 'manual',
    ...(link.seq !== undefined ? { seq: link.seq } : {}),
    ...(link.type ? { type: link.type } : {}),
    ...ref,
    merged: isMergedType(link.type),
  };
}

/** `done` when closed or linked to a merged change, `overdue` when open past its due time, else `open`. Pure. */
export function followUpStatus(followUp: FollowUp, changes: readonly LedgerEvent[], now: Date): FollowUpStatus {
  const linked = linkedChanges(followUp, changes);
  const merged = linked.some((change) => change.merged);
  const status: FollowUpState = followUp.closed || merged ? 'done' : followUp.dueAt < now.getTime() ? 'overdue' : 'open';
  return { ...followUp, status, closedWithoutChange: followUp.closed !== undefined && !merged, changes: linked };
}

/** Every follow-up the events (oldest first) record, with its status at `now`. Pure. */
export function followUpStatuses(events: readonly LedgerEvent[], now: Date): FollowUpStatus[] {
  const changes = events.filter(isChangeEvent);
  return followUpsOf(events).map((followUp) => followUpStatus(followUp, changes, now));
}
