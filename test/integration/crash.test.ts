import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/lib/clock.ts';
import { withRuntime } from '../../src/cli/runtime.ts';
import { runCli, startServer } from '../support/cli.ts';
import { sustainedIngest } from '../support/ingest.ts';

const dir = mkdtempSync(join(tmpdir(), 'steadyops-crash-'));
const db = `sqlite:${join(dir, 'data', 'steadyops.db')}`;
const env = { STEADYOPS_DB: db };

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('kill -9 during sustained ingest', () => {
  it('loses no acknowledged event, and the ledger verifies after restart', async () => {
    const created = await runCli(['token', 'create', '--name', 'ingest', '--role', 'operator', '--format', 'json'], { cwd: dir, env });
    expect(created.code, created.stderr).toBe(0);
    const { token } = JSON.parse(created.stdout) as { token: string };

    const server = await startServer([], { cwd: dir, env });
    let killed = false;
    const ingest = sustainedIngest({ url: server.url, token, prefix: 'crash', batchSize: 50, workers: 4, stop: () => killed });
    // let it run, then pull the plug mid-flight
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    killed = true;
    expect(await server.stop('SIGKILL')).toBeNull();
    const result = await ingest;
    expect(result.acknowledged.size).toBeGreaterThan(500);

    await withRuntime({ db, cwd: dir, env: { ...process.env, ...env }, clock: systemClock }, async ({ ledger }) => {
      const report = await ledger.verify();
      expect(report).toMatchObject({ ok: true });
      const stored = new Set<string>();
      const size = await ledger.size();
      for (let seq = 1; seq <= size; seq += 1) {
        const event = await ledger.getBySeq(seq);
        if (event) stored.add(`${event.source}|${event.id}`);
      }
      const lost = [...result.acknowledged].filter((key) => !stored.has(key));
      expect(lost).toEqual([]);
    });

    const restarted = await startServer([], { cwd: dir, env });
    try {
      const health = await fetch(`${restarted.url}/readyz`);
      expect(health.status).toBe(200);
      const again = await sustainedIngest({ url: restarted.url, token, prefix: 'after-restart', batchSize: 10, workers: 1, stop: () => false, maxRequests: 3 });
      expect(again.acknowledged.size).toBe(30);
    } finally {
      await restarted.stop();
    }
    const verified = await runCli(['ledger', 'verify'], { cwd: dir, env });
    expect(verified.code, verified.stdout + verified.stderr).toBe(0);
  }, 120_000);
});
