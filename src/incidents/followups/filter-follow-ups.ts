import { findService, findTeam, type ResolvedModel } from '../../model/resolve.ts';
import { sameId } from './follow-ups-of.ts';
import type { FollowUpStatus } from './types.ts';

export interface FollowUpQuery {
  readonly overdue?: boolean;
  /** the team owning the incident's services, or the follow-up's owner when it names a team */
  readonly team?: string;
  readonly incident?: string;
}

export interface FollowUpView extends FollowUpStatus {
  /** the team that owns the incident's first service, when the model knows it */
  readonly team?: string;
}

/** The owning team of a follow-up: its owner when that is a team, else the owner of its incident's services. */
export function teamOfFollowUp(followUp: FollowUpStatus, model: ResolvedModel | undefined): string | undefined {
  if (!model) return undefined;
  if (followUp.owner && findTeam(model, followUp.owner)) return followUp.owner;
  return followUp.services.map((service) => findService(model, service)?.owner).find((owner) => owner !== undefined);
}

/** The follow-ups a query asks for, each with its team. Pure. */
export function filterFollowUps(statuses: readonly FollowUpStatus[], query: FollowUpQuery, model: ResolvedModel | undefined): FollowUpView[] {
  return statuses
    .map((followUp): FollowUpView => {
      const team = teamOfFollowUp(followUp, model);
      return team ? { ...followUp, team } : followUp;
    })
    .filter((followUp) => !query.overdue || followUp.status === 'overdue')
    .filter((followUp) => !query.incident || sameId(query.incident, followUp.incidentId))
    .filter((followUp) => !query.team || followUp.team === query.team);
}
