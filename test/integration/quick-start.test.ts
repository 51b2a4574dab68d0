import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binPath, repoRoot, runCli, startServer, waitForOutput } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'steadyops-demo-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the quick start', () => {
  it('`serve --demo` loads the demo organisation and its history, and prints the URL and an admin token', async () => {
    const server = await startServer(['--demo'], { cwd: dir, env: { STEADYOPS_DB: '' } });
    try {
      const token = (await waitForOutput(server, /Admin token:\s+(so_\S+)/))[1];
      expect(token, server.output()).toBeDefined();
      expect(server.output()).toContain(`API:         ${server.url}`);
      const get = async (path: string): Promise<Record<string, unknown>> => {
        const response = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
        expect(response.status, path).toBe(200);
        return (await response.json()) as Record<string, unknown>;
      };
      const model = await get('/api/v1/model');
      expect((model.teams as unknown[]).length).toBeGreaterThanOrEqual(3);
      expect((model.services as unknown[]).length).toBeGreaterThanOrEqual(8);
      expect((model.datastores as unknown[]).length).toBeGreaterThanOrEqual(3);
      expect((model.environments as unknown[]).length).toBeGreaterThanOrEqual(2);
      const recent = await get('/api/v1/changes?since=30m&limit=1000');
      expect((recent.events as unknown[]).length).toBeGreaterThan(1);
      const fortnight = await get('/api/v1/changes?since=15d&limit=1000');
      expect((fortnight.events as unknown[]).length).toBe(1000);
    } finally {
      await server.stop();
    }
    const verified = await runCli(['--db', 'sqlite:.steadyops/demo/steadyops.db', 'ledger', 'verify', '--format', 'json'], { cwd: dir });
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true });
    expect((JSON.parse(verified.stdout) as { size: number }).size).toBeGreaterThan(2_000);
  }, 120_000);

  it('the steadyops binary runs from the repository root', () => {
    const result = spawnSync(process.execPath, [binPath, 'validate', '--config', 'examples/demo/.steadyops'], { cwd: repoRoot, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^model OK: 4 teams, 10 services, 4 datastores/);
  });
});
