import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { freePort, startReadyDaemon, waitUntil } from './processes.ts';
import { reportMissingService } from './services.ts';

const run = promisify(execFile);

export const prometheusBinary = process.env.STEADYOPS_PROMETHEUS ?? '/usr/bin/prometheus';
export const promtoolBinary = process.env.STEADYOPS_PROMTOOL ?? '/usr/bin/promtool';

/** true when Prometheus and promtool are here; otherwise reports it (skip locally, fail under CI=true). */
export function prometheusAvailable(): boolean {
  if (existsSync(prometheusBinary) && existsSync(promtoolBinary)) return true;
  reportMissingService(`Prometheus (${prometheusBinary}, ${promtoolBinary})`, 'install the Debian package prometheus');
  return false;
}

export interface RunningPrometheus {
  readonly url: string;
  output(): string;
  /** resolves once every configured target has been scraped successfully at least once */
  waitForTargets(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface PrometheusOptions {
  /** host:port targets scraped at `scrapeInterval` */
  readonly targets?: readonly string[];
  readonly scrapeInterval?: string;
  /** rule files' contents (YAML), evaluated every `scrapeInterval` */
  readonly rules?: readonly string[];
  /** OpenMetrics text loaded with `promtool tsdb create-blocks-from openmetrics` before start */
  readonly backfill?: string;
}

/** Starts a real Prometheus on a free loopback port with temp storage. */
export async function startPrometheus(options: PrometheusOptions = {}): Promise<RunningPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'steadyops-prom-'));
  const data = join(dir, 'data');
  const interval = options.scrapeInterval ?? '1s';
  const ruleFiles = (options.rules ?? []).map((rules, index) => {
    const file = join(dir, `rules-${index}.yml`);
    writeFileSync(file, rules);
    return file;
  });
  writeFileSync(
    join(dir, 'prometheus.yml'),
    stringify({
      global: { scrape_interval: interval, evaluation_interval: interval },
      rule_files: ruleFiles,
      scrape_configs: options.targets?.length ? [{ job_name: 'test', static_configs: [{ targets: options.targets }] }] : [],
    }),
  );
  if (options.backfill !== undefined) {
    const source = join(dir, 'backfill.om');
    writeFileSync(source, options.backfill.endsWith('# EOF\n') ? options.backfill : `${options.backfill}# EOF\n`);
    await run(promtoolBinary, ['tsdb', 'create-blocks-from', 'openmetrics', source, data], { timeout: 60_000 });
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const daemon = await startReadyDaemon('Prometheus', prometheusBinary, [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${data}`,
      '--storage.tsdb.retention.time=400d',
      `--web.listen-address=127.0.0.1:${port}`,
      '--web.enable-lifecycle',
    ], `${url}/-/ready`, dir, 20_000);
  const output = daemon.output;
  const waitForTargets = (timeoutMs = 15_000) =>
    waitUntil(
      async () => {
        const body = (await (await fetch(`${url}/api/v1/targets`)).json()) as { data: { activeTargets: { health: string }[] } };
        const targets = body.data.activeTargets;
        return targets.length === (options.targets?.length ?? 0) && targets.every((target) => target.health === 'up');
      },
      timeoutMs,
      () => `Prometheus did not scrape its targets:\n${output()}`,
    );
  return { url, output, waitForTargets, stop: daemon.stop };
}

export interface TestExporter {
  /** host:port, for a scrape config */
  readonly target: string;
  /** requests per second the counters grow by, and the share of them that fail with a 5xx */
  set(traffic: { rps?: number; errorRatio?: number; gauges?: Record<string, number> }): void;
  stop(): Promise<void>;
}

/**
 * A tiny exporter whose error rate the test controls: `http_requests_total{service,code}` grows by
 * `rps` per second of wall time, `errorRatio` of it with code 500; gauges are served as set.
 */
export async function startTestExporter(service: string): Promise<TestExporter> {
  let rps = 10;
  let errorRatio = 0;
  let gauges: Record<string, number> = {};
  let ok = 0;
  let failed = 0;
  let last = Date.now();
  const advance = () => {
    const now = Date.now();
    const seconds = (now - last) / 1000;
    last = now;
    ok += rps * (1 - errorRatio) * seconds;
    failed += rps * errorRatio * seconds;
  };
  const server: Server = createServer((_request, response) => {
    advance();
    const lines = [
      '# TYPE http_requests_total counter',
      `http_requests_total{service="${service}",code="200"} ${ok}`,
      `http_requests_total{service="${service}",code="500"} ${failed}`,
      ...Object.entries(gauges).flatMap(([name, value]) => [`# TYPE ${name} gauge`, `${name}{service="${service}"} ${value}`]),
    ];
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    response.end(`${lines.join('\n')}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    target: `127.0.0.1:${port}`,
    set(traffic) {
      advance();
      rps = traffic.rps ?? rps;
      errorRatio = traffic.errorRatio ?? errorRatio;
      gauges = traffic.gauges ?? gauges;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * OpenMetrics text for counters sampled every `stepSeconds` from `from` to `to`: `value(t)` is the
 * counter at time t. Feed it to `startPrometheus({ backfill })` to give Prometheus weeks of history.
 */
export function counterHistory(
  series: readonly { name: string; labels: Record<string, string>; value: (atSeconds: number) => number }[],
  from: Date,
  to: Date,
  stepSeconds: number,
): string {
  const start = Math.floor(from.getTime() / 1000);
  const end = Math.floor(to.getTime() / 1000);
  const byName = new Map<string, string[]>();
  for (const entry of series) {
    const lines = byName.get(entry.name) ?? [];
    const labels = Object.entries(entry.labels)
      .map(([key, value]) => `${key}="${value}"`)
      .join(',');
    for (let at = start; at <= end; at += stepSeconds) lines.push(`${entry.name}_total{${labels}} ${entry.value(at)} ${at}`);
    byName.set(entry.name, lines);
  }
  return `${[...byName].map(([name, lines]) => `# TYPE ${name} counter\n${lines.join('\n')}`).join('\n')}\n# EOF\n`;
}
