import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../lib/errors.ts';
import { importSlos } from './import-slos.ts';

const fixture = { file: 'northwind.yaml', text: readFileSync('test/fixtures/slo/sloth/northwind.yaml', 'utf8') };

const errors = 'sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))';
const total = 'sum(rate(http_requests_total[{{.window}}]))';

/** A Sloth spec for checkout-api with one SLO; `sli` and `extra` lines are indented for the SLO entry. */
function spec(options: { sli?: string; extra?: string; objective?: string; version?: string } = {}): string {
  return `version: "${options.version ?? 'prometheus/v1'}"
service: checkout-api
slos:
  - name: requests-availability
    objective: ${options.objective ?? '99.9'}
    sli:
${options.sli ?? `      events:\n        error_query: '${errors}'\n        total_query: '${total}'`}
${options.extra ?? ''}`;
}

const run = (text: string) => importSlos([{ file: 'sloth.yaml', text }]);

describe('Sloth prometheus/v1 import', () => {
  const result = importSlos([fixture]);

  it('reads every spec of a multi-document file, keeping {{.window}} in the queries', () => {
    expect(result.issues).toEqual([]);
    expect(result.slos.map(({ service, slo }) => [service, slo.name, slo.objective, slo.period])).toEqual([
      ['search-api', 'requests-availability', 99.9, undefined],
      ['search-api', 'requests-latency', 99, undefined],
      ['notification-worker', 'delivery-success', 99.5, undefined],
    ]);
    expect(result.slos[0]?.slo).toEqual({
      name: 'requests-availability',
      objective: 99.9,
      description: 'Search requests answered without a 5xx or 429.',
      sli: {
        ratio: {
          errors: 'sum(rate(http_requests_total{service="search-api",code=~"(5..|429)"}[{{.window}}]))',
          total: 'sum(rate(http_requests_total{service="search-api"}[{{.window}}]))',
        },
      },
    });
    expect(result.slos[0]?.from).toEqual({ file: 'northwind.yaml', line: 9, col: 5 });
  });

  it('imports a raw error ratio as errors over 1, which keeps it as it is', () => {
    expect(result.slos[1]?.slo.sli.ratio.total).toBe('1');
    expect(result.slos[1]?.slo.sli.ratio.errors).toMatch(/^1 - \(\n {2}sum\(rate\(http_request_duration_seconds_bucket/);
  });

  it('notes what the generated alerts replace and which Sloth settings have no counterpart', () => {
    const notes = result.notes.join('\n');
    expect(notes).toContain(
      'northwind.yaml:9:5: Sloth alert SearchApiHighErrorRate is replaced by the generated SearchApiRequestsAvailabilityBudgetBurn (severity page and ticket, multiwindow multi-burn-rate); route alertname="SearchApiRequestsAvailabilityBudgetBurn" in Alertmanager',
    );
    expect(notes).toContain('northwind.yaml:9:5: alert labels and annotations of requests-availability are not imported');
    expect(notes).toContain('northwind.yaml:32:5: a disabled Sloth alert has no counterpart');
    expect(notes).toContain('northwind.yaml:5:3: Sloth labels of service search-api are not imported');
    expect(notes).not.toContain('{{.window}} placeholder');
  });

  it('notes queries that fix their own range', () => {
    const fixed = `      events:\n        error_query: sum(rate(errors_total[5m]))\n        total_query: '${total}'`;
    expect(run(spec({ sli: fixed })).notes).toEqual([expect.stringMatching(/^sloth\.yaml:4:5: a query has no \{\{\.window\}\} placeholder/)]);
  });

  it.each([
    {
      name: 'a plugin SLI',
      text: spec({ sli: '      plugin:\n        id: sloth-common/kubernetes/apiserver/availability' }),
      expected: 'sloth.yaml:7:7: slos[0].sli: SLI plugins are not supported: their queries are generated inside Sloth; write the SLI as events (error_query, total_query) or raw (error_ratio_query)',
    },
    {
      name: 'both events and raw',
      text: spec({ extra: `      raw:\n        error_ratio_query: '${errors}'` }),
      expected: 'sloth.yaml:7:7: slos[0].sli: an SLI needs exactly one of events (error_query, total_query) or raw (error_ratio_query)',
    },
    {
      name: 'a missing total query',
      text: spec({ sli: `      events:\n        error_query: '${errors}'` }),
      expected: 'sloth.yaml:8:9: slos[0].sli.events.total_query: missing required field "total_query"',
    },
    {
      name: 'an objective of 100',
      text: spec({ objective: '100' }),
      expected: 'sloth.yaml:5:16: slos[0].objective: objective is a percentage between 0 and 100 (exclusive), e.g. 99.9',
    },
    {
      name: 'an objective written as a ratio string',
      text: spec({ objective: '"0.999"' }),
      expected: 'sloth.yaml:5:16: slos[0].objective: expected number, got "0.999"',
    },
    {
      name: 'invalid PromQL in a plain scalar, at the character',
      text: spec({ sli: `      events:\n        error_query: sum(rate(http_requests_total{code=~"5.."}[{{.window}}])) by code\n        total_query: '${total}'` }),
      expected: 'sloth.yaml:8:82: slos[0].sli.events.error_query: invalid PromQL: unexpected "code"',
    },
    {
      name: 'a version Sloth does not have',
      text: spec({ version: 'prometheus/v2' }),
      expected: 'sloth.yaml:1:10: version: "prometheus/v2" is not supported; use apiVersion: openslo/v1 (OpenSLO: SLO, SLI, AlertPolicy) or version: prometheus/v1 (a Sloth spec)',
    },
    {
      name: "Sloth's Kubernetes resource",
      text: 'apiVersion: sloth.slok.dev/v1\nkind: PrometheusServiceLevel\nspec: { service: x, slos: [] }\n',
      expected: 'sloth.yaml:1:13: apiVersion: "sloth.slok.dev/v1" is not supported; use apiVersion: openslo/v1 (OpenSLO: SLO, SLI, AlertPolicy) or version: prometheus/v1 (a Sloth spec) (the Kubernetes PrometheusServiceLevel resource carries the same SLOs as a prometheus/v1 spec)',
    },
    {
      name: 'a file that is neither',
      text: 'groups:\n  - name: slo\n    rules: []\n',
      expected: 'sloth.yaml:1:1: not an SLO document: use apiVersion: openslo/v1',
    },
  ])('reports $name at file:line:col and imports nothing of it', ({ text, expected }) => {
    const imported = run(text);
    expect(imported.slos).toEqual([]);
    expect(imported.issues.map(formatIssue)).toEqual([expect.stringContaining(expected)]);
  });
});
