import { describe, expect, it } from 'vitest';
import type { AuditWarning, KubernetesObjectFact } from '../facts.ts';
import { dashboardsOfObjects, scanDashboardJson, withoutCopies } from './dashboard-scanner.ts';

function collect() {
  const warnings: AuditWarning[] = [];
  return { warnings, warn: (location: AuditWarning['location'], message: string) => warnings.push({ location, message }) };
}

describe('scanDashboardJson', () => {
  it('reads panels with PromQL targets, rows and nested row panels included', () => {
    const { warn } = collect();
    const dashboard = {
      title: 'API',
      panels: [
        { title: 'Errors', targets: [{ expr: 'sum(rate(errors_total[5m]))' }, { expr: '' }, { refId: 'B' }] },
        { title: 'Text', type: 'text' },
        { title: 'Latency', type: 'row', panels: [{ title: 'p99', targets: [{ expr: 'histogram_quantile(0.99, x)' }] }] },
      ],
      rows: [{ panels: [{ title: 'Legacy', targets: [{ expr: 'up' }] }] }],
    };
    expect(scanDashboardJson('dashboards/api.json', JSON.stringify(dashboard), warn)).toEqual({
      location: { file: 'dashboards/api.json' },
      title: 'API',
      panels: [
        { title: 'Errors', exprs: ['sum(rate(errors_total[5m]))'] },
        { title: 'p99', exprs: ['histogram_quantile(0.99, x)'] },
        { title: 'Legacy', exprs: ['up'] },
      ],
    });
  });

  it('an export that wraps the dashboard is read; JSON that is not a dashboard is not', () => {
    const { warnings, warn } = collect();
    expect(scanDashboardJson('export.json', JSON.stringify({ dashboard: { panels: [{ targets: [{ expr: 'up' }] }] } }), warn)?.title).toBe('export.json');
    expect(scanDashboardJson('package.json', '{"name": "x"}', warn)).toBeUndefined();
    expect(scanDashboardJson('ui.json', '{"panels": [{"title": "no queries"}]}', warn)).toBeUndefined();
    expect(warnings).toEqual([]);
  });

  it('a dashboard that is not valid JSON is a warning', () => {
    const { warnings, warn } = collect();
    expect(scanDashboardJson('broken.json', '{"panels": [}', warn)).toBeUndefined();
    expect(warnings).toEqual([{ location: expect.objectContaining({ file: 'broken.json' }), message: expect.stringMatching(/^invalid JSON: .*; not scanned$/) }]);
  });
});

describe('dashboardsOfObjects', () => {
  it('reads dashboards kept in ConfigMaps for the Grafana sidecar', () => {
    const configMap: KubernetesObjectFact = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'dashboards',
      location: { file: 'k8s/dashboards.yaml', line: 1 },
      object: { data: { 'api.json': '{"title": "API", "panels": [{"title": "Up", "targets": [{"expr": "up"}]}]}', 'notes.txt': 'panels' } },
    };
    expect(dashboardsOfObjects([configMap])).toEqual([{ location: { file: 'k8s/dashboards.yaml', line: 1 }, title: 'API', panels: [{ title: 'Up', exprs: ['up'] }] }]);
  });
});

describe('withoutCopies', () => {
  it('drops a ConfigMap dashboard that is a dashboard file again', () => {
    const file = { location: { file: 'dashboards/api.json' }, title: 'API', panels: [{ title: 'Up', exprs: ['up'] }] };
    const copy = { ...file, location: { file: 'deploy/kustomization.yaml' } };
    const other = { ...copy, title: 'Other' };
    expect(withoutCopies([file], [copy, other])).toEqual([file, other]);
  });
});
