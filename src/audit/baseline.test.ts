import { describe, expect, it } from 'vitest';
import { isSteadyopsError, type SteadyopsError } from '../lib/errors.ts';
import { auditRun, finding } from './audit-fixtures.ts';
import { compareWithBaseline, parseBaseline } from './baseline.ts';
import { buildAuditReport } from './build-audit-report.ts';
import { controlCatalog } from './controls/control-catalog.ts';
import { renderJsonReport } from './reports/json-report.ts';

const a = finding({ service: 'a' });
const b = finding({ service: 'b' });
const c = finding({ service: 'c' });
const d = finding({ service: 'd' });

const reportJson = (findings = [a, b], baseline?: ReturnType<typeof parseBaseline>) =>
  renderJsonReport(buildAuditReport({ run: auditRun(findings), catalog: controlCatalog, ...(baseline ? { baseline } : {}) }));

describe('parseBaseline', () => {
  it('reads the report the json format writes', () => {
    const baseline = parseBaseline(reportJson(), 'previous.json');
    expect(baseline.at).toBe('2026-11-26T09:00:00.000Z');
    expect(baseline.findings.map((entry) => entry.fingerprint)).toEqual([a.fingerprint, b.fingerprint]);
    expect(baseline.findings[0]).toEqual(a);
    expect(baseline.fixedBefore).toEqual([]);
  });

  it.each([
    ['not JSON', '{"run": ', /previous\.json is not JSON/],
    ['not a report', '{"findings": []}', /previous\.json is not an audit report written with --format json/],
    ['a finding without its fingerprint', JSON.stringify({ run: { at: '2026-11-26T09:00:00Z', findings: [{ ...a, fingerprint: undefined }] } }), /not an audit report/],
  ])('rejects %s with SO_E_INPUT_INVALID and the path', (_name, text, message) => {
    let error: SteadyopsError | undefined;
    try {
      parseBaseline(text, 'previous.json');
    } catch (caught) {
      if (isSteadyopsError(caught)) error = caught;
    }
    expect(error?.code).toBe('SO_E_INPUT_INVALID');
    expect(error?.message).toMatch(message);
  });

  it('names the field that is wrong', () => {
    try {
      parseBaseline(JSON.stringify({ run: { at: 'yesterday', findings: [] } }), 'previous.json');
      expect.unreachable();
    } catch (error) {
      expect((error as SteadyopsError).issues).toEqual([expect.objectContaining({ file: 'previous.json', message: expect.stringMatching(/^run\.at: /) })]);
    }
  });
});

describe('compareWithBaseline', () => {
  it('reports fixed, new and unchanged by fingerprint', () => {
    const comparison = compareWithBaseline(auditRun([b, c]), parseBaseline(reportJson([a, b]), 'previous.json'));
    expect(comparison).toEqual({ baselineAt: '2026-11-26T09:00:00.000Z', fixed: [a], new: [c], regressed: [], unchanged: 1 });
  });

  it('reports a finding the baseline had found fixed, open again, as regressed', () => {
    // run 1: a, b; run 2 (baseline run 1): b, so a is fixed; run 3 (baseline run 2): a is back, d is new
    const second = reportJson([b], parseBaseline(reportJson([a, b]), 'first.json'));
    const comparison = compareWithBaseline(auditRun([a, b, d]), parseBaseline(second, 'second.json'));
    expect(comparison.regressed).toEqual([a]);
    expect(comparison.new).toEqual([d]);
    expect(comparison.fixed).toEqual([]);
    expect(comparison.unchanged).toBe(1);
  });
});
