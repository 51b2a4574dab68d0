import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../lib/errors.ts';
import { functionNames, promqlError, promqlFieldsOf } from './check-promql.ts';
import { loadModelFromSources } from './load-model.ts';

const team = `apiVersion: steadyops.dev/v1
kind: Team
metadata: { name: payments }
spec:
  timezone: UTC
  members: [{ name: Ada, email: ada@example.com }]
`;

/** A Service with one SLO; `errors` is inserted as written (quotes and all) on line 13. */
const serviceWithErrors = (errors: string) => `apiVersion: steadyops.dev/v1
kind: Service
metadata:
  name: checkout
spec:
  owner: payments
  tier: 1
  slos:
    - name: availability
      objective: 99.9
      sli:
        ratio:
          errors: ${errors}
          total: 'sum(rate(http_requests_total[{{.window}}]))'
`;

function issuesFor(text: string): string[] {
  return loadModelFromSources([
    { file: 'team.yaml', text: team },
    { file: 'model.yaml', text },
  ]).issues.map(formatIssue);
}

function demoQueries(): string[] {
  const text = readFileSync('examples/demo/.steadyops/services.yaml', 'utf8');
  return parseAllDocuments(text).flatMap((document) => promqlFieldsOf('Service', document.toJS()).map((field) => field.query));
}

describe('promqlError', () => {
  it.each([
    'sum(rate(http_requests_total{service="checkout-api",code=~"5.."}[{{.window}}]))',
    'sum(rate(http_requests_total[{{ .window }}])) / sum(rate(http_requests_total[{{.window}}]))',
    'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))',
    'sum without (instance) (rate(x[5m])) > 0.5',
    'x and on(job) group_left(team) y',
    'avg_over_time(up[1h:5m]) offset 1d',
    'clamp_max(sum(rate(errors_total[5m])), 1)',
    '{__name__="up", job=~"api|web"}',
    '1 - (sum(rate(ok_total[30d])) / sum(rate(all_total[30d])))',
    'label_replace(up, "host", "$1", "instance", "(.*):.*")',
    '# a comment line\nsum(up)',
  ])('accepts %s', (query) => {
    expect(promqlError(query)).toBeUndefined();
  });

  it('accepts every PromQL expression of the demo model', () => {
    const queries = demoQueries();
    expect(queries.length).toBeGreaterThan(20);
    expect(queries.filter((query) => promqlError(query) !== undefined)).toEqual([]);
  });

  it.each([
    { query: 'sum(rate(x{code=~"5.."}[{{.window}}]]))', offset: 36, message: 'unexpected "]"' },
    { query: 'sum(rate(x[5m])', offset: 3, message: 'unclosed "(": the expression ends before its ")"' },
    { query: 'sum(rate(x[{{ .window }}])', offset: 3, message: 'unclosed "("' },
    { query: 'x{job="api"', offset: 1, message: 'unclosed "{"' },
    { query: 'sum(x) / sum(y))', offset: 15, message: 'unexpected ")"' },
    { query: 'sum(rat(x[{{.window}}]))', offset: 4, message: 'unknown function "rat" (did you mean "rate"?)' },
    { query: 'histogram_quantil(0.9, x)', offset: 0, message: 'unknown function "histogram_quantil" (did you mean "histogram_quantile"?)' },
    { query: 'x{code=500}', offset: 7, message: 'unexpected "500"' },
    { query: 'x{job=api}', offset: 6, message: 'unexpected "api": label values are quoted strings' },
    { query: 'x / ', offset: 3, message: 'unexpected end of expression' },
    { query: 'foo bar', offset: 4, message: 'unexpected "bar"' },
    { query: 'rate(x[{{.Window}}])', offset: 7, message: 'unknown placeholder "{{.Window}}"; the only placeholder is {{.window}}' },
    { query: '   ', offset: 0, message: 'the expression is empty' },
  ])('rejects $query at character $offset', ({ query, offset, message }) => {
    const error = promqlError(query);
    expect(error?.message).toContain(message);
    expect(error?.offset).toBe(offset);
  });

  it('maps positions after a {{.window}} placeholder back to the text as written', () => {
    const query = 'sum(rate(a[{{.window}}])) / sum(rate(b[{{ .window }}])) )';
    expect(promqlError(query)?.offset).toBe(query.length - 1);
  });

  it('knows the grammar function names for suggestions', () => {
    expect(functionNames()).toEqual(expect.arrayContaining(['rate', 'histogram_quantile', 'sum', 'limitk', 'histogram_stddev']));
  });
});

describe('PromQL problems in the loaded model', () => {
  const bad = 'sum(rate(http_requests_total{code=~"5.."}[{{.window}}]]))';
  const at = bad.indexOf(']]') + 1;

  it.each([
    { style: 'plain', written: bad, col: 19 + at },
    { style: 'single-quoted', written: `'${bad}'`, col: 20 + at },
    { style: 'double-quoted with escapes', written: JSON.stringify(bad), col: 20 + at + 2 },
  ])('points at the offending character of a $style query', ({ written, col }) => {
    expect(issuesFor(serviceWithErrors(written))).toEqual([
      `model.yaml:13:${col}: spec.slos[0].sli.ratio.errors: invalid PromQL: unexpected "]" near "….\\"}[{{.window}}]]))"`,
    ]);
  });

  it.each([
    { style: 'a literal block', written: '|\n            sum(rate(x[5m]))\n              / sum(rat(y[5m]))', at: '15:21' },
    { style: 'a double-quoted query folded over lines', written: '"sum(rate(x[5m]))\n            / sum(rat(y[5m]))"', at: '14:19' },
    { style: 'a plain query folded over lines', written: 'sum(rate(x[5m]))\n\n            / sum(rat(y[5m]))', at: '15:19' },
  ])('follows $style to the line of the mistake', ({ written, at }) => {
    expect(issuesFor(serviceWithErrors(written))).toEqual([
      expect.stringMatching(new RegExp(`^model\\.yaml:${at}: spec\\.slos\\[0\\]\\.sli\\.ratio\\.errors: invalid PromQL: unknown function "rat"`)),
    ]);
  });

  it('checks saturation and rollback queries too, even when the document has other mistakes', () => {
    const text = `apiVersion: steadyops.dev/v1
kind: Service
metadata: { name: checkout }
spec:
  owner: payments
  tier: 7
  dependsOn:
    - external: stripe
      saturation: { query: "stripe_rate_limit_remaining <", threshold: 0.9 }
  rollback:
    criteria:
      - { name: errors, query: 'sum(rate(x[1m])) by code', threshold: 0.02 }
`;
    expect(issuesFor(text)).toEqual([
      expect.stringMatching(/^model\.yaml:6:9: spec\.tier: /),
      'model.yaml:9:58: spec.dependsOn[0].saturation.query: invalid PromQL: unexpected end of expression near "…imit_remaining <"',
      'model.yaml:12:53: spec.rollback.criteria[0].query: invalid PromQL: unexpected "code" near "…rate(x[1m])) by code"',
    ]);
  });
});
