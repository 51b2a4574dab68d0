import { documentsToYaml } from '../documents-to-yaml.ts';
import { importBackstage } from '../importers/backstage.ts';
import type { CatalogSource } from '../importers/backstage.ts';
import { apiVersion } from '../schema.ts';
import type { ModelDocumentInput } from '../schema.ts';
import { toModelName } from '../to-model-name.ts';
import { ownersOf, teamSlug } from './codeowners.ts';
import type { CodeownersRule } from './codeowners.ts';

export interface Workload {
  file: string;
  kind: 'Deployment' | 'StatefulSet';
  name: string;
  namespace?: string;
}

export interface WorkflowEnvironment {
  file: string;
  job: string;
  environment: string;
}

export interface RepositoryFindings {
  codeowners?: { file: string; rules: CodeownersRule[] };
  workloads: Workload[];
  workflowEnvironments: WorkflowEnvironment[];
  catalog: CatalogSource[];
}

export interface DraftModel {
  documents: ModelDocumentInput[];
  yaml: string;
  /** What was found, one line each, for the person running `init`. */
  found: string[];
  warnings: string[];
}

export const unownedTeam = 'unowned-review-me';

type Input<K extends ModelDocumentInput['kind']> = Extract<ModelDocumentInput, { kind: K }>;

/** Drafts an ownership model that validates from what a repository already says about itself. */
export async function draftModel(findings: RepositoryFindings): Promise<DraftModel> {
  const found: string[] = [];
  const warnings: string[] = [];
  const imported = findings.catalog.length > 0 ? await importBackstage(findings.catalog) : undefined;
  if (imported) {
    found.push(`${findings.catalog.length} Backstage catalog file(s): ${imported.documents.length} document(s)`);
    warnings.push(...imported.warnings);
  }
  const catalogDocuments = imported?.documents ?? [];
  const teams = catalogDocuments.filter((document): document is Input<'Team'> => document.kind === 'Team');
  const others = catalogDocuments.filter((document) => document.kind !== 'Team' && document.kind !== 'Service');
  const services = catalogDocuments.filter((document): document is Input<'Service'> => document.kind === 'Service');

  const codeownerTeams = teamsFromCodeowners(findings, teams, found, warnings);
  teams.push(...codeownerTeams);
  const drafted = servicesFromWorkloads(findings, teams, services, found, warnings);
  const environments = environmentsFromWorkflows(findings, found);

  const documents: ModelDocumentInput[] = [...teams, ...environments, ...others, ...services, ...drafted];
  if (drafted.length > 0) warnings.push('tiers of drafted services default to 2; set 1 for critical services, 3 for internal tools');
  return { documents, yaml: documentsToYaml(documents, 'Drafted by steadyops init: review owners, members and tiers'), found, warnings };
}

function teamsFromCodeowners(
  findings: RepositoryFindings,
  existing: readonly Input<'Team'>[],
  found: string[],
  warnings: string[],
): Input<'Team'>[] {
  const codeowners = findings.codeowners;
  if (!codeowners) return [];
  const slugs = [...new Set(codeowners.rules.flatMap((rule) => rule.owners.map(teamSlug)).filter((slug) => slug !== undefined))];
  found.push(`${codeowners.file}: ${codeowners.rules.length} rule(s), ${slugs.length} team(s)`);
  const known = new Set(existing.map((team) => team.metadata.name));
  const teams: Input<'Team'>[] = [];
  for (const slug of slugs) {
    const name = toModelName(slug);
    if (known.has(name)) continue;
    known.add(name);
    teams.push(placeholderTeam(name, `team from CODEOWNERS (${slug})`));
    warnings.push(`Team "${name}": members are a placeholder (${name}@example.com); list the real members`);
  }
  return teams;
}

function placeholderTeam(name: string, title: string, email = `${name}@example.com`): Input<'Team'> {
  return {
    apiVersion,
    kind: 'Team',
    metadata: { name, title },
    spec: { members: [{ name: `${name} owner`, email, role: 'lead' }], timezone: 'UTC' },
  };
}

function servicesFromWorkloads(
  findings: RepositoryFindings,
  teams: Input<'Team'>[],
  existing: readonly Input<'Service'>[],
  found: string[],
  warnings: string[],
): Input<'Service'>[] {
  if (findings.workloads.length > 0) found.push(`${findings.workloads.length} Kubernetes workload(s)`);
  const names = new Set(existing.map((service) => service.metadata.name));
  const services: Input<'Service'>[] = [];
  for (const workload of findings.workloads) {
    const name = toModelName(workload.name);
    if (names.has(name)) continue;
    names.add(name);
    services.push({
      apiVersion,
      kind: 'Service',
      metadata: { name, annotations: { 'steadyops.dev/source': `${workload.file} (${workload.kind})` } },
      spec: {
        owner: ownerFor(workload, findings.codeowners?.rules ?? [], teams, warnings),
        tier: 2,
        runtime: { kind: 'kubernetes', namespace: workload.namespace ?? 'default', deployment: workload.name },
      },
    });
  }
  return services;
}

function ownerFor(workload: Workload, rules: readonly CodeownersRule[], teams: Input<'Team'>[], warnings: string[]): string {
  const slug = ownersOf(rules, workload.file).map(teamSlug).find((owner) => owner !== undefined);
  if (slug) return toModelName(slug);
  const first = teams.find((team) => team.metadata.name !== unownedTeam);
  if (first) {
    warnings.push(`Service "${toModelName(workload.name)}": no CODEOWNERS team owns ${workload.file}; owner set to "${first.metadata.name}", check it`);
    return first.metadata.name;
  }
  if (!teams.some((team) => team.metadata.name === unownedTeam)) {
    teams.push(placeholderTeam(unownedTeam, 'Placeholder owner: move each service to its real team', 'owner@example.com'));
  }
  warnings.push(`Service "${toModelName(workload.name)}": no team found; owned by "${unownedTeam}" until you assign one`);
  return unownedTeam;
}

function environmentsFromWorkflows(findings: RepositoryFindings, found: string[]): Input<'Environment'>[] {
  const names: string[] = [];
  for (const { environment } of findings.workflowEnvironments) {
    if (environment.includes('${{')) continue;
    const name = toModelName(environment);
    if (!names.includes(name)) names.push(name);
  }
  names.sort((a, b) => stageRank(a) - stageRank(b));
  if (names.length > 0) found.push(`GitHub Actions environment(s): ${names.join(', ')}`);
  return names.map((name, index) => ({
    apiVersion,
    kind: 'Environment',
    metadata: { name },
    spec: { protection: /prod/.test(name) ? 'strict' : 'standard', order: index + 1 },
  }));
}

const stages = [/dev/, /test|qa/, /stag|pre-?prod|uat/, /prod/];

/** Promotion order guessed from common stage names; unknown names keep their order, last. */
function stageRank(name: string): number {
  const rank = stages.findIndex((pattern) => pattern.test(name.replace(/pre-?prod/, 'staging')));
  return rank === -1 ? stages.length : rank;
}
