import type { ModelKind } from './schema.ts';
import { didYouMean, listSome } from './suggest.ts';
import { formatPath } from './yaml-positions.ts';
import type { ModelPath } from './yaml-positions.ts';
import type { DocumentProblem } from './validate-document.ts';

/** Names defined per kind (including documents that failed validation, so one mistake is reported once). */
export type NameRegistry = ReadonlyMap<ModelKind, ReadonlySet<string>>;

export interface Reference {
  path: ModelPath;
  kind: ModelKind;
  name: string;
}

type Data = Record<string, unknown>;

const asData = (value: unknown): Data => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Data) : {});
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/**
 * The references a document makes, read leniently from its raw data so that references in a
 * document with other mistakes are still checked.
 */
export function referencesOf(kind: ModelKind, data: unknown): Reference[] {
  const spec = asData(asData(data).spec);
  const refs: Reference[] = [];
  const add = (target: ModelKind, name: unknown, ...path: PropertyKey[]) => {
    if (typeof name === 'string') refs.push({ kind: target, name, path: ['spec', ...path] });
  };
  switch (kind) {
    case 'Service':
      add('Team', spec.owner, 'owner');
      asList(spec.dependsOn).forEach((dependency, index) => {
        add('Service', asData(dependency).service, 'dependsOn', index, 'service');
        add('Datastore', asData(dependency).datastore, 'dependsOn', index, 'datastore');
      });
      add('ReleasePolicy', spec.releasePolicy, 'releasePolicy');
      add('Datastore', asData(spec.migrations).datastore, 'migrations', 'datastore');
      asList(spec.environments).forEach((environment, index) => add('Environment', environment, 'environments', index));
      break;
    case 'Datastore':
      add('Team', spec.owner, 'owner');
      add('Environment', spec.environment, 'environment');
      break;
    case 'ReleasePolicy':
      asList(spec.checks).forEach((check, index) => {
        if (asData(check).type !== 'approvals') return;
        asList(asData(check).fromTeams).forEach((team, at) => add('Team', team, 'checks', index, 'fromTeams', at));
      });
      break;
    case 'AccessRole':
      asList(asData(spec.approvers).teams).forEach((team, index) => add('Team', team, 'approvers', 'teams', index));
      break;
    default:
      break;
  }
  return refs;
}

export function checkReferences(kind: ModelKind, data: unknown, registry: NameRegistry): DocumentProblem[] {
  const problems: DocumentProblem[] = [];
  const self = asData(asData(data).metadata).name;
  for (const ref of referencesOf(kind, data)) {
    const known = [...(registry.get(ref.kind) ?? [])].sort();
    const where = formatPath(ref.path);
    if (!known.includes(ref.name)) {
      problems.push({
        path: ref.path,
        target: 'value',
        message: `${where}: unknown ${ref.kind} "${ref.name}"${didYouMean(ref.name, known)}; defined ${ref.kind} names: ${listSome(known)}`,
      });
    } else if (kind === 'Service' && ref.kind === 'Service' && ref.name === self) {
      problems.push({ path: ref.path, target: 'value', message: `${where}: a service cannot depend on itself` });
    }
  }
  if (kind === 'Team') problems.push(...checkRotation(data));
  return problems;
}

/** On-call rotation members must be members of the team (checked even when other fields have mistakes). */
function checkRotation(data: unknown): DocumentProblem[] {
  const spec = asData(asData(data).spec);
  const emails = asList(spec.members).map((member) => asData(member).email).filter((email) => typeof email === 'string');
  const rotation = asList(asData(asData(spec.oncall).rotation).members);
  return rotation.flatMap((email, index) => {
    if (typeof email !== 'string' || emails.includes(email)) return [];
    const path = ['spec', 'oncall', 'rotation', 'members', index];
    return [
      {
        path,
        target: 'value' as const,
        message: `${formatPath(path)}: "${email}" is not a member of this team; rotation members are among: ${listSome(emails)}`,
      },
    ];
  });
}
