import { describe, expect, it } from 'vitest';
import { testServer } from '../test-support/test-server.ts';

const event = (id: string) => ({ specversion: '1.0', id, source: '/ci', type: 'com.example.build.finished' });

describe('GET /metrics', () => {
  it('exposes HTTP, ledger and process metrics in Prometheus text format', async () => {
    const server = await testServer();
    const { app } = server;
    const headers = server.auth('operator');
    await app.inject({ method: 'POST', url: '/api/v1/events', headers, payload: [event('a'), event('b')] });
    await app.inject({ method: 'POST', url: '/api/v1/events', headers, payload: [event('a')] });
    await app.inject({ url: '/api/v1/whoami' });
    await app.inject({ url: '/api/v1/events/a', headers });
    await app.inject({ url: '/no/such/route' });

    const response = await app.inject({ url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = response.body;
    expect(text).toContain('steadyops_http_requests_total{method="POST",route="/api/v1/events",status="200"} 2');
    expect(text).toContain('steadyops_http_requests_total{method="GET",route="/api/v1/whoami",status="401"} 1');
    // the route pattern, never the raw URL, so label values stay bounded
    expect(text).toContain('steadyops_http_requests_total{method="GET",route="/api/v1/events/:id",status="200"} 1');
    expect(text).toContain('steadyops_http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(text).toMatch(/steadyops_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/events",status="200"\} 2/);
    expect(text).toContain('steadyops_ledger_appends_total{outcome="stored"} 2');
    expect(text).toContain('steadyops_ledger_appends_total{outcome="duplicate"} 1');
    expect(text).toContain('steadyops_ledger_append_duration_seconds_count 2');
    expect(text).toContain('steadyops_ledger_size 2');
    expect(text).toContain('process_cpu_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('keeps each server on its own registry', async () => {
    const first = await testServer();
    const second = await testServer();
    await first.app.inject({ url: '/healthz' });
    const secondText = (await second.app.inject({ url: '/metrics' })).body;
    expect(secondText).not.toContain('route="/healthz"');
  });
});
