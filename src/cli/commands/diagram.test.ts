import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runCli } from '../../../test/support/cli.ts';

const demo = join(repoRoot, 'examples/demo');

describe('steadyops diagram', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'steadyops-diagram-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints the Mermaid ownership map of the model by default', async () => {
    const result = await runCli(['diagram'], { cwd: demo });
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('flowchart LR\n')).toBe(true);
    expect(result.stdout).toContain('subgraph team_payments["payments"]');
    expect(result.stdout).toContain('service_web_frontend ==>|critical| service_checkout_api');
  });

  it('filters to a team, in DOT', async () => {
    const result = await runCli(['diagram', '--team', 'identity', '--format', 'dot'], { cwd: demo });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('digraph ownership {');
    expect(result.stdout).toContain('label="platform (context)"');
    expect(result.stdout).not.toContain('"service:fraud-scorer"');
  });

  it('writes an SVG, the format taken from the file name', async () => {
    const out = join(dir, 'map.svg');
    const result = await runCli(['diagram', '--config', '.steadyops', '--out', out], { cwd: demo });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('ownership map (svg, 10 services) written to');
    expect(await readFile(out, 'utf8')).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*<\/svg>\n$/);
  });

  it('names the teams when --team is not one, and the formats for a wrong --format', async () => {
    const team = await runCli(['diagram', '--team', 'nobody'], { cwd: demo });
    expect(team.code).toBe(2);
    expect(team.stderr).toContain('--team nobody is not a team of the model; teams: payments, identity, platform, growth');
    const format = await runCli(['diagram', '--format', 'png'], { cwd: demo });
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('use mermaid, svg, dot');
  });

  it('shows examples in --help', async () => {
    const result = await runCli(['diagram', '--help'], { cwd: demo });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('$ steadyops diagram --format svg --out docs/images/ownership-map.svg');
  });
});
