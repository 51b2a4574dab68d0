import type { ModelKind } from '../../model/schema.ts';
import type { FindingDraft } from '../control.ts';
import type { AuditFacts } from '../facts.ts';
import { modelLocation } from './model-location.ts';

/** A finding about a model document: `Kind name` at the document's location, with its service and team when known. */
export function modelFinding(
  facts: AuditFacts,
  target: { readonly kind: ModelKind; readonly name: string; readonly resource?: string },
  evidence: string,
  owner: { readonly service?: string | undefined; readonly team?: string | undefined } = {},
): FindingDraft {
  const location = modelLocation(facts, target.kind, target.name);
  return {
    resource: target.resource ?? `${target.kind} ${target.name}`,
    ...(location ? { location } : {}),
    evidence,
    ...(owner.service ? { service: owner.service } : {}),
    ...(owner.team ? { team: owner.team } : {}),
  };
}

/** The team owning a service, when the model knows the service. */
export function ownerOf(facts: AuditFacts, service: string | undefined): string | undefined {
  return service === undefined ? undefined : facts.model?.model.services.find((entry) => entry.name === service)?.owner;
}

/** Services in production (experimental and deprecated ones are exempt from most controls). */
export function productionServices(facts: AuditFacts) {
  return (facts.model?.model.services ?? []).filter((service) => service.lifecycle === 'production');
}
