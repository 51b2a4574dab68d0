import { realpathSync } from 'node:fs';
import type { AlertRuleFact } from '../facts.ts';
import { alertRulesOfDocument } from './prometheus-rules-scanner.ts';
import { readTextFile } from './read-text-file.ts';
import { defaultMaxFileBytes } from './scan-repository.ts';
import { walkFiles } from './walk-files.ts';
import type { Warn } from './warn.ts';
import { parseYamlFile } from './yaml-documents.ts';

/**
 * The Prometheus alerting rules of a repository, read the way the audit scan reads them (same walk,
 * same rule-file reader), without the rest of the scan: for the alert and runbook commands.
 */
export function readAlertRules(root: string, warn: Warn = () => undefined): AlertRuleFact[] {
  const realRoot = realpathSync(root);
  return walkFiles(realRoot, warn)
    .filter((file) => /\.ya?ml$/i.test(file.path))
    .flatMap((file) => {
      const outcome = readTextFile(file.absolute, defaultMaxFileBytes);
      if ('skipped' in outcome || !/^\s*groups\s*:/m.test(outcome.text)) return [];
      const yaml = parseYamlFile(file.path, outcome.text, warn);
      return yaml.documents
        .filter((document) => document.document.get('kind') === undefined && document.document.has('groups'))
        .flatMap((document) => alertRulesOfDocument(file.path, document, yaml.lineCounter));
    });
}
