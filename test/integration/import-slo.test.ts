import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { prometheusAvailable, promtoolBinary } from '../support/prometheus.ts';

const dir = mkdtempSync(join(tmpdir(), 'steadyops-import-slo-'));
const model = join(dir, '.steadyops');
const services = join(model, 'services.yaml');
const fixtures = ['openslo/slos.yaml', 'openslo/slis.yaml', 'sloth/northwind.yaml'];
const cli = (args: string[]) => runCli(args, { cwd: dir });
const importAll = (...args: string[]) => cli(['import', 'slo', ...fixtures.map((file) => `fixtures/${file}`), ...args]);

afterAll(() => rmSync(dir, { recursive: true, force: true }));
cpSync('test/fixtures/slo', join(dir, 'fixtures'), { recursive: true });
beforeEach(() => {
  rmSync(model, { recursive: true, force: true });
  cpSync('examples/demo/.steadyops', model, { recursive: true });
});

/** true when `lines` holds every line of `original`, in order: the import only added lines. */
function onlyAdded(original: string, changed: string): boolean {
  const lines = changed.split('\n');
  let at = 0;
  return original.split('\n').every((line) => {
    while (at < lines.length && lines[at] !== line) at++;
    return at++ < lines.length;
  });
}

describe('steadyops import slo', () => {
  it('prints what would change and a summary, and writes nothing without --write', async () => {
    const before = readFileSync(services, 'utf8');
    const result = await importAll();
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/\.steadyops\/services\.yaml:\d+: search-api: add SLO requests-availability\n\+ - name: requests-availability\n\+ {3}objective: 99\.9\n/);
    expect(result.stdout).toMatch(/^SERVICE\s+SLO\s+OBJECTIVE\s+PERIOD\s+CHANGE\s+MODEL\s+FROM$/m);
    expect(result.stdout).toMatch(/^payments-gateway\s+fast-authorisations\s+99\.5%\s+28d\s+add\s+\.steadyops\/services\.yaml:\d+\s+fixtures\/openslo\/slos\.yaml:13:9$/m);
    expect(result.stdout).toContain('5 to add, 0 to update, 0 unchanged, 0 skipped; dry run, nothing written: pass --write to update .steadyops/services.yaml');
    expect(result.stderr).toContain('note: fixtures/openslo/slos.yaml:62:9: AlertPolicy "payments-burn"');
    expect(readFileSync(services, 'utf8')).toBe(before);
  });

  it('writes the SLOs into the service documents; the model validates and the rules include them', async () => {
    const before = readFileSync(services, 'utf8');
    const result = await importAll('--write');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('wrote .steadyops/services.yaml');
    const after = readFileSync(services, 'utf8');
    expect(onlyAdded(before, after)).toBe(true);

    const validate = await cli(['validate']);
    expect(validate.stdout).toMatch(/^model OK/);
    expect(validate.code).toBe(0);

    const rules = await cli(['slo', 'rules']);
    expect(rules.code, rules.stderr).toBe(0);
    for (const group of ['search-api:requests-availability', 'search-api:requests-latency', 'payments-gateway:fast-authorisations', 'billing-scheduler:run-success', 'notification-worker:delivery-success']) {
      expect(rules.stdout).toContain(`- name: slo:${group}\n`);
    }
    expect(rules.stdout).toContain('sum(rate(http_requests_total{service="search-api",code=~"(5..|429)"}[1h]))');

    const again = await importAll('--write');
    expect(again.stdout).toContain('0 to add, 0 to update, 5 unchanged, 0 skipped; the model already has these SLOs, nothing to write');
    expect(readFileSync(services, 'utf8')).toBe(after);
  });

  it.skipIf(!prometheusAvailable())('gives rules for the imported SLOs that promtool accepts', async () => {
    await importAll('--write');
    const rules = await cli(['slo', 'rules', '--out', 'rules.yaml']);
    expect(rules.code, rules.stderr).toBe(0);
    const { stdout } = await promisify(execFile)(promtoolBinary, ['check', 'rules', join(dir, 'rules.yaml')], { timeout: 20_000 });
    expect(stdout).toMatch(/SUCCESS: \d+ rules found/);
  });

  it('prints the imported SLOs as JSON', async () => {
    const result = await importAll('--format', 'json');
    expect(result.code, result.stderr).toBe(0);
    const body = JSON.parse(result.stdout) as { written: string[]; slos: Array<Record<string, unknown>>; notes: string[]; issues: unknown[] };
    expect(body.written).toEqual([]);
    expect(body.issues).toEqual([]);
    expect(body.slos).toContainEqual({
      service: 'billing-scheduler',
      change: 'add',
      model: { file: '.steadyops/services.yaml', line: expect.any(Number) },
      from: { file: 'fixtures/openslo/slos.yaml', line: 32, col: 9 },
      format: 'openslo',
      slo: {
        name: 'run-success',
        objective: 99,
        period: '7d',
        description: 'Billing runs that finish',
        sli: { ratio: { errors: 'sum(increase(billing_runs_total{outcome="failed"}[{{.window}}]))', total: 'sum(increase(billing_runs_total[{{.window}}]))' } },
      },
    });
  });

  it('replaces an SLO of the same name', async () => {
    writeFileSync(
      join(dir, 'search.yaml'),
      `version: prometheus/v1
service: search-api
slos:
  - name: availability
    objective: 99.9
    sli:
      events:
        error_query: 'sum(rate(http_requests_total{service="search-api",code=~"5.."}[{{.window}}]))'
        total_query: 'sum(rate(http_requests_total{service="search-api"}[{{.window}}]))'
`,
    );
    const result = await cli(['import', 'slo', 'search.yaml', '--write']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/search-api: update SLO availability\n- - name: availability\n- {3}objective: 99\.5\n/);
    const validate = await cli(['validate', '--format', 'json']);
    expect(JSON.parse(validate.stdout)).toMatchObject({ ok: true });
    expect(readFileSync(services, 'utf8')).toMatch(/- name: availability\n {6}objective: 99\.9\n(?: {6}.*\n)+ {2}alerts:/);
  });

  it('rejects bad input with file:line:col and writes nothing, even with --write', async () => {
    const before = readFileSync(services, 'utf8');
    writeFileSync(join(dir, 'bad.yaml'), 'version: prometheus/v1\nservice: search-api\nslos:\n  - name: x\n    objective: 99\n    sli:\n      plugin: { id: sloth-common/availability }\n');
    const result = await cli(['import', 'slo', 'fixtures/sloth/northwind.yaml', 'bad.yaml', '--write']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bad.yaml:7:7: slos[0].sli: SLI plugins are not supported');
    expect(result.stderr).toContain('1 problem(s) in the SLO files; nothing was written');
    expect(result.stdout).toBe('');
    expect(readFileSync(services, 'utf8')).toBe(before);
  });

  it('skips SLOs of services the model does not define with a hint, imports the rest and exits 2', async () => {
    writeFileSync(join(dir, 'unknown.yaml'), readFileSync('test/fixtures/slo/sloth/northwind.yaml', 'utf8').replace('service: "search-api"', 'service: "search"'));
    const result = await cli(['import', 'slo', 'unknown.yaml', '--write']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('unknown.yaml:9:5: service "search" is not in the model (did you mean "search-api"?); SLO "requests-availability" is skipped');
    expect(result.stdout).toMatch(/^search\s+requests-latency\s+99%\s+30d\s+skipped\s+\(unknown service\)/m);
    expect(result.stdout).toContain('1 to add, 0 to update, 0 unchanged, 2 skipped; wrote .steadyops/services.yaml');
    expect(readFileSync(services, 'utf8')).toContain('- name: delivery-success');
  });

  it('refuses an invalid model and a missing file like every other command', async () => {
    writeFileSync(services, readFileSync(services, 'utf8').replace('owner: payments', 'owner: paymants'));
    const invalid = await importAll();
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('error SO_E_MODEL_INVALID');
    expect(invalid.stderr).toContain('unknown Team "paymants" (did you mean "payments"?)');
    const missing = await cli(['import', 'slo', 'nope.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.yaml is not a file');
  });
});
