import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { reportMissingService } from './services.ts';

export const chromiumPath = '/usr/bin/chromium';

/** Debian's Chromium is what the browser tests drive (no browser download); missing, they skip or fail under CI. */
export function chromiumAvailable(): boolean {
  const available = existsSync(chromiumPath);
  if (!available) reportMissingService(`Chromium at ${chromiumPath}`, 'not installed; apt-get install -y chromium');
  return available;
}

export interface HeadlessChromium {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Headless Chromium with a fresh profile, nothing in the background that could reach the network. */
export async function launchChromium(options: { readonly javaScriptEnabled?: boolean } = {}): Promise<HeadlessChromium> {
  const profile = mkdtempSync(join(tmpdir(), 'steadyops-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
