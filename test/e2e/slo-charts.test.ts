import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild, repoRoot } from '../../scripts/ensure-web-build.ts';
import { burnHistory, writeBurnHistoryModel } from '../support/burn-history.ts';
import { chromiumAvailable, type HeadlessChromium, launchChromium } from '../support/chromium.ts';
import { runCli, type ServerProcess, startServer } from '../support/cli.ts';
import { prometheusAvailable, type RunningPrometheus, startPrometheus } from '../support/prometheus.ts';

const outDir = join(repoRoot, 'test', 'e2e', '.out');
const available = chromiumAvailable() && prometheusAvailable();

beforeAll(() => {
  ensureWebBuild(() => {});
  mkdirSync(outDir, { recursive: true });
}, 120_000);

describe.skipIf(!available)("a service's burn-rate and error-budget charts, drawn from a real Prometheus in headless Chromium", () => {
  const dir = mkdtempSync(join(tmpdir(), 'steadyops-slo-charts-'));
  let prometheus: RunningPrometheus;
  let server: ServerProcess;
  let browser: HeadlessChromium;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    prometheus = await startPrometheus({ backfill: burnHistory('checkout-api', Date.now()) });
    const folder = writeBurnHistoryModel(dir, prometheus.url);
    const db = `sqlite:${join(dir, 'steadyops.db')}`;
    const created = await runCli(['--db', db, 'token', 'create', '--name', 'e2e-viewer', '--role', 'viewer', '--format', 'json'], { cwd: dir });
    expect(created.code, created.stderr).toBe(0);
    const token = (JSON.parse(created.stdout) as { token: string }).token;
    server = await startServer(['--config', folder, '--db', db, '--audit-schedule', 'off'], { cwd: dir, env: { STEADYOPS_PROMETHEUS_URL: '' } });
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(server.url);
    await page.evaluate((value) => sessionStorage.setItem('steadyops.token', value), token);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await prometheus?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('draws both charts and lists the latest values: a 10x burn over 1h, budget below half', async () => {
    await page.goto(`${server.url}/services/checkout-api`);
    const slo = page.locator('[data-panel="slo-history"] [data-slo="availability"]');
    await slo.locator('canvas').nth(1).waitFor({ timeout: 30_000 });
    await expect(slo.getByRole('img').evaluateAll((charts) => charts.map((chart) => chart.getAttribute('aria-label')))).resolves.toEqual([
      'Burn rate of checkout-api availability in production, last 24h',
      'Error budget left of checkout-api availability in production, last 24h',
    ]);
    const rows = await slo.locator('table.latest tbody tr').allInnerTexts();
    expect(rows).toEqual([
      expect.stringMatching(/^Burn rate over 1h\s+(9\.\d|10|11)x \(page above 14\.4x\)\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC$/),
      expect.stringMatching(/^Burn rate over 6h\s+[4-6](\.\d)?x \(page above 6x\)/),
      expect.stringMatching(/^Error budget left\s+4\d(\.\d)?%/),
    ]);
    await page.screenshot({ path: join(outDir, 'slo-charts.png'), fullPage: true });
    // the range lives in the URL, and a deep link draws the same week
    await page.locator('[data-panel="slo-history"]').getByRole('link', { name: 'last 7d' }).click();
    await page.waitForURL(/\?slo-range=7d$/);
    await slo.getByRole('img', { name: /last 7d$/ }).first().waitFor();
    await page.reload();
    await slo.getByRole('img', { name: 'Burn rate of checkout-api availability in production, last 7d' }).waitFor();
    await slo.locator('canvas').nth(1).waitFor();
    expect(errors).toEqual([]);
  });
});
