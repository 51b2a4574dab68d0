import { join } from 'node:path';
import { uniqueBatchBodies } from './batch-bodies.ts';
import type { BenchContext } from './bench-context.ts';
import { withBenchSchema } from './bench-postgres.ts';
import type { Figure } from './figure.ts';
import { postLoad } from './load.ts';
import { progress } from './progress.ts';
import { childEnv, createOperatorToken, runCli, startServe, type ServeProcess } from './serve-process.ts';
import { withTempDir } from './temp-dir.ts';

const batchSize = 500;
const connectionsPerReplica = 2;

/** Two `serve` replicas on one PostgreSQL appending concurrently; then `ledger verify` must pass. */
export async function serveReplicasPostgres(ctx: BenchContext): Promise<Figure[]> {
  const seconds = ctx.quick ? 3 : 10;
  return withBenchSchema((db) =>
    withTempDir('replicas', async (dir) => {
      const env = childEnv({ STEADYOPS_DB: db, STEADYOPS_SIGNING_KEY_FILE: join(dir, 'ledger-key.json') });
      const token = await createOperatorToken(db, env, dir);
      const replicas: ServeProcess[] = [];
      try {
        replicas.push(await startServe(env, dir), await startServe(env, dir));
        progress(`two serve replicas on PostgreSQL: ${replicas.map((replica) => replica.address).join(', ')}, ${seconds}s of batches of ${batchSize}`);
        const loads = await Promise.all(
          replicas.map((replica, i) =>
            postLoad({
              url: replica.address,
              path: '/api/v1/events',
              headers: { authorization: `Bearer ${token}` },
              body: uniqueBatchBodies(batchSize, `replica${i}`),
              connections: connectionsPerReplica,
              seconds,
            }),
          ),
        );
        const failed = loads.reduce((sum, load) => sum + load.failed, 0);
        if (failed > 0) throw new Error(`${failed} requests to the replicas failed`);
        const perReplica = loads.map((load) => (load.ok * batchSize) / load.seconds);
        for (const replica of replicas.splice(0)) await replica.stop();
        const verify = await runCli(['ledger', 'verify', '--db', db, '--format', 'json'], env, dir);
        const report = JSON.parse(verify.stdout) as { ok: boolean; size: number; checkpoints: number };
        progress(`  ledger verify after the replicas: exit ${verify.code}, ok=${report.ok}, ${report.size} events`);
        return [
          {
            name: 'serve x2 replicas postgres combined ingest (batches of 500)',
            value: perReplica.reduce((sum, rate) => sum + rate, 0),
            unit: 'events/s',
            details: { perReplica, seconds, connectionsPerReplica, p99Ms: loads.map((load) => load.latencyP99Ms) },
          },
          {
            name: 'serve x2 replicas postgres: ledger verify afterwards',
            value: verify.code === 0 && report.ok ? 1 : 0,
            unit: verify.code === 0 && report.ok ? `(passed: ${report.size} events, ${report.checkpoints} checkpoints)` : '(FAILED)',
            target: { kind: 'check', description: 'passes' },
            details: { exitCode: verify.code, report },
          },
        ];
      } finally {
        for (const replica of replicas) await replica.stop();
      }
    }),
  );
}
