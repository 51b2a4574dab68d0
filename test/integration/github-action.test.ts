import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli, startServer, type ServerProcess } from '../support/cli.ts';

interface ActionStep {
  id?: string;
  run?: string;
  env?: Record<string, string>;
}
interface ActionFile {
  inputs: Record<string, { required?: boolean; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

const action = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as ActionFile;
const gateStep = action.runs.steps.find((step) => step.id === 'gate') as ActionStep;

describe('action.yml', () => {
  it('is a composite action whose expressions only name declared inputs and steps', () => {
    expect(action.runs.using).toBe('composite');
    const text = readFileSync(join(repoRoot, 'action.yml'), 'utf8');
    const inputs = [...text.matchAll(/inputs\.([a-z-]+)/g)].map((match) => match[1]);
    for (const input of inputs) expect(Object.keys(action.inputs), `inputs.${input}`).toContain(input);
    for (const output of Object.values(action.outputs)) expect(output.value).toMatch(/^\$\{\{ steps\.gate\.outputs\.(decision|seq) \}\}$/);
    expect(action.inputs.server?.required).toBe(true);
    expect(action.inputs.token?.required).toBe(true);
  });
});

describe('action.yml gate step against a real server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'steadyops-action-'));
  const db = `sqlite:${join(dir, 'steadyops.db')}`;
  const config = join(repoRoot, 'examples/demo/.steadyops');
  let server: ServerProcess;
  let token: string;

  beforeAll(async () => {
    const created = await runCli(['--db', db, 'token', 'create', '--name', 'github-actions', '--role', 'operator', '--format', 'json'], { cwd: dir });
    token = (JSON.parse(created.stdout) as { token: string }).token;
    server = await startServer(['--db', db, '--config', config], { cwd: dir });
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the step's bash script as GitHub's runner would, with the step's env filled from inputs. */
  function runGateStep(inputs: Record<string, string>) {
    const outputFile = join(dir, `output-${inputs.service}`);
    const summaryFile = join(dir, `summary-${inputs.service}`);
    writeFileSync(outputFile, '');
    writeFileSync(summaryFile, '');
    const values: Record<string, string> = {};
    for (const [name, spec] of Object.entries(action.inputs)) values[name] = inputs[name] ?? spec.default ?? '';
    const env: Record<string, string> = {};
    for (const [key, expression] of Object.entries(gateStep.env ?? {})) {
      const input = /^\$\{\{ inputs\.([a-z-]+) \}\}$/.exec(expression)?.[1] as string;
      env[key] = values[input] ?? '';
    }
    const result = spawnSync('bash', ['-e', '-c', gateStep.run as string], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_ACTION_PATH: repoRoot, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr, output: readFileSync(outputFile, 'utf8'), summary: readFileSync(summaryFile, 'utf8') };
  }

  it('passes an allowed release and writes the decision output and the job summary', () => {
    const run = runGateStep({ server: server.url, token, service: 'search-api', environment: 'production', version: 'v1.4.0', author: 'sara-koval' });
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.output).toMatch(/^decision=allow\nseq=\d+\n$/);
    expect(run.summary).toContain('### ✅ ALLOW: search-api v1.4.0 to production');
  }, 60_000);

  it('fails the step on a denied release with an error annotation per failing check', () => {
    const run = runGateStep({ server: server.url, token, service: 'checkout-api', environment: 'production', version: 'v3.28.0', author: 'tomas-ruiz' });
    expect(run.code).toBe(1);
    expect(run.output).toMatch(/^decision=deny\n/);
    expect(run.stdout).toMatch(/^::error title=Release gate%3A approvals::/m);
  }, 60_000);

  it('fails with exit 2 and a clear message when the token is wrong', () => {
    const run = runGateStep({ server: server.url, token: 'so_wrong', service: 'checkout-api', environment: 'production' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/SO_E_UNAUTHENTICATED/);
  }, 60_000);
});
