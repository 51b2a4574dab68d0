import { posix } from 'node:path';
import type { AlertRuleFact, CommittedSecretFact, DashboardFact, KubernetesObjectFact, TerraformResourceFact, WorkflowFact } from '../facts.ts';
import { isCodeownersFile } from './codeowners-scanner.ts';
import { scanDashboardJson } from './dashboard-scanner.ts';
import { objectsOfDocument } from './kubernetes-scanner.ts';
import { alertRulesOfDocument } from './prometheus-rules-scanner.ts';
import { kubeconfigSecrets, scanTextForSecrets } from './secret-scanner.ts';
import { looksLikePlan, scanTerraformPlan, type TextFile } from './terraform-scanner.ts';
import type { Warn } from './warn.ts';
import { isWorkflowFile, scanWorkflow } from './workflow-scanner.ts';
import { parseYamlFile } from './yaml-documents.ts';

/** What the per-file pass has found so far; files of a kind read later (Terraform, migrations) are kept as text. */
export interface FoundSoFar {
  readonly kubernetes: KubernetesObjectFact[];
  readonly workflows: WorkflowFact[];
  readonly plans: TerraformResourceFact[];
  readonly terraformFiles: TextFile[];
  readonly migrationTexts: Map<string, string>;
  readonly alertRules: AlertRuleFact[];
  readonly dashboards: DashboardFact[];
  readonly codeowners: Map<string, string>;
  readonly secrets: CommittedSecretFact[];
  /** Helm chart folder -> how many of its templates were skipped */
  readonly skippedTemplates: Map<string, number>;
}

export interface FileScanContext {
  readonly warn: Warn;
  /** true when a kustomization renders this manifest: its objects come from `kubectl kustomize` */
  readonly renderedByKustomize: (path: string) => boolean;
  readonly isMigration: (path: string) => boolean;
  /** the Helm chart whose `templates/` holds this file */
  readonly chartOf: (path: string) => string | undefined;
}

export function nothingFound(): FoundSoFar {
  return {
    kubernetes: [],
    workflows: [],
    plans: [],
    terraformFiles: [],
    migrationTexts: new Map(),
    alertRules: [],
    dashboards: [],
    codeowners: new Map(),
    secrets: [],
    skippedTemplates: new Map(),
  };
}

/** One file, read once, handed to every scanner that wants it by its name. */
export function scanFile(path: string, text: string, context: FileScanContext, found: FoundSoFar): void {
  found.secrets.push(...scanTextForSecrets(path, text));
  const extension = posix.extname(path).toLowerCase();
  if (context.isMigration(path)) found.migrationTexts.set(path, text);
  if (isCodeownersFile(path)) found.codeowners.set(path, text);
  if (extension === '.yaml' || extension === '.yml') scanYaml(path, text, context, found);
  else if (extension === '.json') scanJson(path, text, context, found);
  else if (extension === '.tf') found.terraformFiles.push({ file: path, text });
  else if (mayBeKubeconfig(text)) scanKubeconfig(path, text, context, found);
}

/** kubeconfigs are often committed without a YAML extension: `kubeconfig`, kubeadm's `admin.conf`. */
function mayBeKubeconfig(text: string): boolean {
  return text.includes('kind: Config') && /^users:/m.test(text) && /^kind: Config\s*$/m.test(text);
}

function scanKubeconfig(path: string, text: string, context: FileScanContext, found: FoundSoFar): void {
  const yaml = parseYamlFile(path, text, context.warn);
  for (const document of yaml.documents) found.secrets.push(...kubeconfigSecrets(path, document, yaml.lineCounter));
}

function scanYaml(path: string, text: string, context: FileScanContext, found: FoundSoFar): void {
  const chart = context.chartOf(path);
  if (chart !== undefined && text.includes('{{')) {
    found.skippedTemplates.set(chart, (found.skippedTemplates.get(chart) ?? 0) + 1);
    return;
  }
  const yaml = parseYamlFile(path, text, context.warn);
  if (isWorkflowFile(path)) {
    const workflow = scanWorkflow(yaml, context.warn);
    if (workflow) found.workflows.push(workflow);
    return;
  }
  const rendered = context.renderedByKustomize(path);
  for (const document of yaml.documents) {
    // read the top-level keys on the syntax tree: most documents of a repository are nothing to us
    const kind = document.document.get('kind');
    if (kind === 'Config') found.secrets.push(...kubeconfigSecrets(path, document, yaml.lineCounter));
    else if (typeof kind === 'string' && document.document.has('apiVersion')) {
      if (!rendered) found.kubernetes.push(...objectsOfDocument(path, document, yaml.lineCounter));
    } else if (document.document.has('groups')) found.alertRules.push(...alertRulesOfDocument(path, document, yaml.lineCounter));
  }
}

function scanJson(path: string, text: string, context: FileScanContext, found: FoundSoFar): void {
  if (looksLikePlan(text)) {
    found.plans.push(...scanTerraformPlan(path, text, context.warn));
    return;
  }
  const dashboard = scanDashboardJson(path, text, context.warn);
  if (dashboard) found.dashboards.push(dashboard);
}
