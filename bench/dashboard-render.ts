import type { Page } from 'playwright-core';
import { chromiumAvailable, launchChromium } from '../test/support/chromium.ts';
import type { BenchContext } from './bench-context.ts';
import { dashboardServer } from './dashboard-load.ts';
import { latencyFigure, type Figure } from './figure.ts';
import { latencies, latencySummary } from './measure.ts';
import { progress } from './progress.ts';

/** Every panel of the Now page has its answer (or its plain "cannot answer"): nothing says "Loading" any more. */
async function renderNow(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/`);
  await page.waitForFunction(() => {
    const panels = document.querySelectorAll('[data-panel]');
    return panels.length >= 7 && !document.querySelector('main')?.textContent?.includes('Loading');
  });
}

/** The catalog lists every service, with its owner, last deploy and SLO state filled in. */
async function renderCatalog(page: Page, url: string, services: number): Promise<void> {
  await page.goto(`${url}/services`);
  await page.waitForFunction(
    (count) => document.querySelectorAll('table.catalog tbody tr').length === count && !document.querySelector('main')?.textContent?.includes('Loading'),
    services,
  );
}

/** The app's floor: its shell and a page that asks the API nothing but who is signed in. */
async function renderNotFound(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/no-such-page`);
  await page.waitForFunction(() => document.querySelector('main h1')?.textContent === 'Not found' && document.querySelector('[data-testid="whoami"] .role') !== null);
}

/**
 * The Now page and the Services catalog as headless Chromium renders them (scripts run, API answered, DOM
 * drawn) on the large ledger and 1,000 services, beside the app's own floor in the same browser and run:
 * its not-found page, which loads the same scripts and asks only /api/v1/whoami.
 */
export async function dashboardRender(ctx: BenchContext): Promise<Figure[]> {
  if (!chromiumAvailable()) throw new Error('Chromium is not installed (/usr/bin/chromium): apt-get install -y chromium');
  const server = await dashboardServer(ctx);
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    await page.goto(server.url);
    await page.evaluate((token) => sessionStorage.setItem('steadyops.token', token), server.token);
    const rounds = ctx.quick ? 3 : 10;
    progress(`dashboard render: ${rounds * 3} page renders in Chromium on ${server.million.size} events and ${server.services} services`);
    await renderNow(page, server.url);
    await renderCatalog(page, server.url, server.services);
    const now: number[] = [];
    const catalog: number[] = [];
    const floor: number[] = [];
    for (let round = 0; round < rounds; round += 1) {
      floor.push(...(await latencies(1, () => renderNotFound(page, server.url))));
      now.push(...(await latencies(1, () => renderNow(page, server.url))));
      catalog.push(...(await latencies(1, () => renderCatalog(page, server.url, server.services))));
    }
    const shell = latencySummary(floor);
    const details = (summary: ReturnType<typeof latencySummary>) => ({ events: server.million.size, services: server.services, rounds, page: summary, notFoundPage: shell });
    const nowSummary = latencySummary(now);
    const catalogSummary = latencySummary(catalog);
    return [
      latencyFigure(`dashboard Now page rendered in Chromium p50 (${server.million.size} events, ${server.services} services)`, nowSummary.p50, shell.p50, 1_000, details(nowSummary)),
      latencyFigure(`dashboard Services catalog rendered in Chromium p50 (${server.million.size} events, ${server.services} services)`, catalogSummary.p50, shell.p50, 1_000, details(catalogSummary)),
    ];
  } finally {
    await browser.close();
    await server.close();
  }
}
