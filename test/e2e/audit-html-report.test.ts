import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../src/audit/reports/html-report.ts';
import { hostileAuditReport, hostileText } from '../../src/audit/reports/sample-report.ts';
import { chromiumAvailable, type HeadlessChromium, launchChromium } from '../support/chromium.ts';

const available = chromiumAvailable();

describe.skipIf(!available)('the HTML audit report in headless Chromium', () => {
  const report = hostileAuditReport();
  let dir = '';
  let url = '';
  let browser: HeadlessChromium;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'steadyops-html-report-'));
    const file = join(dir, 'audit.html');
    writeFileSync(file, renderHtmlReport(report));
    url = pathToFileURL(file).href;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Opens the report, recording every request and every console error (a CSP violation is one). */
  async function open(chromium = browser): Promise<{ page: Page; requests: string[]; errors: string[] }> {
    const page = await chromium.context.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(url, { waitUntil: 'load' });
    return { page, requests, errors };
  }

  it('shows the summary, the charts, the backlog, scorecards, the operating model and the findings', async () => {
    const { page } = await open();
    await expect(page.locator('h1').innerText()).resolves.toBe('Production audit');
    const headings = await page.locator('h2').allInnerTexts();
    expect(headings).toEqual([
      'Summary',
      'Open findings by severity and domain',
      'Reliability backlog (15)',
      'Scorecards',
      'Operating model',
      'Since the baseline of 2026-11-19T09:00:00.000Z',
      'Findings (15 open)',
      'Warnings (3)',
    ]);
    await expect(page.locator('[data-tile="Open findings"] .value').innerText()).resolves.toBe('15');
    await expect(page.locator('[data-tile="High"] .value').innerText()).resolves.toBe('8');
    await expect(page.locator('#chart-severity rect.bar').count()).resolves.toBe(4);
    await expect(page.locator('#chart-domain rect.bar').count()).resolves.toBe(10);
    const high = await page.locator('#chart-severity rect.sev-high').boundingBox();
    const medium = await page.locator('#chart-severity rect.sev-medium').boundingBox();
    expect(high?.width).toBeGreaterThan(medium?.width ?? Number.POSITIVE_INFINITY);
    await expect(page.locator('section[data-milestone] h3').allInnerTexts()).resolves.toEqual(['Stabilize (9)', 'Measure (3)', 'Document (3)']);
    await expect(page.locator('table.scorecards[data-kind=service] tr.scorecard').count()).resolves.toBe(4);
    await expect(page.locator('[data-recommended]').innerText()).resolves.toBe('Fractional SRE ownership');
    const row = page.locator('tr.finding', { hasText: 'RUN-011' });
    await expect(row.isVisible()).resolves.toBe(true);
    await expect(row.innerText()).resolves.toContain('k8s/payments-gateway.yaml:1');
    await expect(row.innerText()).resolves.toContain('payments-gateway is tier 1 and no PodDisruptionBudget selects its pods.');
    await page.close();
  });

  it('loads nothing but itself and runs none of the hostile evidence', async () => {
    const { page, requests, errors } = await open();
    expect(requests).toEqual([url]);
    expect(errors).toEqual([]);
    await expect(page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).resolves.toBeUndefined();
    const evidence = await page.locator('tr.finding', { hasText: 'ACC-001' }).locator('td.evidence').innerText();
    expect(evidence.replace(/\s+/g, ' ')).toContain(hostileText.replace(/\u001b/g, '\ufffd').replace(/\s+/g, ' '));
    await page.close();
  });

  it('filters findings by severity with its script', async () => {
    const { page } = await open();
    await expect(page.locator('#severity-filter').isVisible()).resolves.toBe(true);
    await page.getByLabel('High').uncheck();
    await expect(page.locator('tr.finding[data-severity=high]').first().isVisible()).resolves.toBe(false);
    await expect(page.locator('tr.finding[data-severity=critical]').isVisible()).resolves.toBe(true);
    await expect(page.locator('section.domain[data-domain=infrastructure]').isVisible()).resolves.toBe(false);
    await page.close();
  });

  it('reads fine without JavaScript: every finding shown, no filter', async () => {
    const noScript = await launchChromium({ javaScriptEnabled: false });
    try {
      const { page } = await open(noScript);
      await expect(page.locator('#severity-filter').isVisible()).resolves.toBe(false);
      const rows = page.locator('tr.finding');
      await expect(rows.count()).resolves.toBe(17);
      for (const visible of await Promise.all((await rows.all()).map((one) => one.isVisible()))) expect(visible).toBe(true);
    } finally {
      await noScript.close();
    }
  });

  it('takes a real screenshot', async () => {
    const { page } = await open();
    const path = join(dir, 'audit.png');
    await page.screenshot({ path, fullPage: true });
    const png = readFileSync(path);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.readUInt32BE(16)).toBe(1280);
    expect(png.readUInt32BE(20)).toBeGreaterThan(2_000);
    expect(png.length).toBeGreaterThan(50_000);
    await page.close();
  });

  it('prints: no filter, every finding even when filtered on screen, and a PDF', async () => {
    const { page } = await open();
    await page.getByLabel('Low').uncheck();
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('#severity-filter').isVisible()).resolves.toBe(false);
    await expect(page.locator('tr.finding[data-severity=low]').first().isVisible()).resolves.toBe(true);
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(20_000);
    await page.close();
  });
});
