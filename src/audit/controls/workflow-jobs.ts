import type { FindingDraft } from '../control.ts';
import type { AuditFacts, WorkflowFact, WorkflowJobFact, WorkflowStepFact } from '../facts.ts';
import { asRecord, asString } from './plain-values.ts';

/** One shell command of a `run:` script, as words. */
export interface Command {
  readonly step: number;
  readonly line: number;
  readonly words: readonly string[];
}

/** A job that deploys to production, and the first step that deploys. */
export interface ProductionDeploy {
  readonly workflow: WorkflowFact;
  readonly job: WorkflowJobFact;
  readonly deployStep: number;
  /** why it counts as production: `environment production`, `job deploy-prod`, `kubectl --context prod-eu` */
  readonly because: string;
}

/** `.github/workflows/deploy.yml#production`: stable while lines move. */
function jobResource(workflow: WorkflowFact, job: WorkflowJobFact): string {
  return `${workflow.file}#${job.id}`;
}

export function jobDraft(workflow: WorkflowFact, job: WorkflowJobFact, evidence: string, line = job.line): FindingDraft {
  return { resource: jobResource(workflow, job), location: { file: workflow.file, line }, evidence };
}

export function workflowDraft(workflow: WorkflowFact, evidence: string, line?: number): FindingDraft {
  return { resource: workflow.file, location: line === undefined ? { file: workflow.file } : { file: workflow.file, line }, evidence };
}

/** The events a workflow runs on: `on: push`, `on: [push, pull_request]` or `on: { push: ... }`. */
export function triggersOf(workflow: WorkflowFact): readonly string[] {
  if (typeof workflow.on === 'string') return [workflow.on];
  if (Array.isArray(workflow.on)) return workflow.on.filter((event): event is string => typeof event === 'string');
  return Object.keys(asRecord(workflow.on) ?? {});
}

/** Shell commands of a script split on newlines, `;`, `&&`, `||` and pipes (line continuations joined). */
export function commandsOf(step: WorkflowStepFact, index: number): readonly Command[] {
  if (!step.run) return [];
  const lines = step.run.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
  return lines.flatMap((text, offset) =>
    text
      .split(/;|&&|\|\||\|/)
      .map((part) => part.trim().split(/\s+/).map((word) => word.replace(/^["']+|["']+$/g, '')).filter(Boolean))
      .filter((words) => words.length > 0 && !words[0]?.startsWith('#'))
      .map((words) => ({ step: index, line: step.line + 1 + offset, words })),
  );
}

export function jobCommands(job: WorkflowJobFact): readonly Command[] {
  return job.steps.flatMap((step, index) => commandsOf(step, index));
}

/** Tools that change what runs, and the subcommands that do it. */
const deployVerbs: Readonly<Record<string, readonly (readonly string[])[]>> = {
  kubectl: [['apply'], ['replace'], ['patch'], ['scale'], ['set', 'image'], ['set', 'env'], ['rollout', 'restart'], ['rollout', 'undo'], ['argo', 'rollouts', 'set'], ['argo', 'rollouts', 'promote']],
  oc: [['apply'], ['replace'], ['patch'], ['set', 'image'], ['rollout', 'restart']],
  helm: [['upgrade'], ['install'], ['rollback']],
  helmfile: [['apply'], ['sync']],
  terraform: [['apply']],
  tofu: [['apply']],
  terragrunt: [['apply'], ['run-all', 'apply']],
  argocd: [['app', 'sync'], ['app', 'set']],
  flux: [['reconcile']],
  skaffold: [['run'], ['deploy']],
  pulumi: [['up']],
  cdk: [['deploy']],
  serverless: [['deploy']],
  sls: [['deploy']],
  fly: [['deploy']],
  flyctl: [['deploy']],
  netlify: [['deploy']],
  eb: [['deploy']],
  gcloud: [['run', 'deploy'], ['app', 'deploy'], ['functions', 'deploy']],
  aws: [['ecs', 'update-service'], ['lambda', 'update-function-code'], ['cloudformation', 'deploy'], ['deploy', 'create-deployment']],
  az: [['webapp', 'deploy'], ['containerapp', 'update'], ['deployment', 'group', 'create']],
};

/** The tool a command runs (`npx cdk`, `sudo kubectl` and `./bin/kubectl` included) and its words after it, flags left out. */
export function toolOf(command: Command): { tool: string; args: readonly string[]; at: number } | undefined {
  const at = command.words.findIndex((word) => deployVerbs[baseName(word)] !== undefined);
  if (at === -1 || !command.words.slice(0, at).every((word) => launchers.has(word) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(word))) return undefined;
  const tool = baseName(command.words[at] ?? '');
  return { tool, args: command.words.slice(at + 1).filter((word) => !word.startsWith('-')), at };
}

/** Words that may come before the tool: `sudo kubectl`, `npx cdk`, `KUBECONFIG=x kubectl`. */
const launchers = new Set(['sudo', 'npx', 'bunx', 'exec', 'time', 'env', 'command', 'run', 'pnpm', 'yarn', 'dlx', 'npm', 'poetry', 'uv', 'pipenv']);

function baseName(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

/** A command that deploys: the subcommand is among the first words after the tool (flag values may sit in between). */
export function isDeployCommand(command: Command): boolean {
  const found = toolOf(command);
  if (!found) return false;
  const head = found.args.slice(0, 4);
  return (deployVerbs[found.tool] ?? []).some((verbs) => head.some((_, index) => verbs.every((verb, offset) => head[index + offset] === verb)));
}

/** Marketplace actions that deploy: `azure/k8s-deploy`, `aws-actions/amazon-ecs-deploy-task-definition`, `google-github-actions/deploy-cloudrun`. */
function isDeployAction(uses: string | undefined): boolean {
  if (!uses || uses.startsWith('./') || uses.startsWith('docker://')) return false;
  const name = (uses.split('@')[0] ?? '').toLowerCase();
  return /deploy/.test(name) || name === 'deliverybot/helm';
}

function isDeployStep(step: WorkflowStepFact, index: number): boolean {
  return isDeployAction(step.uses) || commandsOf(step, index).some(isDeployCommand);
}

/** `production`, `prod-eu`, `eu_prod`; not `preprod`, `pre-prod`, `non-prod` or `products`. */
export function looksLikeProduction(name: string): boolean {
  if (/(pre|non)[-_ ]?prod/i.test(name)) return false;
  return name.split(/[^A-Za-z0-9]+/).some((word) => /^(prod|production|prd)$/i.test(word));
}

/** The model's production environments (strict protection, else the highest order) and their Kubernetes contexts. */
function modelProduction(facts: AuditFacts): { known: ReadonlySet<string>; production: ReadonlySet<string> } | undefined {
  const environments = facts.model?.model.environments ?? [];
  if (environments.length === 0) return undefined;
  const strict = environments.filter((environment) => environment.protection === 'strict');
  const orders = environments.flatMap((environment) => (environment.order === undefined ? [] : [environment.order]));
  const highest = orders.length > 0 ? Math.max(...orders) : undefined;
  const chosen = strict.length > 0 ? strict : environments.filter((environment) => highest !== undefined && environment.order === highest);
  const namesOf = (list: typeof environments) => list.flatMap((environment) => [environment.name, ...(environment.kubernetes ? [environment.kubernetes.context] : [])]).map((name) => name.toLowerCase());
  return { known: new Set(namesOf(environments)), production: new Set(namesOf(chosen)) };
}

/** A GitHub environment name is production when the model says so, or (for names the model does not know) when it looks like it. */
export function isProductionEnvironment(facts: AuditFacts, name: string): boolean {
  const model = modelProduction(facts);
  const key = name.toLowerCase();
  if (model?.known.has(key)) return model.production.has(key);
  return looksLikeProduction(name);
}

/** The word of a deploy command that names production (`prod-eu`, `overlays/production`), if any. */
function productionWord(facts: AuditFacts, command: Command): string | undefined {
  const model = modelProduction(facts);
  return command.words
    .flatMap((word) => word.split(/[^A-Za-z0-9_.-]+/))
    .find((word) => word !== '' && (model?.production.has(word.toLowerCase()) || (!model?.known.has(word.toLowerCase()) && looksLikeProduction(word))));
}

/** Jobs that deploy (a deploy command or action) to production (by environment, job id or name, or the deploy command's target). */
export function productionDeploys(facts: AuditFacts): readonly ProductionDeploy[] {
  return facts.workflows.flatMap((workflow) =>
    workflow.jobs.flatMap((job) => {
      const deployStep = job.steps.findIndex((step, index) => isDeployStep(step, index));
      if (deployStep === -1) return [];
      const because = productionReason(facts, job);
      return because ? [{ workflow, job, deployStep, because }] : [];
    }),
  );
}

function productionReason(facts: AuditFacts, job: WorkflowJobFact): string | undefined {
  if (job.environment !== undefined) return isProductionEnvironment(facts, job.environment) ? `environment ${job.environment}` : undefined;
  const named = [job.id, job.name].find((name) => name !== undefined && looksLikeProduction(name));
  if (named) return `job ${named}`;
  for (const command of jobCommands(job).filter(isDeployCommand)) {
    const word = productionWord(facts, command);
    if (word) return `\`${shortCommand(command)}\` targets ${word}`;
  }
  return undefined;
}

/** `kubectl --context prod-eu set image …`: the tool and its first words. */
export function shortCommand(command: Command): string {
  const words = command.words.slice(toolOf(command)?.at ?? 0);
  return words.length > 5 ? `${words.slice(0, 5).join(' ')} …` : words.join(' ');
}

/** The jobs a job waits for, directly or through other jobs. */
export function upstreamJobs(workflow: WorkflowFact, job: WorkflowJobFact): readonly WorkflowJobFact[] {
  const found = new Map<string, WorkflowJobFact>();
  const queue = [...job.needs];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    const upstream = workflow.jobs.find((candidate) => candidate.id === id);
    if (!upstream || found.has(id)) continue;
    found.set(id, upstream);
    queue.push(...upstream.needs);
  }
  return [...found.values()];
}

/** A step's `with:` input, when it is text. */
export function withText(step: WorkflowStepFact, key: string): string | undefined {
  return asString(step.with?.[key]);
}
