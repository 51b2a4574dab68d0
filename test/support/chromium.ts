import { existsSync } from 'node:fs';
import { type BrowserContext, type BrowserServer, chromium } from 'playwright-core';
import { reportMissingService } from './services.ts';

export const chromiumPath = '/usr/bin/chromium';
/** a graceful close that takes longer than this (a loaded CI machine, a wedged renderer) ends with SIGKILL */
const closeGraceMs = 10_000;

/** Debian's Chromium is what the browser tests drive (no browser download); missing, they skip or fail under CI. */
export function chromiumAvailable(): boolean {
  const available = existsSync(chromiumPath);
  if (!available) reportMissingService(`Chromium at ${chromiumPath}`, 'not installed; apt-get install -y chromium');
  return available;
}

export interface HeadlessChromium {
  readonly context: BrowserContext;
  /** closes the browser; never takes much longer than 10 s */
  close(): Promise<void>;
}

/** Headless Chromium with a fresh (temporary) profile, nothing in the background that could reach the network. */
export async function launchChromium(options: { readonly javaScriptEnabled?: boolean } = {}): Promise<HeadlessChromium> {
  // a browser server, so that a close that hangs can still kill the process
  const server = await chromium.launchServer({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const browser = await chromium.connect(server.wsEndpoint());
  const context = await browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true, viewport: { width: 1280, height: 900 } });
  return { context, close: () => closeBrowser(server) };
}

async function closeBrowser(server: BrowserServer): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const closed = server.close().then(() => true);
  const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), closeGraceMs)));
  const graceful = await Promise.race([closed, timedOut]);
  clearTimeout(timer);
  if (graceful) return;
  process.stderr.write(`Chromium did not close within ${closeGraceMs / 1000} s: killing it\n`);
  await server.kill();
}
