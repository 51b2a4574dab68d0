import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withRuntime } from '../../src/cli/runtime.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { runCli, startServer, type ServerProcess } from '../support/cli.ts';
import { sustainedIngest } from '../support/ingest.ts';
import { dropPostgresSchema, freshPostgresUrl, postgresAvailable } from '../support/services.ts';

const available = await postgresAvailable();
const dir = mkdtempSync(join(tmpdir(), 'steadyops-scale-'));
const db = freshPostgresUrl();
const env = { STEADYOPS_DB: db, STEADYOPS_SIGNING_KEY_FILE: join(dir, 'ledger-key.json') };

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (available) await dropPostgresSchema(db);
});

describe.skipIf(!available)('two serve replicas on one PostgreSQL', () => {
  it('append concurrently into one gap-free log that verifies, losing nothing acknowledged', async () => {
    const created = await runCli(['token', 'create', '--name', 'ingest', '--role', 'operator', '--format', 'json'], { cwd: dir, env });
    expect(created.code, created.stderr).toBe(0);
    const { token } = JSON.parse(created.stdout) as { token: string };
    const replicas: ServerProcess[] = await Promise.all([startServer([], { cwd: dir, env }), startServer([], { cwd: dir, env })]);
    let results;
    try {
      const deadline = Date.now() + 4_000;
      results = await Promise.all(
        replicas.map((replica, i) =>
          sustainedIngest({ url: replica.url, token, prefix: `replica-${i}`, batchSize: 40, workers: 3, stop: () => Date.now() > deadline }),
        ),
      );
    } finally {
      await Promise.all(replicas.map((replica) => replica.stop()));
    }
    const acknowledged = new Set(results.flatMap((result) => [...result.acknowledged]));
    expect(results.every((result) => result.acknowledged.size > 0)).toBe(true);
    expect(results.reduce((sum, result) => sum + result.failures, 0)).toBe(0);

    await withRuntime({ db, cwd: dir, env: { ...process.env, ...env }, clock: systemClock }, async ({ ledger }) => {
      const report = await ledger.verify();
      expect(report).toMatchObject({ ok: true });
      // the token's own creation event plus every acknowledged event, each once
      expect(report.size).toBe(acknowledged.size + 1);
      const stored = new Set<string>();
      for (let seq = 1; seq <= report.size; seq += 1) {
        const event = await ledger.getBySeq(seq);
        expect(event, `sequence ${seq} is missing`).toBeDefined();
        stored.add(`${event?.source}|${event?.id}`);
      }
      expect([...acknowledged].filter((key) => !stored.has(key))).toEqual([]);
    });
  }, 120_000);
});
