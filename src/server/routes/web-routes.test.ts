import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testServer } from '../test-support/test-server.ts';
import { isDashboardPath, noWebBuildText } from './web-routes.ts';

describe('the web dashboard routes', () => {
  const webRoot = mkdtempSync(join(tmpdir(), 'steadyops-web-root-'));
  mkdirSync(join(webRoot, 'assets'));
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>steadyops</title>');
  writeFileSync(join(webRoot, 'assets', 'index-abc.js'), 'console.log(1)');
  afterAll(() => rmSync(webRoot, { recursive: true, force: true }));

  it('serves index.html at / and for client-side routes, uncached, and assets cached for good', async () => {
    const { app } = await testServer({ webRoot });
    for (const url of ['/', '/changes?service=checkout-api&since=7d', '/events/deploy-1?source=%2Fci']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.body).toContain('<title>steadyops</title>');
      expect(response.headers['cache-control']).toBe('no-cache');
    }
    const asset = await app.inject({ method: 'GET', url: '/assets/index-abc.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    await app.close();
  });

  it('keeps the API, webhooks and missing assets as problem+json 404s', async () => {
    const { app } = await testServer({ webRoot });
    for (const url of ['/api/v1/nope', '/api', '/hooks/nope', '/assets/missing.js']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    const whoami = await app.inject({ method: 'GET', url: '/api/v1/whoami' });
    expect(whoami.statusCode).toBe(401);
    await app.close();
  });

  it('says how to build the dashboard when there is no build', async () => {
    const { app } = await testServer({ webRoot: join(webRoot, 'missing') });
    const response = await app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe(noWebBuildText);
    expect(response.body).toContain('npm run build');
    await app.close();
  });

  it('tells dashboard paths from server paths', () => {
    expect(['/', '/changes', '/events/x', '/apis', '/hooksmith'].map(isDashboardPath)).toEqual([true, true, true, true, true]);
    expect(['/api', '/api/v1/changes', '/hooks', '/hooks/github', '/assets/x.js'].map(isDashboardPath)).toEqual([false, false, false, false, false]);
  });
});
