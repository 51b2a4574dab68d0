import { createRequire } from 'node:module';
import { sign } from '@octokit/webhooks-methods';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import type { BenchContext } from './bench-context.ts';
import { withBenchServer } from './bench-server.ts';
import { rateFigure, type Figure } from './figure.ts';
import { progress } from './progress.ts';
import { withTempDir } from './temp-dir.ts';

const connections = 8;
const alertsPerNotification = 50;
const secret = 'bench webhook secret';

interface Request {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

interface Run {
  readonly ok: number;
  readonly failed: number;
  readonly perSecond: number;
  readonly p99Ms: number;
}

/**
 * Webhook deliveries against a real server on SQLite: signed GitHub pushes (a new X-GitHub-Delivery each)
 * and Alertmanager notifications of 50 alerts (new fingerprints each), beside /healthz under the same
 * load. Afterwards the ledger must hold exactly what was acknowledged.
 */
export async function webhookIngest(ctx: BenchContext): Promise<Figure[]> {
  const pushes = ctx.quick ? 300 : 4_000;
  const notifications = ctx.quick ? 40 : 600;
  return withTempDir('webhook-ingest', (dir) =>
    withBenchServer(dir, { githubWebhookSecret: secret }, async ({ url, runtime, token }) => {
      const push = pushPayload();
      const pushBody = JSON.stringify(push);
      const signature = await sign(secret, pushBody);
      progress(`webhook ingest: ${pushes} GitHub pushes (${push.commits.length} commit(s) each), ${notifications} Alertmanager notifications of ${alertsPerNotification}, ${connections} connections`);

      const health = await fire(url, pushes, () => ({ method: 'GET', path: '/healthz', headers: {} }), 'GET /healthz');
      const github = await fire(
        url,
        pushes,
        (i) => ({
          method: 'POST',
          path: '/hooks/github',
          headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-github-delivery': `bench-push-${i}`, 'x-hub-signature-256': signature },
          body: pushBody,
        }),
        'GitHub push',
      );
      const alertBodies = Array.from({ length: notifications + connections * 4 }, (_, i) => JSON.stringify(notification(i)));
      const alertmanager = await fire(
        url,
        notifications,
        (i) => ({
          method: 'POST',
          path: '/hooks/alertmanager',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: alertBodies[i]!,
        }),
        'Alertmanager',
      );

      const expected = 1 + github.ok * push.commits.length + alertmanager.ok * alertsPerNotification;
      const size = await runtime.ledger.size();
      progress(`  ledger: ${size} events, acknowledged ${expected} (including the token's creation)`);
      return [
        rateFigure('webhook ingest POST /hooks/github (signed push deliveries)', github.perSecond, health.perSecond, 'requests/s', 0.05, {
          connections,
          deliveries: github.ok,
          eventsPerDelivery: push.commits.length,
          p99Ms: github.p99Ms,
          baselineP99Ms: health.p99Ms,
          errors: github.failed,
        }),
        rateFigure(`webhook ingest POST /hooks/alertmanager (${alertsPerNotification} alerts each)`, alertmanager.perSecond, health.perSecond, 'requests/s', 0.02, {
          connections,
          notifications: alertmanager.ok,
          p99Ms: alertmanager.p99Ms,
          baselineP99Ms: health.p99Ms,
          errors: alertmanager.failed,
        }),
        {
          name: 'webhook ingest: ledger size equals acknowledged events (zero loss)',
          value: size === expected ? 1 : 0,
          unit: 'check',
          target: { kind: 'check', description: 'size == acknowledged' },
          details: { ledgerSize: size, acknowledged: expected },
        },
      ];
    }),
  );
}

/** A fixed number of requests (not a duration) so every request has finished when the ledger is counted. */
async function fire(url: string, amount: number, requestAt: (i: number) => Request, what: string): Promise<Run> {
  let next = 0;
  let lastResponse = 0;
  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const options: autocannon.Options = {
      url,
      connections,
      amount,
      requests: [
        {
          setupRequest: (request) => {
            const { method, path, headers, body } = requestAt(next++);
            return { ...request, method, path, headers, ...(body === undefined ? {} : { body }) };
          },
        },
      ],
    };
    const instance = autocannon(options, (error, finished) => (error ? reject(error) : resolve(finished)));
    instance.on('response', () => {
      lastResponse = performance.now();
    });
  });
  // autocannon reports whole seconds and resolves on its next one-second tick: time the run up to its
  // last response instead
  const seconds = (lastResponse - started) / 1_000;
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0) throw new Error(`${what}: ${failed} requests failed`);
  const perSecond = result['2xx'] / seconds;
  progress(`  ${what}: ${result['2xx']} in ${seconds.toFixed(2)}s (${Math.round(perSecond)}/s), p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms`);
  return { ok: result['2xx'], failed, perSecond, p99Ms: result.latency.p99 };
}

interface PushPayload {
  readonly ref: string;
  readonly commits: readonly unknown[];
}

function pushPayload(): PushPayload {
  const examples = createRequire(import.meta.url)('@octokit/webhooks-examples') as Array<{ name: string; examples: PushPayload[] }>;
  const push = examples.find((set) => set.name === 'push')?.examples.find((p) => p.ref.startsWith('refs/heads/') && p.commits.length > 0);
  if (!push) throw new Error('@octokit/webhooks-examples has no branch push with commits');
  return push;
}

function notification(i: number) {
  const alerts = Array.from({ length: alertsPerNotification }, (_, j) => ({
    status: 'firing',
    labels: { alertname: 'HighErrorRate', service: `svc-${j % 10}`, severity: 'page', instance: `pod-${j}` },
    annotations: { summary: 'error rate above 5% for 10 minutes' },
    startsAt: '2026-11-26T08:40:00Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://prometheus:9090/graph',
    fingerprint: `${i.toString(16)}-${j.toString(16)}`,
  }));
  return {
    version: '4',
    groupKey: `{}:{alertname="HighErrorRate",batch="${i}"}`,
    status: 'firing',
    receiver: 'steadyops',
    groupLabels: { alertname: 'HighErrorRate' },
    commonLabels: { alertname: 'HighErrorRate' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    truncatedAlerts: 0,
    alerts,
  };
}
