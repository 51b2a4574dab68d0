import { isSteadyopsError } from '../../lib/errors.ts';
import { parseTerraformPlan, type TerraformResourceChange } from '../../connectors/terraform/parse-terraform-plan.ts';
import type { TerraformResourceFact } from '../facts.ts';
import { lineIndex } from './text-lines.ts';
import type { Warn } from './warn.ts';
import { isRecord } from './yaml-documents.ts';

export interface TextFile {
  readonly file: string;
  readonly text: string;
}

type Hcl2Json = (filename: string, contents: string) => Promise<Record<string, unknown>>;

let hcl2json: Promise<Hcl2Json> | undefined;

/** The WebAssembly HCL parser starts when first imported (about half a second): only for repositories with `.tf` files. */
export function loadHclParser(): Promise<Hcl2Json> {
  hcl2json ??= import('@cdktf/hcl2json').then((module) => module.parse as Hcl2Json);
  return hcl2json;
}

/** Resources of `.tf` files, `type.name` at the line of their `resource` block; a file that does not parse is a warning. */
export async function scanTerraformFiles(files: readonly TextFile[], warn: Warn): Promise<TerraformResourceFact[]> {
  if (files.length === 0) return [];
  let parse: Hcl2Json;
  try {
    parse = await loadHclParser();
  } catch (error) {
    for (const { file } of files) warn({ file }, `the HCL parser could not be loaded (${(error as Error).message}); not scanned`);
    return [];
  }
  const facts: TerraformResourceFact[] = [];
  for (const { file, text } of files) {
    let json: Record<string, unknown>;
    try {
      json = await parse(file, text);
    } catch (error) {
      const { line, column, message } = hclError((error as Error).message);
      warn({ file, ...(line ? { line, column } : {}) }, `Terraform syntax: ${message}; the file is not scanned`);
      continue;
    }
    facts.push(...resourcesOf(file, text, json));
  }
  return facts;
}

function resourcesOf(file: string, text: string, json: Record<string, unknown>): TerraformResourceFact[] {
  const lines = resourceLines(text);
  const resources = isRecord(json.resource) ? json.resource : {};
  return Object.entries(resources).flatMap(([type, byName]) =>
    Object.entries(isRecord(byName) ? byName : {}).flatMap(([name, blocks]) =>
      (Array.isArray(blocks) ? blocks : [blocks]).map((attributes: unknown, index): TerraformResourceFact => {
        const line = lines.get(`${type}.${name}`)?.[index];
        return {
          address: `${type}.${name}`,
          type,
          name,
          location: line ? { file, line } : { file },
          attributes: isRecord(attributes) ? attributes : {},
          source: 'hcl',
        };
      }),
    ),
  );
}

/** `type.name` -> the lines of its `resource "type" "name" {` blocks, in order. */
function resourceLines(text: string): Map<string, number[]> {
  const lines = new Map<string, number[]>();
  const positionOf = lineIndex(text);
  for (const match of text.matchAll(/^[ \t]*resource[ \t]+"?([\w-]+)"?[ \t]+"?([\w-]+)"?[ \t]*\{/gm)) {
    const address = `${match[1]}.${match[2]}`;
    lines.set(address, [...(lines.get(address) ?? []), positionOf(match.index).line]);
  }
  return lines;
}

/** `parse config: [main.tf:2,7-3,1: Invalid expression; Expected the start of an expression...]` */
function hclError(raw: string): { line?: number; column?: number; message: string } {
  const match = /:(\d+),(\d+)(?:-\d+(?:,\d+)?)?: ([^\]]*)/.exec(raw);
  if (!match) return { message: raw.replace(/^parse config: /, '') };
  return { line: Number(match[1]), column: Number(match[2]), message: (match[3] ?? '').trim().replace(/\.$/, '') };
}

/** True for `terraform show -json` output: a plan, not any JSON. */
export function looksLikePlan(text: string): boolean {
  return text.includes('"format_version"') && (text.includes('"resource_changes"') || text.includes('"planned_values"'));
}

/** Managed resources as the plan leaves them (`change.after`); resources the plan deletes are gone. */
export function scanTerraformPlan(file: string, text: string, warn: Warn): TerraformResourceFact[] {
  let changes: readonly TerraformResourceChange[];
  try {
    changes = parseTerraformPlan(text, file).resource_changes ?? [];
  } catch (error) {
    if (!isSteadyopsError(error)) throw error;
    warn({ file }, `${error.message}; not scanned`);
    return [];
  }
  const lines = addressLines(text);
  return changes
    .filter((change) => change.mode !== 'data' && isRecord(change.change.after))
    .map((change) => ({
      address: change.address,
      type: change.type,
      name: change.name,
      location: { file, line: lines.get(change.address) ?? 1 },
      attributes: change.change.after as Record<string, unknown>,
      source: 'plan',
    }));
}

/** The line of each resource change's `"address"` (one pass: plans run to megabytes). */
function addressLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  const changesAt = Math.max(0, text.indexOf('"resource_changes"'));
  const positionOf = lineIndex(text);
  const pattern = /"address":\s*("(?:[^"\\]|\\.)*")/g;
  pattern.lastIndex = changesAt;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const address = JSON.parse(match[1] as string) as string;
    if (!lines.has(address)) lines.set(address, positionOf(match.index).line);
  }
  return lines;
}
