import { randomUUID } from 'node:crypto';
import type { CloudEventInput, Ledger, LedgerEvent } from '../../ledger/types.ts';
import type { Clock } from '../../lib/clock.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import type { ResolvedModel } from '../../model/resolve.ts';
import { changeEventTypes, changeHasRef, isChangeEvent } from './change-events.ts';
import { filterFollowUps, type FollowUpQuery, type FollowUpView } from './filter-follow-ups.ts';
import { followUpStatuses } from './follow-up-status.ts';
import { endOfDueDay, eventData, sameId } from './follow-ups-of.ts';

export interface AddFollowUpInput {
  readonly incidentId: string;
  readonly title: string;
  readonly owner: string;
  /** YYYY-MM-DD */
  readonly due: string;
}

export interface FollowUpWrite {
  /** the ledger sequence number of the recorded event */
  readonly seq: number;
  readonly followUp: FollowUpView;
}

export interface FollowUpService {
  list(query: FollowUpQuery): Promise<FollowUpView[]>;
  add(input: AddFollowUpInput, actor: string): Promise<FollowUpWrite>;
  /** `change`: a ledger sequence number (digits), or a reference: `#123` or a pull request URL, a commit sha, a plan digest, a deploy id */
  link(followUpId: string, change: string, actor: string): Promise<FollowUpWrite>;
  close(followUpId: string, reason: string | undefined, actor: string): Promise<FollowUpWrite>;
}

export interface FollowUpServiceDeps {
  readonly ledger: Ledger;
  readonly clock: Clock;
  readonly model: () => ResolvedModel | undefined;
}

export const followUpSource = '/steadyops/followups';
const historyTypes = ['dev.steadyops.followup.*', 'dev.steadyops.incident.*', ...changeEventTypes];
const historyLimit = 100_000;
const followUpIdPattern = /^SO-FU-(\d+)$/i;

/** Follow-ups of incidents: listed with their status, added, linked to changes and closed, each write one ledger event. */
export function createFollowUpService(deps: FollowUpServiceDeps): FollowUpService {
  const history = async (): Promise<LedgerEvent[]> => [...(await deps.ledger.query({ types: historyTypes, limit: historyLimit }))].reverse();
  const statusesOf = (events: readonly LedgerEvent[], query: FollowUpQuery = {}) => filterFollowUps(followUpStatuses(events, deps.clock.now()), query, deps.model());
  const findIn = (events: readonly LedgerEvent[], followUpId: string): FollowUpView => {
    const found = statusesOf(events).find((followUp) => sameId(followUpId, followUp.id));
    if (!found) throw new SteadyopsError('SO_E_NOT_FOUND', { what: 'follow-up', id: followUpId });
    return found;
  };
  const find = async (followUpId: string): Promise<FollowUpView> => findIn(await history(), followUpId);
  const written = async (followUpId: string, seq: number): Promise<FollowUpWrite> => ({ seq, followUp: await find(followUpId) });

  return {
    list: async (query) => statusesOf(await history(), query),

    async add(input, actor) {
      checkAddInput(input);
      const events = await history();
      const declared = events.find((event) => event.type === 'dev.steadyops.incident.declared' && sameId(String(eventData(event).incidentId), input.incidentId));
      if (!declared) throw new SteadyopsError('SO_E_NOT_FOUND', { what: 'incident', id: input.incidentId });
      const incidentId = String(eventData(declared).incidentId);
      // two writers may pick the same number: the (source, id) key keeps one, and the other takes the next
      for (let next = nextNumber(events); ; next++) {
        const followUpId = `SO-FU-${next}`;
        const data = { followUpId, incidentId, title: input.title.trim(), owner: input.owner.trim(), due: input.due };
        const [outcome] = await deps.ledger.append([{ actor, event: followUpEvent('dev.steadyops.followup.created', followUpId, declared.subject, deps.clock.now(), data) }]);
        if (outcome && !outcome.duplicate) return written(followUpId, outcome.seq);
      }
    },

    async link(followUpId, change, actor) {
      const events = await history();
      const followUp = findIn(events, followUpId);
      const target = await resolveChange(deps.ledger, change, events);
      const [outcome] = await deps.ledger.append([
        {
          actor,
          event: followUpEvent('dev.steadyops.followup.linked', randomUUID(), followUp.services[0], deps.clock.now(), { followUpId: followUp.id, change: target }),
        },
      ]);
      return written(followUp.id, outcome?.seq ?? 0);
    },

    async close(followUpId, reason, actor) {
      const followUp = await find(followUpId);
      if (followUp.closed) {
        throw new SteadyopsError('SO_E_FOLLOWUP_CLOSED', { id: followUp.id, detail: `closed at ${followUp.closed.at} by ${followUp.closed.by}${followUp.closed.reason ? ` ("${followUp.closed.reason}")` : ''}` });
      }
      const data = { followUpId: followUp.id, ...(reason?.trim() ? { reason: reason.trim() } : {}) };
      const [outcome] = await deps.ledger.append([
        { actor, event: followUpEvent('dev.steadyops.followup.closed', `${followUp.id}:closed`, followUp.services[0], deps.clock.now(), data) },
      ]);
      if (!outcome || outcome.duplicate) {
        throw new SteadyopsError('SO_E_FOLLOWUP_CLOSED', { id: followUp.id, detail: 'someone else closed it a moment ago' });
      }
      return written(followUp.id, outcome.seq);
    },
  };
}

function checkAddInput(input: AddFollowUpInput): void {
  const issues = [
    ...(input.title.trim() === '' ? [{ path: 'title', message: 'say what has to change, e.g. "Alert on acquirer 5xx"' }] : []),
    ...(input.owner.trim() === '' ? [{ path: 'owner', message: 'name who owns it (an email, a GitHub login or a team)' }] : []),
    ...(endOfDueDay(input.due) === undefined ? [{ path: 'due', message: `must be a date YYYY-MM-DD such as 2026-12-10, not "${input.due}"` }] : []),
  ];
  if (issues.length > 0) {
    throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ') }, issues);
  }
}

function nextNumber(events: readonly LedgerEvent[]): number {
  const numbers = events
    .filter((event) => event.type === 'dev.steadyops.followup.created')
    .map((event) => followUpIdPattern.exec(String(eventData(event).followUpId))?.[1])
    .map(Number)
    .filter((value) => Number.isInteger(value));
  return Math.max(0, ...numbers) + 1;
}

/** A sequence number must name a change event; a reference is kept even before the change it names arrives. */
async function resolveChange(ledger: Ledger, change: string, events: readonly LedgerEvent[]): Promise<{ seq?: number; type?: string; ref?: string }> {
  const wanted = change.trim();
  if (wanted === '') throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: 'change: give a ledger sequence number, #PR, a pull request URL, a commit sha, a plan digest or a deploy id' }, [{ path: 'change', message: 'is empty' }]);
  if (/^\d+$/.test(wanted)) {
    const event = await ledger.getBySeq(Number(wanted));
    if (!event || !isChangeEvent(event)) throw new SteadyopsError('SO_E_NOT_FOUND', { what: `change event (one of ${changeEventTypes.join(', ')}) with sequence number`, id: wanted });
    return { seq: event.seq, type: event.type };
  }
  const event = [...events].reverse().find((candidate) => isChangeEvent(candidate) && changeHasRef(candidate, wanted));
  return event ? { seq: event.seq, type: event.type, ref: wanted } : { ref: wanted };
}

function followUpEvent(type: string, id: string, subject: string | undefined, now: Date, data: Record<string, unknown>): CloudEventInput {
  return {
    specversion: '1.0',
    id,
    source: followUpSource,
    type,
    ...(subject ? { subject } : {}),
    time: now.toISOString(),
    datacontenttype: 'application/json',
    data,
  };
}
