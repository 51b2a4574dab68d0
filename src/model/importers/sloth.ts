import { z } from 'zod';
import { alertName } from '../../slo/generate-rules.ts';
import { toModelName } from '../to-model-name.ts';
import { validateData } from '../validate-document.ts';
import { formatPath } from '../yaml-positions.ts';
import type { ModelPath } from '../yaml-positions.ts';
import { checkedQuery, emptyImport, issueAt, locate, noteAt, ratioTotal, sloModelName, windowNote } from './imported-slo.ts';
import type { ImportedSlo, SloImport, SloInput, SourceDocument, SourcePosition } from './imported-slo.ts';

export const slothVersion = 'prometheus/v1';

const labels = z.record(z.string(), z.string());
const alert = z.looseObject({ disable: z.boolean().optional(), labels: labels.optional(), annotations: labels.optional() });

const slothSlo = z.looseObject({
  name: z.string().min(1),
  objective: z
    .number()
    .gt(0, 'objective is a percentage between 0 and 100 (exclusive), e.g. 99.9')
    .lt(100, 'objective is a percentage between 0 and 100 (exclusive), e.g. 99.9'),
  description: z.string().optional(),
  labels: labels.optional(),
  sli: z.looseObject({
    events: z.looseObject({ error_query: z.string().min(1), total_query: z.string().min(1) }).optional(),
    raw: z.looseObject({ error_ratio_query: z.string().min(1) }).optional(),
    plugin: z.unknown().optional(),
  }),
  alerting: z
    .looseObject({
      name: z.string().optional(),
      labels: labels.optional(),
      annotations: labels.optional(),
      page_alert: alert.optional(),
      ticket_alert: alert.optional(),
    })
    .optional(),
});

const slothSpec = z.looseObject({
  version: z.literal(slothVersion),
  service: z.string().min(1),
  labels: labels.optional(),
  slos: z.array(slothSlo).min(1, 'a Sloth spec needs at least one SLO'),
});

type SlothSlo = z.output<typeof slothSlo>;

/** Sloth `prometheus/v1` specs → model SLOs. `{{.window}}` stays in the queries: the model uses the same placeholder. */
export function convertSloth(documents: readonly SourceDocument[]): SloImport {
  const result = emptyImport();
  for (const document of documents) {
    const checked = validateData(slothSpec, document.data);
    if (!checked.ok) {
      result.issues.push(...checked.problems.map((problem) => issueAt(document, problem)));
      continue;
    }
    const service = toModelName(checked.value.service);
    if (checked.value.labels) {
      const message = `Sloth labels of service ${service} are not imported; the generated rules carry service, slo, owner and tier`;
      result.notes.push(noteAt(locate(document, ['labels']), message));
    }
    checked.value.slos.forEach((slo, index) => {
      const imported = convertSlo(document, service, slo, ['slos', index], result);
      if (imported) result.slos.push(imported);
    });
  }
  return result;
}

function convertSlo(document: SourceDocument, service: string, slo: SlothSlo, path: ModelPath, result: SloImport): ImportedSlo | undefined {
  const sli = slothSli(document, slo, [...path, 'sli'], result);
  if (!sli) return undefined;
  const name = sloModelName(service, slo.name);
  const from = locate(document, path);
  result.notes.push(...windowNote(from, Object.values(sli.ratio).filter((query) => query !== undefined)), ...alertingNotes(from, service, name, slo));
  const converted: SloInput = { name, objective: slo.objective, ...(slo.description ? { description: slo.description } : {}), sli };
  return { service, slo: converted, from, format: 'sloth' };
}

function slothSli(document: SourceDocument, slo: SlothSlo, path: ModelPath, result: SloImport): SloInput['sli'] | undefined {
  const { events, raw } = slo.sli;
  const query = (value: string, ...at: PropertyKey[]) => checkedQuery(document, [...path, ...at], value, result.issues);
  if (events && !raw) {
    const errors = query(events.error_query, 'events', 'error_query');
    const total = query(events.total_query, 'events', 'total_query');
    return errors && total ? { ratio: { errors, total } } : undefined;
  }
  if (raw && !events) {
    const errors = query(raw.error_ratio_query, 'raw', 'error_ratio_query');
    return errors ? { ratio: { errors, total: ratioTotal } } : undefined;
  }
  const message = slo.sli.plugin
    ? 'SLI plugins are not supported: their queries are generated inside Sloth; write the SLI as events (error_query, total_query) or raw (error_ratio_query)'
    : 'an SLI needs exactly one of events (error_query, total_query) or raw (error_ratio_query)';
  result.issues.push(issueAt(document, { path, target: 'value', message: `${formatPath(path)}: ${message}` }));
  return undefined;
}

function alertingNotes(from: SourcePosition, service: string, slo: string, source: SlothSlo): string[] {
  const alerting = source.alerting;
  if (!alerting) return [];
  const generated = alertName(service, slo);
  const replaced = alerting.name ? `Sloth alert ${alerting.name} is` : 'Sloth alerts are';
  const notes = [
    noteAt(from, `${replaced} replaced by the generated ${generated} (severity page and ticket, multiwindow multi-burn-rate); route alertname="${generated}" in Alertmanager`),
  ];
  const alerts = [alerting, alerting.page_alert, alerting.ticket_alert];
  if (alerts.some((alert) => alert?.labels || alert?.annotations)) {
    notes.push(noteAt(from, `alert labels and annotations of ${slo} are not imported; add a runbook for ${generated} under the service's alerts to get runbook_url`));
  }
  if (alerting.page_alert?.disable || alerting.ticket_alert?.disable) {
    notes.push(noteAt(from, `a disabled Sloth alert has no counterpart: ${generated} always has page and ticket severities; route the one you do not want to a null receiver`));
  }
  return notes;
}
