import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Ledger } from '../../ledger/types.ts';

export interface ServerMetrics {
  readonly registry: Registry;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly ledgerAppends: Counter<'outcome'>;
  readonly ledgerAppendDuration: Histogram;
}

/** One registry per server (never prom-client's global one), so several servers can share a process. */
export function createServerMetrics(ledger: Ledger): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  new Gauge({
    name: 'steadyops_ledger_size',
    help: 'Number of events in the ledger.',
    registers,
    async collect() {
      this.set(await ledger.size());
    },
  });
  return {
    registry,
    httpRequests: new Counter({
      name: 'steadyops_http_requests_total',
      help: 'HTTP requests served, by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'steadyops_http_request_duration_seconds',
      help: 'Time to serve an HTTP request.',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    ledgerAppends: new Counter({
      name: 'steadyops_ledger_appends_total',
      help: 'Events acknowledged by the ledger: stored, or duplicate (already stored).',
      labelNames: ['outcome'],
      registers,
    }),
    ledgerAppendDuration: new Histogram({
      name: 'steadyops_ledger_append_duration_seconds',
      help: 'Time of one ledger append (a batch), durable when it returns.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
  };
}

/** Records every response and serves the registry at GET /metrics (Prometheus text, no auth). */
export function metrics(app: FastifyInstance, serverMetrics: ServerMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: request.method,
      // the route pattern, never the raw URL, so label values stay few
      route: request.routeOptions.url ?? 'unmatched',
      status: String(reply.statusCode),
    };
    serverMetrics.httpRequests.inc(labels);
    serverMetrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { schema: { summary: 'Prometheus metrics (text exposition format)', tags: ['operations'] } }, async (_request, reply) => {
    const text = await serverMetrics.registry.metrics();
    return reply.type(serverMetrics.registry.contentType).send(text);
  });
}
