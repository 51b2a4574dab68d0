import type { Node } from 'yaml';
import type { WorkflowFact, WorkflowJobFact, WorkflowStepFact } from '../facts.ts';
import type { Warn } from './warn.ts';
import { isRecord, lineOf, mapEntries, mapValue, seqItems, stringOf, type YamlFile } from './yaml-documents.ts';

/** `.github/workflows/*.yml|yaml`, at any depth of the repository (monorepos keep several). */
export function isWorkflowFile(path: string): boolean {
  return /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/.test(path);
}

/** A GitHub Actions workflow: its jobs and their steps, each at its line. */
export function scanWorkflow(yaml: YamlFile, warn: Warn): WorkflowFact | undefined {
  const document = yaml.documents[0];
  const data = document?.data();
  if (!document || !isRecord(data) || !isRecord(data.jobs)) {
    if (document) warn({ file: yaml.file, line: document.line }, 'not a GitHub Actions workflow (no `jobs:` mapping); not scanned');
    return undefined;
  }
  const jobsNode = mapValue(document.document.contents, 'jobs');
  const jobs = mapEntries(jobsNode).flatMap(({ key, keyNode, value }) => {
    const job = (data.jobs as Record<string, unknown>)[key];
    return isRecord(job) ? [jobFact(key, job, lineOf(keyNode, yaml.lineCounter), value, yaml)] : [];
  });
  const name = stringOf(data.name);
  return {
    file: yaml.file,
    ...(name ? { name } : {}),
    on: data.on,
    ...(data.permissions !== undefined ? { permissions: data.permissions } : {}),
    jobs,
  };
}

function jobFact(id: string, job: Record<string, unknown>, line: number, node: Node | null, yaml: YamlFile): WorkflowJobFact {
  const name = stringOf(job.name);
  const environment = environmentOf(job.environment);
  const uses = stringOf(job.uses);
  const stepNodes = seqItems(mapValue(node, 'steps'));
  const steps = (Array.isArray(job.steps) ? job.steps : []).flatMap((step: unknown, index) =>
    isRecord(step) ? [stepFact(step, lineOf(stepNodes[index], yaml.lineCounter))] : [],
  );
  return {
    id,
    line,
    ...(name ? { name } : {}),
    ...(environment ? { environment } : {}),
    ...(job.permissions !== undefined ? { permissions: job.permissions } : {}),
    needs: needsOf(job.needs),
    ...(uses ? { uses } : {}),
    steps,
  };
}

function stepFact(step: Record<string, unknown>, line: number): WorkflowStepFact {
  const name = stringOf(step.name);
  const uses = stringOf(step.uses);
  const run = stringOf(step.run);
  return {
    line,
    ...(name ? { name } : {}),
    ...(uses ? { uses } : {}),
    ...(run ? { run } : {}),
    ...(isRecord(step.with) ? { with: step.with } : {}),
  };
}

/** `environment: production` or `environment: { name: production, url: ... }`. */
function environmentOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return isRecord(value) ? stringOf(value.name) : undefined;
}

function needsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}
