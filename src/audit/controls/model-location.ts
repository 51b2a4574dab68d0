import type { ModelKind } from '../../model/schema.ts';
import type { AuditFacts, SourceLocation } from '../facts.ts';

/** Where a model document is, for a finding's location; undefined without a model. */
export function modelLocation(facts: AuditFacts, kind: ModelKind, name: string): SourceLocation | undefined {
  return facts.model?.locations.get(`${kind}/${name}`);
}
