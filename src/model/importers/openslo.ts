import { z } from 'zod';
import { durationSchema } from '../schema.ts';
import { didYouMean, listSome } from '../suggest.ts';
import { toModelName } from '../to-model-name.ts';
import { validateData } from '../validate-document.ts';
import { formatPath } from '../yaml-positions.ts';
import type { ModelPath } from '../yaml-positions.ts';
import { checkedQuery, emptyImport, generatedAlerts, issueAt, locate, noteAt, ratioTotal, ratioToPercent, sloModelName, windowNote } from './imported-slo.ts';
import type { SloImport, SloInput, SourceDocument } from './imported-slo.ts';

export const openSloVersion = 'openslo/v1';
export const openSloKinds = ['SLO', 'SLI', 'AlertPolicy', 'AlertCondition', 'AlertNotificationTarget', 'Service', 'DataSource'] as const;

const metricSource = z.looseObject({
  metricSourceRef: z.string().optional(),
  type: z.string().min(1),
  spec: z.looseObject({ query: z.string().min(1).optional(), queryType: z.string().optional() }),
});
const metric = z.looseObject({ metricSource });

const sliSpec = z.looseObject({
  description: z.string().optional(),
  ratioMetric: z
    .looseObject({
      counter: z.boolean().optional(),
      good: metric.optional(),
      bad: metric.optional(),
      total: metric.optional(),
      rawType: z.enum(['success', 'failure']).optional(),
      raw: metric.optional(),
    })
    .optional(),
  thresholdMetric: z.unknown().optional(),
});
const metadata = z.looseObject({ name: z.string().min(1), displayName: z.string().optional() });
const inlineIndicator = z.looseObject({ metadata: metadata.partial().optional(), spec: sliSpec });

const objective = z.looseObject({
  displayName: z.string().optional(),
  target: z.number().gt(0, 'target is a ratio between 0 and 1 (exclusive), e.g. 0.999').lt(1, 'target is a ratio between 0 and 1 (exclusive), e.g. 0.999').optional(),
  targetPercent: z.number().gt(0, 'targetPercent is between 0 and 100 (exclusive), e.g. 99.9').lt(100, 'targetPercent is between 0 and 100 (exclusive), e.g. 99.9').optional(),
  indicator: inlineIndicator.optional(),
  indicatorRef: z.string().min(1).optional(),
});

const sloDocument = z.looseObject({
  apiVersion: z.literal(openSloVersion),
  kind: z.literal('SLO'),
  metadata,
  spec: z.looseObject({
    description: z.string().optional(),
    service: z.string().min(1),
    indicator: inlineIndicator.optional(),
    indicatorRef: z.string().min(1).optional(),
    timeWindow: z.array(z.looseObject({ duration: durationSchema, isRolling: z.boolean().optional() })).length(1, 'timeWindow has exactly one window').optional(),
    budgetingMethod: z.string().optional(),
    objectives: z.array(objective).min(1, 'an SLO needs at least one objective'),
  }),
});
const sliDocument = z.looseObject({ apiVersion: z.literal(openSloVersion), kind: z.literal('SLI'), metadata, spec: sliSpec });

type Slo = z.output<typeof sloDocument>;
type Objective = z.output<typeof objective>;
type SliSpec = z.output<typeof sliSpec>;
type Metric = z.output<typeof metric>;

/** An SLI where it was written: inline in an SLO, or its own SLI document. */
interface Indicator {
  document: SourceDocument;
  path: ModelPath;
  spec: SliSpec;
}

/**
 * OpenSLO v1 documents (SLO, SLI, AlertPolicy; indicators inline or by reference, across files)
 * → model SLOs. Alert policies are noted, not imported: the generated burn-rate alerts replace them.
 */
export function convertOpenSlo(documents: readonly SourceDocument[]): SloImport {
  const result = emptyImport();
  const byKind = groupByKind(documents, result);
  const indicators = new Map<string, Indicator>();
  for (const document of byKind.get('SLI') ?? []) {
    const checked = validateData(sliDocument, document.data);
    if (checked.ok) indicators.set(checked.value.metadata.name, { document, path: ['spec'], spec: checked.value.spec });
    else result.issues.push(...checked.problems.map((problem) => issueAt(document, problem)));
  }
  for (const document of byKind.get('SLO') ?? []) convertSlo(document, indicators, result);
  const conditions = new Map((byKind.get('AlertCondition') ?? []).map((document) => [nameOf(document), document.data]));
  for (const document of byKind.get('AlertPolicy') ?? []) result.notes.push(alertPolicyNote(document, conditions));
  for (const kind of ['Service', 'DataSource', 'AlertNotificationTarget'] as const) {
    for (const document of byKind.get(kind) ?? []) {
      result.notes.push(noteAt(locate(document, ['kind']), `OpenSLO ${kind} "${nameOf(document)}" is not imported; ${leftOut[kind]}`));
    }
  }
  return result;
}

const leftOut = {
  Service: 'services come from the ownership model',
  DataSource: 'queries go to the Prometheus of each Environment in the model',
  AlertNotificationTarget: "alerts are routed by Alertmanager and the service's alert routes",
} as const;

function groupByKind(documents: readonly SourceDocument[], result: SloImport): Map<string, SourceDocument[]> {
  const byKind = new Map<string, SourceDocument[]>();
  for (const document of documents) {
    const kind = document.data.kind;
    if (typeof kind === 'string' && (openSloKinds as readonly string[]).includes(kind)) {
      byKind.set(kind, [...(byKind.get(kind) ?? []), document]);
      continue;
    }
    const message =
      kind === undefined
        ? `kind: missing required field "kind" (one of: ${openSloKinds.join(', ')})`
        : `kind: unknown OpenSLO kind ${JSON.stringify(kind)}${didYouMean(String(kind), openSloKinds)}; valid kinds: ${openSloKinds.join(', ')}`;
    result.issues.push(issueAt(document, { path: ['kind'], target: 'value', message }));
  }
  return byKind;
}

function nameOf(document: SourceDocument): string {
  const name = (document.data.metadata as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : '(unnamed)';
}

function convertSlo(document: SourceDocument, indicators: ReadonlyMap<string, Indicator>, result: SloImport): void {
  const checked = validateData(sloDocument, document.data);
  if (!checked.ok) {
    result.issues.push(...checked.problems.map((problem) => issueAt(document, problem)));
    return;
  }
  const slo = checked.value;
  const service = toModelName(slo.spec.service);
  const base = sloModelName(service, slo.metadata.name);
  const period = slo.spec.timeWindow?.[0]?.duration;
  const description = slo.spec.description ?? slo.metadata.displayName;
  noteWindowAndBudgeting(document, slo, result);
  slo.spec.objectives.forEach((target, index) => {
    const path = ['spec', 'objectives', index];
    const objectivePercent = percentOf(document, target, path, result);
    const indicator = indicatorFor(document, slo, target, path, indicators, result);
    const sli = indicator && convertIndicator(indicator, result);
    if (objectivePercent === undefined || !sli) return;
    const from = locate(document, slo.spec.objectives.length > 1 ? path : ['metadata', 'name']);
    const name = slo.spec.objectives.length > 1 ? `${base}-${target.displayName ? toModelName(target.displayName) : index + 1}` : base;
    result.notes.push(...windowNote(from, Object.values(sli.ratio).filter((query) => query !== undefined)));
    const converted: SloInput = {
      name,
      objective: objectivePercent,
      ...(period ? { period } : {}),
      ...(description ? { description } : {}),
      sli,
    };
    result.slos.push({ service, slo: converted, from, format: 'openslo' });
  });
}

function noteWindowAndBudgeting(document: SourceDocument, slo: Slo, result: SloImport): void {
  if (slo.spec.timeWindow?.[0]?.isRolling === false) {
    result.notes.push(noteAt(locate(document, ['spec', 'timeWindow', 0]), 'a calendar-aligned window is imported as a rolling window of the same length'));
  }
  const method = slo.spec.budgetingMethod;
  if (method !== undefined && method !== 'Occurrences') {
    const message = `budgetingMethod ${method} is imported as Occurrences (a ratio of events over the window)`;
    result.notes.push(noteAt(locate(document, ['spec', 'budgetingMethod']), message));
  }
}

function percentOf(document: SourceDocument, target: Objective, path: ModelPath, result: SloImport): number | undefined {
  if ((target.target === undefined) !== (target.targetPercent === undefined)) {
    return target.target !== undefined ? ratioToPercent(target.target) : target.targetPercent;
  }
  const message = 'an objective has exactly one of "target" (a ratio, e.g. 0.999) or "targetPercent" (e.g. 99.9)';
  result.issues.push(issueAt(document, { path, target: 'value', message: `${formatPath(path)}: ${message}` }));
  return undefined;
}

/** The objective's own indicator, else the SLO's; inline or by reference to an SLI document. */
function indicatorFor(
  document: SourceDocument,
  slo: Slo,
  target: Objective,
  path: ModelPath,
  indicators: ReadonlyMap<string, Indicator>,
  result: SloImport,
): Indicator | undefined {
  if (target.indicator) return { document, path: [...path, 'indicator', 'spec'], spec: target.indicator.spec };
  if (target.indicatorRef) return referencedIndicator(document, [...path, 'indicatorRef'], target.indicatorRef, indicators, result);
  if (slo.spec.indicator) return { document, path: ['spec', 'indicator', 'spec'], spec: slo.spec.indicator.spec };
  if (slo.spec.indicatorRef) return referencedIndicator(document, ['spec', 'indicatorRef'], slo.spec.indicatorRef, indicators, result);
  result.issues.push(issueAt(document, { path: ['spec'], target: 'value', message: 'spec: an SLO needs "indicator" (an inline SLI) or "indicatorRef" (the name of an SLI document)' }));
  return undefined;
}

function referencedIndicator(
  document: SourceDocument,
  path: ModelPath,
  name: string,
  indicators: ReadonlyMap<string, Indicator>,
  result: SloImport,
): Indicator | undefined {
  const found = indicators.get(name);
  if (found) return found;
  const known = [...indicators.keys()].sort();
  const message = `${formatPath(path)}: no SLI named "${name}"${didYouMean(name, known)} in the files given; SLIs defined: ${listSome(known)}`;
  result.issues.push(issueAt(document, { path, target: 'value', message }));
  return undefined;
}

function convertIndicator({ document, path, spec }: Indicator, result: SloImport): SloInput['sli'] | undefined {
  const fail = (at: ModelPath, message: string, target: 'key' | 'value' = 'value') => {
    result.issues.push(issueAt(document, { path: at, target, message: `${formatPath(at)}: ${message}` }));
    return undefined;
  };
  if (spec.thresholdMetric !== undefined) {
    return fail([...path, 'thresholdMetric'], 'threshold SLIs are not supported: SLOs here are ratios of events; use ratioMetric with good or bad, and total', 'key');
  }
  const ratio = spec.ratioMetric;
  if (!ratio) return fail(path, 'missing "ratioMetric" (good or bad, and total; or rawType and raw)');
  const ratioPath = [...path, 'ratioMetric'];
  const query = (name: 'good' | 'bad' | 'total' | 'raw', source: Metric) => metricQuery(document, [...ratioPath, name], source, result);
  if (ratio.raw) {
    if (!ratio.rawType) return fail(ratioPath, 'a raw ratio needs "rawType": success or failure');
    const raw = query('raw', ratio.raw);
    if (raw === undefined) return undefined;
    return { ratio: ratio.rawType === 'failure' ? { errors: raw, total: ratioTotal } : { good: raw, total: ratioTotal } };
  }
  if ((ratio.good === undefined) === (ratio.bad === undefined) || !ratio.total) {
    return fail(ratioPath, 'a ratioMetric has "total" and exactly one of "good" or "bad" (or rawType and raw)');
  }
  const total = query('total', ratio.total);
  const part = ratio.good ? query('good', ratio.good) : query('bad', ratio.bad as Metric);
  if (total === undefined || part === undefined) return undefined;
  return { ratio: ratio.good ? { good: part, total } : { errors: part, total } };
}

function metricQuery(document: SourceDocument, path: ModelPath, source: Metric, result: SloImport): string | undefined {
  const { type, spec } = source.metricSource;
  const at = [...path, 'metricSource'];
  const fail = (where: ModelPath, message: string) => {
    result.issues.push(issueAt(document, { path: where, target: 'value', message: `${formatPath(where)}: ${message}` }));
    return undefined;
  };
  if (type.toLowerCase() !== 'prometheus') {
    return fail([...at, 'type'], `metric source type ${JSON.stringify(type)} is not supported; SLOs here become Prometheus rules, so use type: Prometheus with spec.query (PromQL)`);
  }
  if (spec.queryType !== undefined && spec.queryType.toLowerCase() !== 'promql') {
    return fail([...at, 'spec', 'queryType'], `queryType ${JSON.stringify(spec.queryType)} is not supported; use promql (or leave it out)`);
  }
  if (spec.query === undefined) return fail([...at, 'spec'], 'missing required field "query" (the PromQL query)');
  return checkedQuery(document, [...at, 'spec', 'query'], spec.query, result.issues);
}

function alertPolicyNote(document: SourceDocument, conditions: ReadonlyMap<string, Record<string, unknown>>): string {
  const spec = asData(document.data.spec);
  const summaries = (Array.isArray(spec.conditions) ? spec.conditions : []).map((entry) => {
    const inline = asData(entry);
    const condition = typeof inline.conditionRef === 'string' ? asData(conditions.get(inline.conditionRef)) : inline;
    const rule = asData(asData(condition.spec).condition);
    if (rule.kind !== 'burnrate') return `a ${String(rule.kind ?? 'unknown')} condition`;
    return `burn rate ${String(rule.threshold)} over ${String(rule.lookbackWindow)}`;
  });
  const what = summaries.length > 0 ? ` (${summaries.join('; ')})` : '';
  const message =
    `AlertPolicy "${nameOf(document)}"${what} is not imported; ` +
    `\`steadyops slo rules\` generates multiwindow multi-burn-rate alerts for every SLO (${generatedAlerts()}), which replace it`;
  return noteAt(locate(document, ['metadata', 'name']), message);
}

type Data = Record<string, unknown>;
const asData = (value: unknown): Data => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Data) : {});
