import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { auditScan } from './audit-scan.ts';
import type { Benchmark, BenchContext } from './bench-context.ts';
import { parseBenchOptions } from './bench-options.ts';
import { changesSince } from './changes-since.ts';
import { dashboardLoad } from './dashboard-load.ts';
import { dashboardRender } from './dashboard-render.ts';
import { doraMetrics } from './dora-metrics.ts';
import { formatFigure, verdictOf, type Figure } from './figure.ts';
import { gateDecision } from './gate-decision.ts';
import { gitImport } from './git-import.ts';
import { httpIngest } from './http-ingest.ts';
import { incidentTimeline } from './incident-timeline.ts';
import { inclusionProof } from './inclusion-proof.ts';
import { ledgerAppendPostgres } from './ledger-append-postgres.ts';
import { ledgerAppendSqlite } from './ledger-append-sqlite.ts';
import { ledgerBuild } from './ledger-build.ts';
import { ledgerVerify } from './ledger-verify.ts';
import { timed } from './measure.ts';
import { buildMillionLedger, type MillionLedger } from './million-ledger.ts';
import { progress } from './progress.ts';
import { serveMemory } from './serve-memory.ts';
import { serveReplicasPostgres } from './serve-replicas-postgres.ts';
import { sloRules } from './slo-rules.ts';
import { webhookIngest } from './webhook-ingest.ts';

/** In run order; the large-ledger ones share one ledger, built by the first that needs it. */
export const benchmarks: ReadonlyArray<readonly [string, Benchmark]> = [
  ['ledger-append-sqlite', ledgerAppendSqlite],
  ['ledger-append-postgres', ledgerAppendPostgres],
  ['serve-replicas-postgres', serveReplicasPostgres],
  ['http-ingest', httpIngest],
  ['ledger-build', ledgerBuild],
  ['changes-since', changesSince],
  ['inclusion-proof', inclusionProof],
  ['ledger-verify', ledgerVerify],
  ['serve-memory', serveMemory],
  ['webhook-ingest', webhookIngest],
  ['git-import', gitImport],
  ['slo-rules', sloRules],
  ['gate-decision', gateDecision],
  ['dashboard-load', dashboardLoad],
  ['dashboard-render', dashboardRender],
  ['audit-scan', auditScan],
  ['incident-timeline', incidentTimeline],
  ['dora-metrics', doraMetrics],
];

const outFile = fileURLToPath(new URL('./.out/results.json', import.meta.url));

async function main(): Promise<number> {
  const options = parseBenchOptions(process.argv.slice(2), process.env);
  const unknown = options.only.filter((name) => !benchmarks.some(([known]) => known === name));
  if (unknown.length > 0) {
    process.stderr.write(`unknown benchmark ${unknown.join(', ')}; known: ${benchmarks.map(([name]) => name).join(', ')}\n`);
    return 2;
  }
  const selected = benchmarks.filter(([name]) => options.only.length === 0 || options.only.includes(name));
  let million: Promise<MillionLedger> | undefined;
  const ctx: BenchContext = {
    quick: options.quick,
    ledgerEvents: options.ledgerEvents,
    million: () => (million ??= buildMillionLedger(options.ledgerEvents)),
  };
  const results: Array<{ benchmark: string; seconds: number; figures?: Figure[]; error?: string }> = [];
  const started = Date.now();
  try {
    for (const [name, benchmark] of selected) {
      progress(`${name}: start`);
      try {
        const { result: figures, ms } = await timed(() => benchmark(ctx));
        for (const figure of figures) process.stdout.write(`${formatFigure(figure)}\n`);
        results.push({ benchmark: name, seconds: ms / 1_000, figures });
      } catch (error) {
        process.stdout.write(`${name}: ERROR ${(error as Error).message}\n`);
        results.push({ benchmark: name, seconds: 0, error: (error as Error).stack ?? String(error) });
      }
    }
  } finally {
    if (million) await (await million.catch(() => undefined))?.close();
  }
  mkdirSync(fileURLToPath(new URL('./.out/', import.meta.url)), { recursive: true });
  const figures = results.flatMap((result) => (result.figures ?? []).map((figure) => ({ ...figure, benchmark: result.benchmark, verdict: verdictOf(figure) })));
  writeFileSync(
    outFile,
    `${JSON.stringify({ when: new Date().toISOString(), node: process.version, quick: options.quick, ledgerEvents: options.ledgerEvents, seconds: (Date.now() - started) / 1_000, figures, results }, null, 2)}\n`,
  );
  progress(`done in ${Math.round((Date.now() - started) / 1_000)}s; figures written to ${outFile}`);
  return results.some((result) => result.error) ? 1 : 0;
}

process.exitCode = await main();
