import type { DashboardFact, KubernetesObjectFact, SourceLocation } from '../facts.ts';
import type { Warn } from './warn.ts';
import { isRecord, stringOf } from './yaml-documents.ts';

type Panel = DashboardFact['panels'][number];

/** A Grafana dashboard JSON file (the model itself, or an export wrapping it in `dashboard`); undefined for other JSON. */
export function scanDashboardJson(file: string, text: string, warn: Warn): DashboardFact | undefined {
  // most JSON of a repository is not a dashboard: do not parse what cannot be one
  if (!text.includes('"panels"')) return undefined;
  try {
    return dashboardOf(JSON.parse(text), { file }, file);
  } catch (error) {
    warn(jsonErrorLocation(file, text, error as Error), `invalid JSON: ${(error as Error).message}; not scanned`);
    return undefined;
  }
}

/** JSON.parse names the character position of the mistake; turned into line and column. */
export function jsonErrorLocation(file: string, text: string, error: Error): SourceLocation {
  const position = /at position (\d+)/.exec(error.message)?.[1];
  if (position === undefined) return { file };
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  return { file, line, column: Number(position) - before.lastIndexOf('\n') };
}

/** Dashboards shipped in ConfigMaps (the Grafana sidecar's `*.json` keys), located at their object. */
export function dashboardsOfObjects(objects: readonly KubernetesObjectFact[]): DashboardFact[] {
  return objects
    .filter((object) => object.kind === 'ConfigMap' && isRecord(object.object.data))
    .flatMap((object) =>
      Object.entries(object.object.data as Record<string, unknown>).flatMap(([key, value]) => {
        if (!key.endsWith('.json') || typeof value !== 'string' || !value.includes('"panels"')) return [];
        const dashboard = dashboardOf(parseJson(value), object.location, key);
        return dashboard ? [dashboard] : [];
      }),
    );
}

/**
 * The dashboards of files, and those of ConfigMaps that are not the same dashboard again (a
 * kustomize `configMapGenerator` ships a dashboard file as a ConfigMap).
 */
export function withoutCopies(fromFiles: readonly DashboardFact[], fromObjects: readonly DashboardFact[]): DashboardFact[] {
  const contentOf = (dashboard: DashboardFact) => JSON.stringify([dashboard.title, dashboard.panels]);
  const seen = new Set(fromFiles.map(contentOf));
  return [...fromFiles, ...fromObjects.filter((dashboard) => !seen.has(contentOf(dashboard)))];
}

function dashboardOf(json: unknown, location: SourceLocation, fallbackTitle: string): DashboardFact | undefined {
  const model = isRecord(json) && isRecord(json.dashboard) ? json.dashboard : json;
  if (!isRecord(model)) return undefined;
  const legacyRows = Array.isArray(model.rows) ? model.rows.flatMap((row) => (isRecord(row) && Array.isArray(row.panels) ? row.panels : [])) : [];
  const panels = flattenPanels([...(Array.isArray(model.panels) ? model.panels : []), ...legacyRows]);
  if (panels.length === 0) return undefined;
  return { location, title: stringOf(model.title) ?? fallbackTitle, panels };
}

/** Panels with at least one PromQL target; a row's own panels (collapsed rows keep them nested) are flattened. */
function flattenPanels(panels: readonly unknown[]): Panel[] {
  return panels.flatMap((panel): Panel[] => {
    if (!isRecord(panel)) return [];
    const nested = Array.isArray(panel.panels) ? flattenPanels(panel.panels) : [];
    const exprs = (Array.isArray(panel.targets) ? panel.targets : []).flatMap((target) =>
      isRecord(target) && typeof target.expr === 'string' && target.expr.trim() !== '' ? [target.expr] : [],
    );
    return exprs.length > 0 ? [{ title: stringOf(panel.title) ?? '', exprs }, ...nested] : nested;
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
