import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWebBuild, repoRoot } from '../../scripts/ensure-web-build.ts';
import { chromiumAvailable, type HeadlessChromium, launchChromium } from '../support/chromium.ts';
import { type ServerProcess, startServer, waitForOutput } from '../support/cli.ts';

/** A loopback port nothing listens on (taken and released at once). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Screenshots land here (gitignored); UPDATE_SCREENSHOTS=1 also refreshes the README's docs/images/now.png. */
const outDir = join(repoRoot, 'test', 'e2e', '.out');
const firstPageJsBudget = 250 * 1024;
const webDir = join(repoRoot, 'dist', 'web');

beforeAll(() => {
  // a fresh clone has no build: vite takes a few seconds
  ensureWebBuild(() => {});
  mkdirSync(outDir, { recursive: true });
}, 120_000);

describe('the built dashboard', () => {
  it(`loads under ${firstPageJsBudget / 1024} KB of JavaScript (gzip) on its first page`, () => {
    const html = readFileSync(join(webDir, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((match) => match[1] as string);
    expect(scripts.length).toBeGreaterThan(0);
    const gzipped = scripts.reduce((sum, file) => sum + gzipSync(readFileSync(join(webDir, file))).length, 0);
    process.stdout.write(`first page JavaScript: ${(gzipped / 1024).toFixed(1)} KB gzip in ${scripts.length} file(s) (budget ${firstPageJsBudget / 1024} KB)\n`);
    expect(gzipped).toBeLessThan(firstPageJsBudget);
    // everything the first page needs is referenced from index.html: no lazy chunk is left out of the count
    expect(readdirSync(join(webDir, 'assets')).filter((file) => file.endsWith('.js')).length).toBe(scripts.length);
  });
});

describe.skipIf(!chromiumAvailable())('the dashboard in headless Chromium against steadyops serve --demo', () => {
  let dir = '';
  let server: ServerProcess;
  let token = '';
  let browser: HeadlessChromium;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'steadyops-dashboard-'));
    // an explicit --db: the demo still keeps its admin token under .steadyops/demo/, creating the folder
    // an unreachable Prometheus: the panels that need one must say so plainly
    const prometheus = `http://127.0.0.1:${await closedPort()}`;
    server = await startServer(['--demo', '--db', `sqlite:${join(dir, 'demo.db')}`, '--prometheus', prometheus, '--audit-schedule', 'off'], { cwd: dir, timeoutMs: 120_000 });
    token = (await waitForOutput(server, /Admin token: (so_\S+)/, 30_000))[1] as string;
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function screenshot(name: string): Promise<void> {
    await page.screenshot({ path: join(outDir, `${name}.png`), fullPage: true });
  }

  it('asks for a token, refuses a wrong one, and signs in with the admin token', async () => {
    await page.goto(server.url);
    await page.getByLabel('API token').fill('so_not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').innerText()).resolves.toContain('unknown, expired or revoked');
    await page.getByLabel('API token').fill(token);
    await page.keyboard.press('Enter');
    await page.getByTestId('whoami').getByText('demo-admin').waitFor();
    await expect(page.getByTestId('whoami').innerText()).resolves.toContain('admin');
  });

  it('answers the questions on Now from real data, and says what it cannot answer', async () => {
    await page.getByRole('heading', { name: 'Now', level: 1 }).waitFor();
    const panel = (name: string) => page.locator(`[data-panel="${name}"]`);
    await panel('changed').locator('.answer').waitFor();
    await expect(panel('changed').locator('.answer').innerText()).resolves.toMatch(/\d+\+? changes?|Nothing changed/);
    await expect(panel('rollback').innerText()).resolves.toContain('steadyops rollback check --service');
    await panel('saturation').getByText('Prometheus is unreachable').waitFor();
    await expect(panel('saturation').innerText()).resolves.toContain('ECONNREFUSED');
    await panel('slos').getByText('Prometheus is unreachable').waitFor();
    await panel('access').locator('tbody tr').first().waitFor();
    expect(await panel('access').locator('tbody tr').count()).toBeGreaterThan(0);
    // the demo's week holds approved grants, a break-glass and a grant nobody approved: each said as such
    await expect(panel('access').innerText()).resolves.toMatch(/prod-db-admin[\s\S]*break-glass, no approval[\s\S]*no approval recorded/);
    await panel('restore').locator('tbody tr').first().waitFor();
    await expect(panel('restore').locator('tbody tr td:first-child').allInnerTexts()).resolves.toEqual(['core-postgres', 'session-redis', 'events-kafka', 'search-elasticsearch']);
    // the demo's search index was last restored long before its 30-day interval: red
    await expect(panel('restore').locator('tr[data-restore="overdue"]').allInnerTexts()).resolves.toEqual([expect.stringContaining('search-elasticsearch')]);
    await expect(panel('restore').locator('tr.bad').count()).resolves.toBe(1);
    await panel('alerts').locator('.answer').waitFor();
    await screenshot('now');
    if (process.env.UPDATE_SCREENSHOTS === '1') await page.screenshot({ path: join(repoRoot, 'docs', 'images', 'now.png'), fullPage: true });
  });

  it('filters the Changes timeline by service, on the server, with the filter in the URL', async () => {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Changes' }).click();
    await page.getByRole('heading', { name: 'Changes', level: 1 }).waitFor();
    await page.locator('table.timeline tbody tr').first().waitFor();
    await page.getByLabel('Since').selectOption('7d');
    await page.waitForURL(/since=7d/);
    await page.getByLabel('Service').fill('checkout-api');
    await page.getByLabel('Service').press('Enter');
    await page.waitForURL(/service=checkout-api/);
    await page.locator('table.timeline tbody tr').first().waitFor();
    const subjects = await page.locator('table.timeline tbody td.subject').allInnerTexts();
    expect(subjects.length).toBeGreaterThan(0);
    expect(new Set(subjects)).toEqual(new Set(['checkout-api']));
    // a deep link reopens the same view
    await page.reload();
    await page.locator('table.timeline tbody tr').first().waitFor();
    await expect(page.getByLabel('Service').inputValue()).resolves.toBe('checkout-api');
    await expect(page.getByLabel('Since').inputValue()).resolves.toBe('7d');
    await screenshot('changes');
    // the next page comes from the server's cursor, older than the last row shown
    const lastSeq = Number(await page.locator('table.timeline tbody tr').last().getAttribute('data-seq'));
    await page.getByRole('button', { name: 'Older events' }).click();
    await page.waitForURL(new RegExp(`before=${lastSeq}`));
    await page.locator(`table.timeline tbody tr[data-seq="${lastSeq}"]`).waitFor({ state: 'detached' });
    expect(Number(await page.locator('table.timeline tbody tr').first().getAttribute('data-seq'))).toBeLessThan(lastSeq);
    await expect(page.locator('table.timeline tbody td.subject').allInnerTexts()).resolves.toSatisfy((all: string[]) => all.every((subject) => subject === 'checkout-api'));
    await page.goBack();
    await page.waitForURL((url) => !url.search.includes('before='));
    await page.locator('table.timeline tbody tr').first().waitFor();
  });

  it('opens an event and verifies its inclusion proof in the browser', async () => {
    const first = page.locator('table.timeline tbody tr').first();
    const seq = await first.getAttribute('data-seq');
    await first.locator('a').first().click();
    await page.waitForURL(/\/events\//);
    await page.getByRole('heading', { name: 'Inclusion proof' }).waitFor();
    await expect(page.locator('.facts').innerText()).resolves.toContain(`#${seq}`);
    await page.getByRole('button', { name: 'Verify' }).click();
    const verdict = page.locator('[data-verdict]');
    await verdict.waitFor();
    await expect(verdict.getAttribute('data-verdict')).resolves.toBe('verified');
    await expect(verdict.innerText()).resolves.toContain('Verified: this event is in the signed ledger.');
    await expect(verdict.locator('li.ok').count()).resolves.toBe(6);
    await screenshot('event');
  });

  it('works with the keyboard alone: skip link, then the page links in order', async () => {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Now', level: 1 }).waitFor();
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent)).resolves.toBe('Skip to content');
    const focused: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      await page.keyboard.press('Tab');
      focused.push((await page.evaluate(() => document.activeElement?.textContent)) ?? '');
    }
    expect(focused).toEqual(['steadyops', 'Now', 'Changes']);
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/changes$/);
    await page.getByRole('heading', { name: 'Changes', level: 1 }).waitFor();
  });

  it('goes back to the login form when the token stops working', async () => {
    await page.evaluate(() => sessionStorage.setItem('steadyops.token', 'so_revoked'));
    await page.goto(`${server.url}/changes?service=checkout-api`);
    await page.getByLabel('API token').waitFor();
    expect(errors).toEqual([]);
  });
});
