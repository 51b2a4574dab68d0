import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoRoot } from '../../cli/demo.ts';
import { loadModelOrThrow } from '../../model/load-model.ts';
import type { ResolvedModel } from '../../model/resolve.ts';
import { testServer } from '../test-support/test-server.ts';

let model: ResolvedModel;
beforeAll(async () => {
  model = (await loadModelOrThrow(join(demoRoot, '.steadyops'))).model;
});

describe('GET /api/v1/services/:name/runbooks', () => {
  let root: string;
  let outside: string;
  beforeAll(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'runbook-route-')));
    mkdirSync(join(root, 'runbooks'));
    writeFileSync(join(root, 'runbooks/checkout-api.md'), '# Checkout\n\nNo front matter.\n');
    writeFileSync(join(root, 'outside.md'), 'secret');
    outside = realpathSync(mkdtempSync(join(tmpdir(), 'runbook-outside-')));
    writeFileSync(join(outside, 'x.md'), '# not ours\n');
    symlinkSync(outside, join(root, 'runbooks/escape'));
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  function withRunbooks(runbooks: Array<{ name: string; path?: string; url?: string }>): ResolvedModel {
    return { ...model, services: model.services.map((service) => (service.name === 'checkout-api' ? { ...service, runbooks } : service)) };
  }

  it("answers the demo runbook's Markdown, front matter and an empty lint", async () => {
    const server = await testServer({ model: { current: () => model }, repositoryRoot: demoRoot });
    const response = await server.app.inject({ url: '/api/v1/services/checkout-api/runbooks', headers: server.auth('viewer') });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      service: 'checkout-api',
      runbooks: [
        {
          name: 'Checkout API',
          path: 'runbooks/checkout-api.md',
          markdown: expect.stringContaining('## First action'),
          frontMatter: { service: 'checkout-api', alerts: ['CheckoutHighErrorRate', 'CheckoutLatencyHigh'], owner: 'payments', lastReviewed: '2026-11-02' },
          lint: [],
        },
      ],
    });
  });

  it('lints what it reads, and never reads outside the repository', async () => {
    const runbooks = [
      { name: 'plain', path: 'runbooks/checkout-api.md' },
      { name: 'escape', path: '../outside.md' },
      { name: 'link', path: 'runbooks/escape/x.md' },
      { name: 'missing', path: 'runbooks/escape/none.md' },
      { name: 'wiki', url: 'https://wiki.example/checkout' },
    ];
    const server = await testServer({ model: { current: () => withRunbooks(runbooks) }, repositoryRoot: join(root, 'runbooks', '..') });
    const response = await server.app.inject({ url: '/api/v1/services/checkout-api/runbooks', headers: server.auth('viewer') });
    expect(response.statusCode, response.body).toBe(200);
    const [plain, escape, link, missing, wiki] = (response.json() as { runbooks: Array<{ markdown?: string; lint: Array<{ rule: string; message: string }> }> }).runbooks;
    expect(plain!.markdown).toBe('# Checkout\n\nNo front matter.\n');
    expect(plain!.lint.map((finding) => finding.rule)).toEqual(['front-matter', 'first-action', 'rollback']);
    for (const leaving of [escape!, link!, missing!]) {
      expect(leaving.markdown).toBeUndefined();
      expect(leaving.lint).toEqual([expect.objectContaining({ rule: 'runbook-file', message: expect.stringContaining('leaves the repository') })]);
    }
    expect(wiki).toEqual({ name: 'wiki', url: 'https://wiki.example/checkout', lint: [] });
  });

  it('answers 404 for an unknown service and 503 without a repository', async () => {
    const server = await testServer({ model: { current: () => model } });
    expect((await server.app.inject({ url: '/api/v1/services/nope/runbooks', headers: server.auth('viewer') })).statusCode).toBe(404);
    const response = await server.app.inject({ url: '/api/v1/services/checkout-api/runbooks', headers: server.auth('viewer') });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'SO_E_NOT_CONFIGURED' });
  });
});
