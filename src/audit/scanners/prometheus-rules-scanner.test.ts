import { describe, expect, it } from 'vitest';
import type { KubernetesObjectFact } from '../facts.ts';
import { alertRulesOfDocument, alertRulesOfObjects } from './prometheus-rules-scanner.ts';
import { parseYamlFile } from './yaml-documents.ts';

const ruleFile = `groups:
  - name: api
    rules:
      - record: job:errors:rate5m
        expr: sum(rate(errors_total[5m]))
      - alert: ApiErrors
        expr: job:errors:rate5m > 1
        labels: { severity: page, priority: 1 }
        annotations:
          runbook_url: https://runbooks.example/api
  - name: empty
  - name: numbers
    rules:
      - alert: Always
        expr: 1
`;

describe('alertRulesOfDocument', () => {
  it('keeps alerting rules with their labels, annotations and line; recording rules are left out', () => {
    const yaml = parseYamlFile('rules/api.yml', ruleFile, () => undefined);
    expect(yaml.documents.flatMap((document) => alertRulesOfDocument(yaml.file, document, yaml.lineCounter))).toEqual([
      {
        location: { file: 'rules/api.yml', line: 6 },
        group: 'api',
        alert: 'ApiErrors',
        expr: 'job:errors:rate5m > 1',
        labels: { severity: 'page', priority: '1' },
        annotations: { runbook_url: 'https://runbooks.example/api' },
      },
      { location: { file: 'rules/api.yml', line: 14 }, group: 'numbers', alert: 'Always', expr: '1', labels: {}, annotations: {} },
    ]);
  });

  it('a document with apiVersion is an object, not a rule file', () => {
    const yaml = parseYamlFile('x.yml', 'apiVersion: v1\ngroups: [{ name: a, rules: [{ alert: A, expr: up == 0 }] }]\n', () => undefined);
    expect(alertRulesOfDocument(yaml.file, yaml.documents[0]!, yaml.lineCounter)).toEqual([]);
  });
});

describe('alertRulesOfObjects', () => {
  it('reads the alerting rules of PrometheusRule objects, at the object', () => {
    const object = (kind: string, apiVersion: string): KubernetesObjectFact => ({
      apiVersion,
      kind,
      name: 'api',
      location: { file: 'k8s/rules.yaml', line: 3 },
      object: { spec: { groups: [{ name: 'api', rules: [{ alert: 'ApiDown', expr: 'up == 0', labels: { severity: 'page' } }] }] } },
    });
    expect(alertRulesOfObjects([object('PrometheusRule', 'monitoring.coreos.com/v1'), object('PrometheusRule', 'example.com/v1'), object('ConfigMap', 'v1')])).toEqual([
      { location: { file: 'k8s/rules.yaml', line: 3 }, group: 'api', alert: 'ApiDown', expr: 'up == 0', labels: { severity: 'page' }, annotations: {} },
    ]);
  });
});
