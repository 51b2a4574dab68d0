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
    // everything the first page needs is referenced from index.html; any other chunk is a lazy one, fetched on demand
    // by a dynamic import() of the first page's code (or of another lazy chunk), never by index.html
    const lazyChunks = readdirSync(join(webDir, 'assets')).filter((file) => file.endsWith('.js') && !scripts.includes(`assets/${file}`));
    const lazyText = lazyChunks.map((file) => readFileSync(join(webDir, 'assets', file), 'utf8')).join('\n');
    const entryText = scripts.map((file) => readFileSync(join(webDir, file), 'utf8')).join('\n');
    for (const chunk of lazyChunks) expect(`${entryText}\n${lazyText.replaceAll(chunk, '')}`, `${chunk} is loaded on demand`).toContain(`./${chunk}`);
    expect(html).not.toMatch(new RegExp(lazyChunks.map((chunk) => chunk.replaceAll('.', '\\.')).join('|') || '^$'));
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
    // rollback safety per release of the last 24 hours: the demo's repository has no release tags, and most services declare no
    // migrations, so each verdict is "unknown" with its reason, and the release links to its deploy event
    const checkout = panel('rollback').locator('tr[data-rollback="checkout-api"]');
    await checkout.waitFor();
    await page.waitForFunction(() => document.querySelector('tr[data-rollback="checkout-api"]')?.getAttribute('data-verdict') !== null);
    await expect(checkout.getAttribute('data-verdict')).resolves.toBe('unknown');
    await expect(checkout.innerText()).resolves.toMatch(/unknown git revision "v\d+\.\d+\.\d+" in the model's folder/);
    await expect(checkout.locator('a').getAttribute('href')).resolves.toMatch(/^\/events\/deploy-finished-/);
    await expect(panel('rollback').locator('tr[data-rollback]').count()).resolves.toBeGreaterThan(1);
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

  it('lists the Services catalog with search and team filter in the URL, and draws the ownership map', async () => {
    await page.goto(server.url);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Services' }).click();
    await page.waitForURL(/\/services$/);
    await page.getByRole('heading', { name: 'Services', level: 1 }).waitFor();
    const rows = page.locator('table.catalog tbody tr');
    await rows.first().waitFor();
    const services = await page.locator('table.catalog tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-service') ?? ''));
    expect(services.length).toBe(10);
    expect(services).toContain('checkout-api');
    // Prometheus is down: said once above the table, not in every row
    await page.getByTestId('catalog-notes').getByText('Prometheus is unreachable').waitFor();
    await expect(page.getByText('Prometheus is unreachable').count()).resolves.toBe(1);
    // last deploys (server-filtered deploy.finished events) and the audit's maturity levels fill in
    await page.locator('tr[data-service="checkout-api"] td a[href^="/events/"]').waitFor();
    await page.locator('tr[data-service="ledger-service"] .level-gold').waitFor();
    await screenshot('services');

    await page.getByLabel('Search').fill('checkout');
    await page.getByLabel('Search').press('Enter');
    await page.waitForURL(/[?&]q=checkout/);
    await expect(rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-service')))).resolves.toEqual(['checkout-api']);
    await page.getByRole('button', { name: 'Reset' }).click();
    await page.waitForURL(/\/services$/);
    await page.getByLabel('Team').selectOption('payments');
    await page.waitForURL(/[?&]team=payments/);
    await page.locator('tr[data-service="checkout-api"]').waitFor();
    const owners = await page.locator('table.catalog tbody tr td:nth-child(2)').allInnerTexts();
    expect(owners.length).toBeGreaterThan(0);
    expect(owners.length).toBeLessThan(services.length);
    expect(new Set(owners)).toEqual(new Set(['Payments']));
    // a deep link reopens the same view
    await page.reload();
    await page.locator('tr[data-service="checkout-api"]').waitFor();
    await expect(page.getByLabel('Team').inputValue()).resolves.toBe('payments');

    // the whole map: every team and every service is a node
    await page.goto(`${server.url}/services?view=map`);
    await page.getByTestId('ownership-map').waitFor({ timeout: 30_000 });
    await page.locator('[data-map-node="service:checkout-api"]').waitFor();
    for (const team of ['payments', 'identity', 'platform', 'growth']) await page.locator(`[data-map-node="team:${team}"]`).waitFor();
    const serviceNodes = await page.locator('[data-map-node^="service:"]').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-map-node')));
    expect(new Set(serviceNodes)).toEqual(new Set(services.map((name) => `service:${name}`)));
    expect(await page.locator('.map-edge').count()).toBeGreaterThan(0);
    await screenshot('services-map');
    // a team node filters the catalog
    await page.getByRole('button', { name: 'team identity' }).click();
    await page.waitForURL(/\/services\?team=identity$/);
    await page.locator('table.catalog tbody tr').first().waitFor();
    await expect(page.locator('table.catalog tbody tr td:nth-child(2)').allInnerTexts()).resolves.toSatisfy((all: string[]) => all.length > 0 && all.every((owner) => owner === 'Identity'));
    // a service node opens the service's page, by keyboard too
    await page.goto(`${server.url}/services?view=map`);
    const checkout = page.locator('[data-map-node="service:checkout-api"] a');
    await checkout.waitFor();
    await checkout.focus();
    await expect(page.evaluate(() => document.activeElement?.getAttribute('href'))).resolves.toBe('/services/checkout-api');
    await checkout.click();
    await page.waitForURL(/\/services\/checkout-api$/);
    expect(errors).toEqual([]);
  });

  it('goes back to the login form when the token stops working', async () => {
    await page.evaluate(() => sessionStorage.setItem('steadyops.token', 'so_revoked'));
    await page.goto(`${server.url}/changes?service=checkout-api`);
    await page.getByLabel('API token').waitFor();
    expect(errors).toEqual([]);
  });

  // Audit and Settings: extra tokens for the other roles, made by the demo's admin through the API
  const roleTokens: Partial<Record<'viewer' | 'operator' | 'approver', string>> = {};

  async function api(path: string, bearer: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
    return fetch(`${server.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${bearer}`, accept: 'application/json', ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  }

  /** Appends a config change of checkout-api to the ledger through the HTTP API, as the admin: a new event for the live stream. */
  async function postCheckoutConfigChange(id: string, key: string): Promise<Response> {
    return api('/api/v1/events', token, {
      method: 'POST',
      body: {
        specversion: '1.0',
        id,
        source: '/e2e/live',
        type: 'dev.steadyops.config.changed',
        subject: 'checkout-api',
        time: new Date().toISOString(),
        data: { service: 'checkout-api', environment: 'production', resource: 'ConfigMap payments/checkout-api', keys: [key] },
      },
    });
  }

  /** Signs in through the login form with this token (clearing the tab's session first). */
  async function signInAs(bearer: string, name: string): Promise<void> {
    await page.goto(server.url);
    await page.evaluate(() => sessionStorage.removeItem('steadyops.token'));
    await page.goto(server.url);
    await page.getByLabel('API token').fill(bearer);
    await page.keyboard.press('Enter');
    await page.getByTestId('whoami').getByText(name).waitFor();
  }

  it('shows the latest audit: counts, findings by domain and severity, the backlog with its reasons, scorecards, operating model', async () => {
    for (const role of ['viewer', 'operator', 'approver'] as const) {
      const created = await api('/api/v1/tokens', token, { method: 'POST', body: { name: `e2e-${role}`, role } });
      expect(created.status).toBe(201);
      roleTokens[role] = ((await created.json()) as { token: string }).token;
    }
    // acceptances need a recorded run of the demo's repository (the schedule is off here)
    expect((await api('/api/v1/audit/runs', token, { method: 'POST' })).status).toBe(201);
    await signInAs(token, 'demo-admin');
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Audit' }).click();
    await page.waitForURL(/\/audit$/);
    await page.getByRole('heading', { name: 'Audit', level: 1 }).waitFor();
    const summary = page.getByTestId('audit-summary');
    await summary.waitFor();
    await expect(summary.innerText()).resolves.toMatch(/Open findings\s*\d+/);
    await expect(page.getByTestId('severity-bars').locator('li').allInnerTexts()).resolves.toEqual([
      expect.stringMatching(/^critical\s+\d+$/),
      expect.stringMatching(/^high\s+\d+$/),
      expect.stringMatching(/^medium\s+\d+$/),
      expect.stringMatching(/^low\s+\d+$/),
    ]);
    expect(await page.getByTestId('domain-bars').locator('li').count()).toBeGreaterThan(1);
    // the backlog, grouped by milestone, each item with the reason for its position
    const stabilize = page.locator('[data-milestone="stabilize"]');
    await stabilize.waitFor();
    const first = stabilize.locator('li.finding').first();
    await expect(first.innerText()).resolves.toContain('#1');
    await expect(first.locator('.why').innerText()).resolves.toMatch(/Why here: .*priority [\d.]+/);
    expect(await page.locator('li.finding').count()).toBeGreaterThan(5);
    await expect(page.getByTestId('scorecards').locator('tbody tr').count()).resolves.toBeGreaterThan(5);
    await expect(page.getByTestId('scorecards').innerText()).resolves.toMatch(/team\s+payments/);
    await expect(page.getByTestId('operating-model').innerText()).resolves.toMatch(/Recommended: \S+/);
    // an admin may run the audit and accept risks
    await page.getByRole('button', { name: 'Run audit now' }).waitFor();
    expect(await page.getByRole('button', { name: /^Accept risk/ }).count()).toBeGreaterThan(0);
    await screenshot('audit');
  });

  it('accepts a risk as an approver, checked in the browser first, and shows it accepted', async () => {
    await signInAs(roleTokens.approver as string, 'e2e-approver');
    await page.goto(`${server.url}/audit`);
    const item = page.locator('[data-milestone="stabilize"] li.finding').first();
    await item.waitFor();
    const fingerprint = (await item.getAttribute('data-fingerprint')) as string;
    await item.getByRole('button', { name: /^Accept risk/ }).click();
    // the form checks what the server would refuse, before sending anything
    await item.getByLabel('Why is this risk acceptable for now?').fill('too short');
    await item.getByLabel('Expires in').fill('181d');
    await item.getByRole('button', { name: 'Record acceptance' }).click();
    await item.getByText('Say why in at least 10 characters').waitFor();
    await item.getByText('At most 180d').waitFor();
    await item.getByLabel('Why is this risk acceptable for now?').fill('the replica fix ships with the Q1 migration');
    await item.getByLabel('Expires in').fill('30d');
    await item.getByRole('button', { name: 'Record acceptance' }).click();
    const result = item.locator(`[data-accepted="${fingerprint}"]`);
    await result.waitFor();
    await expect(result.innerText()).resolves.toMatch(/Risk accepted by token:e2e-approver until \d{4}-\d\d-\d\d .*ledger event #\d+/);
    // the next run reports it as risk-accepted (an approver may run the audit)
    await page.getByRole('button', { name: 'Run audit now' }).click();
    await page.getByTestId('accepted-findings').locator(`tr[data-fingerprint="${fingerprint}"]`).waitFor();
    await expect(page.getByTestId('accepted-findings').innerText()).resolves.toContain('the replica fix ships with the Q1 migration');
    await expect(page.locator(`li.finding[data-fingerprint="${fingerprint}"]`).count()).resolves.toBe(0);
    const report = (await (await api('/api/v1/audit', token)).json()) as { run: { findings: Array<{ fingerprint: string; status: string; acceptance?: { acceptedBy: string } }> } };
    expect(report.run.findings.find((finding) => finding.fingerprint === fingerprint)).toMatchObject({ status: 'risk-accepted', acceptance: { acceptedBy: 'token:e2e-approver' } });
  });

  it('shows viewers and operators no accept button, and the server refuses them too', async () => {
    const report = (await (await api('/api/v1/audit', token)).json()) as { backlog: Array<{ fingerprint: string }> };
    const open = report.backlog[0]?.fingerprint as string;
    for (const role of ['viewer', 'operator'] as const) {
      await signInAs(roleTokens[role] as string, `e2e-${role}`);
      await page.goto(`${server.url}/audit`);
      await page.locator('li.finding').first().waitFor();
      await page.getByText(`Accepting a risk needs the approver role; you are signed in as ${role}.`).waitFor();
      await expect(page.getByRole('button', { name: /^Accept risk/ }).count()).resolves.toBe(0);
      await expect(page.getByRole('button', { name: 'Run audit now' }).count()).resolves.toBe(role === 'operator' ? 1 : 0);
      const refused = await api('/api/v1/audit/acceptances', roleTokens[role] as string, { method: 'POST', body: { fingerprint: open, reason: 'the UI hides it, but the server must refuse', expires: '30d' } });
      expect(refused.status).toBe(403);
      await expect(refused.json()).resolves.toMatchObject({ code: 'SO_E_FORBIDDEN' });
    }
    // a viewer may not run the audit either
    expect((await api('/api/v1/audit/runs', roleTokens.viewer as string, { method: 'POST' })).status).toBe(403);
  });

  it('shows the ledger head, verifier key and connectors in Settings, and tokens to admins only', async () => {
    // still signed in as the operator: everything but the tokens
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Settings' }).click();
    await page.waitForURL(/\/settings$/);
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await page.getByTestId('ledger-size').waitFor();
    await expect(page.getByTestId('ledger-size').innerText()).resolves.toMatch(/^[\d,]+ events$/);
    const key = ((await (await api('/api/v1/ledger/key', token)).json()) as { verifierKey: string }).verifierKey;
    await expect(page.getByTestId('copy-verifier-key').innerText()).resolves.toBe(key);
    await page.getByRole('button', { name: 'Copy the verifier key' }).click();
    await page.getByText(/Copied\.|the text is selected/).waitFor();
    const github = page.locator('[data-connector="github"]');
    await github.waitFor();
    await expect(github.innerText()).resolves.toContain(`${server.url}/hooks/github`);
    await expect(github.innerText()).resolves.toContain('webhook secret: no');
    await expect(page.locator('[data-connector="pagerduty"]').innerText()).resolves.toContain('nothing received');
    await page.getByTestId('tokens-note').getByText('Tokens are managed by admins').waitFor();
    await expect(page.getByTestId('token-list').count()).resolves.toBe(0);

    // the admin lists, creates and revokes tokens
    await signInAs(token, 'demo-admin');
    await page.goto(`${server.url}/settings`);
    const tokens = page.getByTestId('token-list');
    await tokens.locator('tr[data-token="e2e-approver"]').waitFor();
    await expect(tokens.locator('tr[data-token="demo-admin"]').innerText()).resolves.toContain('this session');
    await page.getByLabel('Name').fill('e2e-temporary');
    await page.getByLabel('Role').selectOption('operator');
    await page.getByRole('button', { name: 'Create token' }).click();
    await page.getByTestId('new-token').getByText('shown only once').waitFor();
    const secret = await page.getByTestId('copy-new-token').innerText();
    expect(secret).toMatch(/^so_/);
    expect((await api('/api/v1/whoami', secret)).status).toBe(200);
    await tokens.locator('tr[data-token="e2e-temporary"][data-state="active"]').waitFor();
    await page.getByRole('button', { name: 'Revoke e2e-temporary' }).click();
    await page.getByRole('button', { name: 'Yes, revoke e2e-temporary' }).click();
    await tokens.locator('tr[data-token="e2e-temporary"][data-state="revoked"]').waitFor();
    expect((await api('/api/v1/whoami', secret)).status).toBe(401);
    await screenshot('settings');
    expect(errors).toEqual([]);
  });

  /** Opens a path of the dashboard signed in with this token (the tab's session storage holds it). */
  async function openSignedIn(path: string, bearer: string): Promise<void> {
    await page.goto(server.url);
    await page.evaluate((value) => sessionStorage.setItem('steadyops.token', value), bearer);
    await page.goto(`${server.url}${path}`);
  }

  it('opens a service by deep link: owner, on-call, dependencies, deploy history, and what it cannot answer', async () => {
    await openSignedIn('/services/checkout-api', token);
    await page.getByRole('heading', { name: /Checkout API/, level: 1 }).waitFor();
    const panel = (name: string) => page.locator(`[data-panel="${name}"]`);
    await expect(page.getByTestId('owner').innerText()).resolves.toContain('Payments');
    await expect(page.getByTestId('oncall').innerText()).resolves.toMatch(/On call now: \S/);
    // dependencies on other services link to their own detail pages
    await expect(panel('dependencies').getByRole('link', { name: 'payments-gateway' }).getAttribute('href')).resolves.toBe('/services/payments-gateway');
    await expect(panel('dependencies').innerText()).resolves.toContain('core-postgres datastore, critical');
    await expect(panel('dependencies').innerText()).resolves.toMatch(/Used by:\s*web-frontend/);
    // deploy history from the server, filtered by service and type: deploys, gate decisions and the demo's rollbacks
    const history = panel('deploys').locator('tbody tr');
    await history.first().waitFor();
    await expect(panel('deploys').locator('tr[data-kind="deploy"]').count()).resolves.toBeGreaterThan(0);
    await expect(panel('deploys').locator('tr[data-kind="gate"]').count()).resolves.toBeGreaterThan(0);
    await expect(panel('deploys').locator('tr[data-kind="rollback"]').count()).resolves.toBeGreaterThan(0);
    await expect(panel('deploys').innerText()).resolves.toMatch(/gate allow/);
    // the SLO panel says plainly that Prometheus is down, and still lists what the model defines
    await panel('slos').getByText('Prometheus is unreachable').waitFor();
    await expect(panel('slos').innerText()).resolves.toContain('availability');
    await expect(panel('runbooks').innerText()).resolves.toContain('runbooks/checkout-api.md');
    // the runbook's Markdown, rendered (no raw HTML, no front matter as text), with its lint problems or "lint clean"
    const runbook = panel('runbooks').locator('details.runbook[data-runbook]').first();
    await runbook.waitFor();
    if ((await runbook.getAttribute('open')) === null) await runbook.locator('summary').click();
    await runbook.getByRole('heading', { name: 'Checkout API runbook' }).waitFor();
    await expect(runbook.locator('summary').innerText()).resolves.toMatch(/runbooks\/checkout-api\.md (lint clean|\d+ lint problems?)/);
    await expect(runbook.locator('.markdown').innerText()).resolves.not.toMatch(/^---/);
    // burn-rate and budget charts per SLO: Prometheus is down here, so each says so; the range lives in the URL
    const sloHistory = panel('slo-history');
    await sloHistory.locator('[data-slo="availability"]').getByText('Prometheus is unreachable').waitFor();
    await sloHistory.getByRole('link', { name: 'last 7d' }).click();
    await page.waitForURL(/\/services\/checkout-api\?slo-range=7d$/);
    await sloHistory.getByText('last 7d').waitFor();
    await sloHistory.locator('[data-slo="availability"]').getByText('Prometheus is unreachable').waitFor();
    await panel('restore').locator('tbody tr').first().waitFor();
    await expect(panel('restore').locator('tbody tr td:first-child').allInnerTexts()).resolves.toEqual(['core-postgres', 'session-redis']);
    await panel('findings').locator('.answer').waitFor();
    await expect(panel('findings').innerText()).resolves.toMatch(/DB-001|None open|No audit run/);
    await expect(panel('changes').getByRole('link', { name: /All changes of checkout-api/ }).getAttribute('href')).resolves.toBe('/changes?since=7d&service=checkout-api');
    await screenshot('service-detail');
    await panel('dependencies').getByRole('link', { name: 'payments-gateway' }).click();
    await page.waitForURL(/\/services\/payments-gateway$/);
    await page.getByRole('heading', { name: /payments-gateway|Payments gateway/i, level: 1 }).waitFor();
    await openSignedIn('/services/no-such-service', token);
    await page.getByText('The ownership model has no service named').waitFor();
    expect(errors).toEqual([]);
  });

  it('shows a new ledger event on the Changes timeline without reload (server-sent events)', async () => {
    await openSignedIn('/changes', token);
    await page.locator('table.timeline tbody tr').first().waitFor();
    await page.locator('[data-testid="live"][data-status="live"]').waitFor();
    await page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    const id = `e2e-live-${Date.now()}`;
    const answer = (await (await postCheckoutConfigChange(id, 'TIMEOUT_MS')).json()) as { events: Array<{ seq: number }> };
    const seq = answer.events[0]?.seq;
    expect(seq).toBeGreaterThan(0);
    const row = page.locator(`table.timeline tbody tr[data-seq="${seq}"]`);
    await row.waitFor({ timeout: 10_000 });
    await expect(row.innerText()).resolves.toContain('config.changed');
    await expect(page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).resolves.toBe(true);
    await expect(page.getByTestId('live').getAttribute('title')).resolves.toBe(`Newest live event #${seq}`);
    // the Now page's "what changed" panel too, reached in the app without a reload
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Now' }).click();
    await page.locator('[data-panel="changed"] .answer').waitFor();
    const secondId = `${id}-now`;
    await postCheckoutConfigChange(secondId, 'RETRIES');
    await page.locator(`[data-panel="changed"] a[href^="/events/${secondId}?"]`).waitFor({ timeout: 10_000 });
    await expect(page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).resolves.toBe(true);
    expect(errors).toEqual([]);
  });

  it('shows DORA metrics and MTTA/MTTR with trends, each figure linking to the events it was computed from', async () => {
    const answer = await api('/api/v1/metrics?period=30d&env=production', token);
    await openSignedIn('/delivery', token);
    await page.getByRole('heading', { name: 'Metrics', level: 1 }).waitFor();
    expect(answer.status).toBe(200);
    const report = (await answer.json()) as { metrics: Array<{ key: string; value: number | null; evidence: number[] }>; deploys: { count: number } };
    expect(report.deploys.count).toBeGreaterThan(0);
    for (const metric of report.metrics) {
      const card = page.locator(`[data-metric="${metric.key}"]`);
      await card.waitFor();
      if (metric.value === null) await expect(card.locator('.answer').innerText()).resolves.toContain('not measured');
      else await expect(card.locator('.answer a').getAttribute('href')).resolves.toMatch(/^\/changes\?since=\d{4}-.*&type=dev\.steadyops\./);
      await expect(card.locator('details summary').innerText()).resolves.toBe(`From ${metric.evidence.length} ledger event${metric.evidence.length === 1 ? '' : 's'}`);
    }
    const frequency = page.locator('[data-metric="deploymentFrequency"]');
    await expect(frequency.locator('.answer').innerText()).resolves.toMatch(/\d[\d.]*\/day/);
    await expect(frequency.innerText()).resolves.toMatch(/from .*\/day|no data for the previous period|unchanged/);
    await page.getByTestId('metrics-scope').waitFor();
    await screenshot('metrics');
    // the scope lives in the URL
    await page.getByLabel('Period').selectOption('90d');
    await page.waitForURL(/\/delivery\?period=90d$/);
    await page.getByLabel('Team').selectOption('payments');
    await page.waitForURL(/team=payments/);
    await page.reload();
    await expect(page.getByLabel('Period').inputValue()).resolves.toBe('90d');
    await page.getByTestId('metrics-scope').waitFor();
    // a figure opens the Changes page over the same period and scope, with the events behind it
    await frequency.locator('.answer a').click();
    await page.waitForURL(/\/changes\?.*team=payments.*type=dev\.steadyops\.deploy/);
    await page.locator('table.timeline tbody tr').first().waitFor();
    // each evidence sequence number opens that event's own page, fetched as seq:N
    await page.goBack();
    await frequency.locator('details summary').click();
    const evidence = frequency.locator('.evidence a').first();
    const seq = (await evidence.innerText()).replace('#', '');
    await expect(evidence.getAttribute('href')).resolves.toBe(`/events/seq%3A${seq}`);
    await evidence.click();
    await page.waitForURL(new RegExp(`/events/seq%3A${seq}$`));
    await page.getByRole('heading', { name: 'Inclusion proof' }).waitFor();
    await expect(page.locator('.facts').innerText()).resolves.toContain(`#${seq}, ingested`);
    expect(errors).toEqual([]);
  });

  it('lists incidents with filters in the URL and opens one: timeline with the likely trigger, roles, follow-ups; writes for operators only', async () => {
    const answer = await api('/api/v1/incidents?state=resolved', token);
    await openSignedIn('/incidents', token);
    await page.getByRole('heading', { name: 'Incidents', level: 1 }).waitFor();
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { items: Array<{ id: string }> }).items.map((incident) => incident.id)).toEqual(expect.arrayContaining(['INC-2041', 'INC-2047']));
    // open incidents by default: the demo's are all resolved
    await page.getByTestId('no-incidents').getByText('No open incident.').waitFor();
    await page.getByLabel('State').selectOption('all');
    await page.waitForURL(/\/incidents\?state=all$/);
    const row = page.locator('tr[data-incident="INC-2047"]');
    await row.waitFor();
    await expect(row.innerText()).resolves.toContain('sev1');
    await page.getByLabel('Severity').selectOption('sev2');
    await page.waitForURL(/state=all&severity=sev2/);
    await page.locator('tr[data-incident="INC-2041"]').waitFor();
    await expect(page.locator('tr[data-incident]').evaluateAll((rows) => rows.map((tr) => tr.getAttribute('data-incident')))).resolves.not.toContain('INC-2047');
    await screenshot('incidents');
    await page.goto(`${server.url}/incidents/INC-2047`);
    await page.getByRole('heading', { name: /INC-2047/, level: 1 }).waitFor();
    await expect(page.getByTestId('incident-status').innerText()).resolves.toMatch(/sev1 · resolved/);
    await expect(page.locator('[data-role="commander"]').innerText()).resolves.toMatch(/commander: \S/);
    const timeline = page.locator('[data-panel="timeline"]');
    await timeline.locator('tr[data-trigger="true"]').first().waitFor();
    await expect(timeline.locator('tr[data-trigger="true"]').count()).resolves.toBe(1);
    // declared from its page: the deploy three minutes before it is the trigger, never an alert that came and went earlier
    await expect(timeline.locator('tr[data-trigger="true"]').innerText()).resolves.toContain('deploy finished');
    await expect(page.getByTestId('likely-trigger').innerText()).resolves.toMatch(/^Likely trigger: /);
    await page.locator('[data-panel="followups"] .rows li, [data-panel="followups"] p').first().waitFor();
    await screenshot('incident');
    // resolved: no write buttons even for the admin; a viewer never sees them
    await expect(page.getByRole('button', { name: 'Post update' }).count()).resolves.toBe(0);
    await signInAs(roleTokens.viewer as string, 'e2e-viewer');
    await page.goto(`${server.url}/incidents/INC-2047`);
    await page.getByRole('heading', { name: /INC-2047/, level: 1 }).waitFor();
    await expect(page.getByRole('button', { name: 'Post update' }).count()).resolves.toBe(0);
    expect(errors).toEqual([]);
  });

  it('lets an operator declare and run an incident from the UI, live; a viewer sees no write button and the server refuses one', async () => {
    await signInAs(roleTokens.operator as string, 'e2e-operator');
    await page.goto(`${server.url}/incidents`);
    await page.getByRole('button', { name: 'Declare an incident' }).click();
    const declare = page.getByRole('form', { name: 'Declare an incident' });
    // checked in the browser before anything is sent
    await declare.getByRole('button', { name: 'Declare', exact: true }).click();
    await declare.getByRole('alert').getByText('Give the incident a title').waitFor();
    await declare.getByLabel('Title').fill('e2e: checkout latency');
    await declare.getByLabel('Severity').selectOption('sev2');
    await declare.getByLabel('Affected services').fill('checkout-api');
    await declare.getByLabel('Commander').fill('e2e-operator');
    await declare.getByRole('button', { name: 'Declare', exact: true }).click();
    await page.waitForURL(/\/incidents\/INC-\d+$/);
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() as string);
    await page.getByRole('heading', { name: `${id} e2e: checkout latency`, level: 1 }).waitFor();
    await expect(page.getByTestId('incident-status').innerText()).resolves.toMatch(/^sev2 · declared/);
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await page.getByTestId('incident-status').getByText('acknowledged').waitFor();
    await page.getByLabel('Update', { exact: true }).fill('Rolled the config back; latency recovering');
    await page.getByLabel('Status', { exact: true }).selectOption('identified');
    await page.getByRole('button', { name: 'Post update' }).click();
    await page.locator('[data-panel="updates"] li[data-update="updated"]').getByText('Rolled the config back; latency recovering').waitFor();
    await page.getByTestId('incident-status').getByText('identified').waitFor();
    // a change on the affected service appears on the timeline without a reload (the live stream)
    const timeline = page.locator('[data-panel="timeline"] tbody tr');
    await timeline.first().waitFor();
    const before = await timeline.count();
    await page.evaluate(() => {
      (window as unknown as { notReloaded: boolean }).notReloaded = true;
    });
    const posted = await postCheckoutConfigChange(`e2e-incident-live-${Date.now()}`, 'POOL_SIZE');
    expect(posted.status).toBe(200);
    await page.waitForFunction((count) => document.querySelectorAll('[data-panel="timeline"] tbody tr').length > count, before, { timeout: 10_000 });
    await expect(page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).resolves.toBe(true);
    await screenshot('incident-live');

    // a viewer sees the open incident but no write button, and the server refuses the write
    await signInAs(roleTokens.viewer as string, 'e2e-viewer');
    await page.goto(`${server.url}/incidents`);
    await page.locator(`tr[data-incident="${id}"]`).waitFor();
    await expect(page.getByRole('button', { name: 'Declare an incident' }).count()).resolves.toBe(0);
    await page.goto(`${server.url}/incidents/${id}`);
    await page.locator('[data-panel="timeline"] tbody tr').first().waitFor();
    await expect(page.getByRole('button').filter({ hasText: /Post update|Acknowledge|Resolve|Mitigated/ }).count()).resolves.toBe(0);
    const refused = await api(`/api/v1/incidents/${id}/resolve`, roleTokens.viewer as string, { method: 'POST', body: {} });
    expect(refused.status).toBe(403);

    // the operator resolves it; then it leaves the open list
    await signInAs(roleTokens.operator as string, 'e2e-operator');
    await page.goto(`${server.url}/incidents/${id}`);
    await page.getByRole('button', { name: 'Resolve' }).click();
    await page.getByTestId('incident-status').getByText('resolved').waitFor();
    await expect(page.getByRole('button', { name: 'Post update' }).count()).resolves.toBe(0);
    await page.goto(`${server.url}/incidents`);
    await page.getByTestId('no-incidents').waitFor();
    expect(errors).toEqual([]);
  });
});
