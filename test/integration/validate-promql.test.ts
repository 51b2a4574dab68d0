import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'steadyops-promql-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const good = `errors: 'sum(rate(http_requests_total{service="checkout-api",code=~"5.."}[{{.window}}]))'`;
const bad = `errors: 'sum(rate(http_requests_total{service="checkout-api",code=~"5.."}[{{.window}}]]))'`;

/** A copy of the demo model whose checkout-api availability SLI has one "]" too many. */
function brokenDemo(): { line: number; col: number } {
  const model = join(dir, '.steadyops');
  cpSync('examples/demo/.steadyops', model, { recursive: true });
  const file = join(model, 'services.yaml');
  const text = readFileSync(file, 'utf8');
  expect(text).toContain(good);
  writeFileSync(file, text.replace(good, bad));
  const lines = text.split('\n');
  const index = lines.findIndex((line) => line.includes(good));
  const valueCol = (lines[index] ?? '').indexOf(good) + 'errors: '.length + 1;
  // the opening quote, then the query up to its second "]" of "]]"
  return { line: index + 1, col: valueCol + 1 + bad.slice("errors: '".length).indexOf(']]') + 1 };
}

describe('steadyops validate with PromQL', () => {
  const where = brokenDemo();

  it('reports an invalid query at the offending character and exits 2', async () => {
    const result = await runCli(['validate', '--config', '.steadyops'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toContain(
      `.steadyops/services.yaml:${where.line}:${where.col}: spec.slos[0].sli.ratio.errors: invalid PromQL: unexpected "]" near`,
    );
    expect(result.stdout).toMatch(/\n1 problem in 1 file\n$/);
  });

  it('lists the problem in JSON too', async () => {
    const result = await runCli(['validate', '--config', '.steadyops', '--format', 'json'], { cwd: dir });
    expect(result.code).toBe(2);
    const body = JSON.parse(result.stdout) as { ok: boolean; issues: Array<{ line: number; col: number; message: string }> };
    expect(body.ok).toBe(false);
    expect(body.issues).toEqual([expect.objectContaining({ line: where.line, col: where.col })]);
  });

  it('makes other commands refuse the model the same way', async () => {
    const result = await runCli(['slo', 'rules', '--config', '.steadyops'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('invalid PromQL');
  });
});
