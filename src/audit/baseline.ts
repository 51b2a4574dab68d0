import { z } from 'zod';
import { SteadyopsError } from '../lib/errors.ts';
import type { BaselineComparison } from './audit-report.ts';
import { domains, severities } from './control.ts';
import type { AuditRun, Finding } from './run-audit.ts';

const text = z.string().min(1);

const baselineFinding = z.looseObject({
  fingerprint: text,
  controlId: text,
  title: text,
  domain: z.enum(domains),
  severity: z.enum(severities),
  effort: z.enum(['S', 'M', 'L']),
  status: z.enum(['open', 'risk-accepted']).default('open'),
  resource: text,
  evidence: z.string(),
  location: z.looseObject({ file: text, line: z.int().positive().optional(), column: z.int().positive().optional() }).optional(),
  service: text.optional(),
  team: text.optional(),
});

/** What `--baseline` reads from a previous JSON report: its run's findings and time, and what that run found fixed. */
const baselineReport = z.looseObject({
  run: z.looseObject({ at: z.iso.datetime({ offset: true }), findings: z.array(baselineFinding) }),
  comparison: z.looseObject({ fixed: z.array(z.looseObject({ fingerprint: text })) }).optional(),
});

export interface Baseline {
  readonly at: string;
  readonly findings: readonly Finding[];
  /** fingerprints the baseline itself reported as fixed against its own baseline */
  readonly fixedBefore: readonly string[];
}

/** Validates a previous run's JSON report (the `json` format); bad input names the file and the field. */
export function parseBaseline(json: string, path: string): Baseline {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `${path} is not JSON (${(error as Error).message}); give a report written with --format json` });
  }
  const parsed = baselineReport.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ file: path, path: issue.path.join('.'), message: `${issue.path.join('.') || '(root)'}: ${issue.message}` }));
    throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `${path} is not an audit report written with --format json (it needs run.at and run.findings)` }, issues);
  }
  const { run, comparison } = parsed.data;
  return { at: run.at, findings: run.findings, fixedBefore: (comparison?.fixed ?? []).map((finding) => finding.fingerprint) };
}

/**
 * By fingerprint: fixed = in the baseline, gone now; new = here now, neither in the baseline nor fixed
 * before it; regressed = reported fixed by the baseline's own comparison, here again; unchanged = in both.
 */
export function compareWithBaseline(run: Pick<AuditRun, 'findings'>, baseline: Baseline): BaselineComparison {
  const before = new Set(baseline.findings.map((finding) => finding.fingerprint));
  const now = new Set(run.findings.map((finding) => finding.fingerprint));
  const fixedBefore = new Set(baseline.fixedBefore);
  return {
    baselineAt: baseline.at,
    fixed: baseline.findings.filter((finding) => !now.has(finding.fingerprint)),
    new: run.findings.filter((finding) => !before.has(finding.fingerprint) && !fixedBefore.has(finding.fingerprint)),
    regressed: run.findings.filter((finding) => !before.has(finding.fingerprint) && fixedBefore.has(finding.fingerprint)),
    unchanged: run.findings.filter((finding) => before.has(finding.fingerprint)).length,
  };
}
