// Launches the Debian Chromium that CI installs; no test tool may download a browser of its own.
import { existsSync } from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

export interface PhoneOptions {
  offline?: boolean;
  /** More Chromium switches, e.g. a fake camera for the screenshot script. */
  args?: readonly string[];
}

/** A phone: a persistent profile, so closing and reopening keeps IndexedDB and the worker. */
export async function launchPhone(userDataDir: string, options: PhoneOptions = {}): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
    viewport: { width: 360, height: 640 },
    locale: 'id-ID',
    timezoneId: 'Asia/Jakarta',
    serviceWorkers: 'allow',
    offline: options.offline ?? false,
  });
  return context;
}
