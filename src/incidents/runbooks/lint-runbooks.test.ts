import { describe, expect, it } from 'vitest';
import { emptyModel, type ResolvedModel } from '../../model/resolve.ts';
import type { AlertRule } from '../alerts/alert-gaps.ts';
import { lintRunbooks, type RunbookLintRule } from './lint-runbooks.ts';
import { newRunbook } from './new-runbook.ts';
import { parseRunbook } from './parse-runbook.ts';

const model: ResolvedModel = {
  ...emptyModel(),
  teams: [{ name: 'payments', labels: {}, annotations: {}, timezone: 'UTC', members: [{ name: 'Ana', email: 'ana@example.com' }] }],
  services: [
    {
      name: 'checkout-api',
      title: 'Checkout API',
      labels: {},
      annotations: { 'grafana.com/dashboard': 'https://grafana.example/d/checkout' },
      owner: 'payments',
      tier: 1,
      lifecycle: 'production',
      runtime: { kind: 'kubernetes', namespace: 'payments', deployment: 'checkout-api' },
      dependsOn: [{ datastore: 'core-postgres', critical: true }],
      alerts: [{ alertname: 'CheckoutHighErrorRate', severity: 'page', runbook: 'runbooks/checkout-api.md', firstAction: 'Run `steadyops changes --since 30m --service checkout-api`, then roll back.' }],
      runbooks: [{ name: 'Checkout', path: 'runbooks/checkout-api.md' }],
    },
    { name: 'search-api', labels: {}, annotations: {}, owner: 'payments', tier: 2, lifecycle: 'production', alerts: [{ alertname: 'SearchSlow', severity: 'ticket' }] },
  ],
};

const now = new Date('2026-11-26T09:00:00Z');
const files = new Set(['runbooks/checkout-api.md', 'dashboards/checkout.json']);
const rules: AlertRule[] = [{ alert: 'CheckoutHighErrorRate', labels: {}, annotations: {}, location: { file: 'monitoring/alerts.yaml', line: 4 } }];

const clean = [
  '---',
  'service: checkout-api',
  'alerts: [CheckoutHighErrorRate]',
  'owner: payments',
  'lastReviewed: 2026-10-01',
  '---',
  '',
  '# Checkout',
  '',
  '## First action',
  '',
  'Look at the [dashboard](../dashboards/checkout.json).',
  '',
  '```shell',
  'kubectl -n payments rollout status deployment/checkout-api',
  '```',
  '',
  '## Rollback',
  '',
  '```shell',
  'kubectl -n payments rollout undo deployment/checkout-api',
  '```',
  '',
].join('\n');

function lint(text: string, path = 'runbooks/checkout-api.md') {
  return lintRunbooks({ runbooks: [parseRunbook(path, text)], missingFiles: [], model, rules, now, fileExists: (file) => files.has(file) }).filter((finding) => finding.file === path);
}

describe('lintRunbooks', () => {
  it('finds nothing in a complete runbook', () => {
    expect(lint(clean)).toEqual([]);
  });

  it.each<[string, string, RunbookLintRule, number, string]>([
    ['no front matter', clean.split('---\n\n')[1]!, 'front-matter', 1, 'no front matter'],
    ['front matter that is not YAML', clean.replace('owner: payments', 'owner: [payments'), 'front-matter', 5, 'not valid YAML'],
    ['an unknown service', clean.replace('service: checkout-api', 'service: checkout'), 'front-matter', 1, 'service "checkout" is not a Service'],
    ['an unknown alert', clean.replace('[CheckoutHighErrorRate]', '[CheckoutDown]'), 'front-matter', 1, 'alert "CheckoutDown" is neither routed'],
    ['an unknown owner', clean.replace('owner: payments', 'owner: billing'), 'front-matter', 1, 'owner "billing" is not a Team'],
    ['no first action heading', clean.replace('## First action', '## What to do'), 'first-action', 1, 'no "First action" section'],
    ['no rollback heading for tier 1', clean.replace('## Rollback', '## Undo'), 'rollback', 1, 'tier 1'],
    ['a stale review', clean.replace('2026-10-01', '2026-01-01'), 'last-reviewed', 1, '329 days ago'],
    ['no review date', clean.replace('lastReviewed: 2026-10-01\n', ''), 'last-reviewed', 1, 'lastReviewed'],
    ['a command line outside a fence', clean.replace('Look at the', '$ kubectl get pods -n payments\n\nLook at the'), 'fenced-commands', 12, 'kubectl get pods'],
    ['a command in a code span', clean.replace('Look at the', 'Run `kubectl -n payments get pods` and look at the'), 'fenced-commands', 12, 'outside a fenced code block'],
    ['a command in an indented block', clean.replace('Look at the', '    kubectl -n payments get pods\n\nLook at the'), 'fenced-commands', 12, 'indented'],
    ['a dead relative link', clean.replace('../dashboards/checkout.json', 'checkout-old.md'), 'dead-link', 12, 'runbooks/checkout-old.md, which does not exist'],
    ['a link leaving the repository', clean.replace('../dashboards/checkout.json', '../../secrets.txt'), 'dead-link', 12, 'outside the repository'],
  ])('%s', (_label, text, rule, line, message) => {
    const findings = lint(text);
    expect(findings).toEqual([expect.objectContaining({ rule, line, message: expect.stringContaining(message) })]);
  });

  it('leaves URLs, anchors and prose starting with an English command word alone', () => {
    expect(lint(clean.replace('Look at the', 'Make sure to read [the docs](https://example.com) and [below](#rollback); cat food is fine. Look at the'))).toEqual([]);
  });

  it('finds alerts without any runbook and model runbooks that are not files', () => {
    const findings = lintRunbooks({
      runbooks: [],
      missingFiles: [{ path: 'runbooks/search.md', service: 'search-api' }],
      model,
      rules: [...rules, { alert: 'NodeDiskFilling', labels: {}, annotations: {}, location: { file: 'monitoring/alerts.yaml', line: 9 } }],
      now,
      fileExists: () => false,
    });
    expect(findings.map((finding) => [finding.rule, finding.file, finding.line])).toEqual([
      ['alert-runbook', 'monitoring/alerts.yaml', 9],
      ['alert-runbook', 'Service search-api spec.alerts', undefined],
      ['runbook-file', 'Service search-api spec.runbooks', undefined],
    ]);
  });
});

describe('newRunbook', () => {
  const text = newRunbook(model, model.services[0]!, '2026-11-26');

  it('passes the lint', () => {
    expect(lint(text)).toEqual([]);
  });

  it("uses the service's real namespace and deployment", () => {
    for (const command of [
      'git rev-parse --short HEAD',
      'kubectl rollout status deployment/checkout-api -n payments',
      'kubectl get pods -n payments -o wide',
      'kubectl logs -n payments deploy/checkout-api --tail=100',
      'kubectl rollout undo deployment/checkout-api -n payments',
    ]) {
      expect(text).toContain(command);
    }
  });

  it('lists front matter, first actions, dependencies and dashboards', () => {
    const parsed = parseRunbook('runbooks/checkout-api.md', text);
    expect(parsed.frontMatter?.data).toEqual({ service: 'checkout-api', alerts: ['CheckoutHighErrorRate'], owner: 'payments', lastReviewed: '2026-11-26' });
    expect(parsed.headings.map((heading) => heading.text)).toEqual(['Checkout API runbook', 'First action', 'Alerts', 'Dependencies', 'Dashboards', 'Release confidence checks', 'Rollback']);
    expect(text).toContain('steadyops changes --since 30m --service checkout-api\n');
    expect(text).toContain('datastore `core-postgres` (critical)');
    expect(text).toContain('https://grafana.example/d/checkout');
  });
});
