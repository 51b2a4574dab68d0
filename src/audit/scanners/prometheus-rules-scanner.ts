import type { LineCounter } from 'yaml';
import type { AlertRuleFact, KubernetesObjectFact, SourceLocation } from '../facts.ts';
import { isRecord, lineOf, mapValue, seqItems, stringOf, type YamlDocument } from './yaml-documents.ts';

/**
 * Alerting rules of a Prometheus rule file document (top-level `groups:` whose rules have `alert:`),
 * each at its line; recording rules are left out.
 */
export function alertRulesOfDocument(file: string, document: YamlDocument, lineCounter: LineCounter): AlertRuleFact[] {
  const data = document.data();
  if (!isRecord(data) || data.apiVersion !== undefined || !Array.isArray(data.groups)) return [];
  const groupNodes = seqItems(mapValue(document.document.contents, 'groups'));
  return alertRules(data.groups, (groupIndex, ruleIndex) => {
    const ruleNode = seqItems(mapValue(groupNodes[groupIndex], 'rules'))[ruleIndex];
    return { file, line: lineOf(ruleNode ?? groupNodes[groupIndex], lineCounter) };
  });
}

/** Alerting rules of PrometheusRule objects (prometheus-operator), located at their object. */
export function alertRulesOfObjects(objects: readonly KubernetesObjectFact[]): AlertRuleFact[] {
  return objects
    .filter((object) => object.kind === 'PrometheusRule' && object.apiVersion.startsWith('monitoring.coreos.com/'))
    .flatMap((object) => {
      const spec = object.object.spec;
      return isRecord(spec) && Array.isArray(spec.groups) ? alertRules(spec.groups, () => object.location) : [];
    });
}

function alertRules(groups: readonly unknown[], locate: (group: number, rule: number) => SourceLocation): AlertRuleFact[] {
  return groups.flatMap((group, groupIndex) => {
    if (!isRecord(group) || !Array.isArray(group.rules)) return [];
    const groupName = stringOf(group.name) ?? '';
    return group.rules.flatMap((rule: unknown, ruleIndex) => {
      if (!isRecord(rule) || typeof rule.alert !== 'string') return [];
      return [
        {
          location: locate(groupIndex, ruleIndex),
          group: groupName,
          alert: rule.alert,
          expr: rule.expr === undefined || rule.expr === null ? '' : String(rule.expr),
          labels: stringRecord(rule.labels),
          annotations: stringRecord(rule.annotations),
        },
      ];
    });
  });
}

function stringRecord(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, typeof entry === 'string' ? entry : JSON.stringify(entry)]));
}
