// Gecko (Firefox) for the engine suite: Debian's Firefox ESR driven over WebDriver BiDi by
// puppeteer-core, which never downloads a browser; the one on the machine is named explicitly.
// A persistent profile directory, so closing and reopening the browser keeps IndexedDB and the
// service worker, as on a phone.
import { existsSync } from 'node:fs';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import type { EngineDriver } from './driver.ts';

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

export function firefoxAvailable(): boolean {
  return existsSync(FIREFOX_PATH);
}

const PREFS = {
  // Answer navigator.storage.persist() with "no", as a person dismissing Firefox's prompt would:
  // headless Firefox would leave the prompt open and the question unanswered for ever.
  'permissions.default.persistent-storage': 2,
  // No updates, studies or telemetry traffic during the test.
  'app.update.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.reportingpolicy.firstRun': false,
};

export async function launchGecko(profileDir: string): Promise<EngineDriver> {
  let browser: Browser;
  let page: Page;

  async function open(): Promise<void> {
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX_PATH,
      headless: true,
      userDataDir: profileDir,
      extraPrefsFirefox: PREFS,
      defaultViewport: { width: 412, height: 800 },
    });
    page = (await browser.pages())[0] ?? (await browser.newPage());
  }
  await open();

  const driver: EngineDriver = {
    engine: 'gecko',
    goto: async (url) => void (await page.goto(url)),
    reload: async () => void (await page.reload()),
    async run<T>(fn: string, ...args: unknown[]): Promise<T> {
      const value = await page.evaluate(`Promise.resolve((${fn})(...${JSON.stringify(args)})).then((v) => (v === undefined ? null : v))`);
      return value as T;
    },
    async click(css) {
      await page.click(css);
    },
    async type(css, text) {
      await page.type(css, text);
    },
    async restart() {
      await browser.close();
      await open();
    },
    close: async () => void (await browser?.close()),
  };
  return driver;
}
