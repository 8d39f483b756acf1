// A phone of the two-phone e2e tests: its own weak link to the server (so its signal can go
// without the other's) and its own Chromium profile.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { launchPhone, type PhoneOptions } from './chromium.ts';
import { startWeakLinkProxy, type WeakLinkProxy } from './weak-link/proxy.ts';

export interface LinkedPhone {
  link: WeakLinkProxy;
  profile: string;
  context: BrowserContext;
  page: Page;
}

/**
 * Opens a phone on `path` online, waits for `landmark` and for the worker to take control. The
 * phone is added to `opened` before the first visit, so closeLinkedPhones clears it even if the visit fails.
 */
export async function openLinkedPhone(
  serverPort: number,
  opened: LinkedPhone[],
  path: string,
  landmark: (page: Page) => Locator,
  options: PhoneOptions = {},
): Promise<LinkedPhone> {
  const link = await startWeakLinkProxy({ target: { host: '127.0.0.1', port: serverPort } });
  const profile = await mkdtemp(join(tmpdir(), 'jangkau-phone-'));
  const context = await launchPhone(profile, options);
  const page = context.pages()[0] ?? (await context.newPage());
  const phone = { link, profile, context, page };
  opened.push(phone);
  await page.goto(link.url + path);
  await landmark(page).waitFor();
  await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 30_000 });
  return phone;
}

/** Signal on or off for this phone only: its link, and the browser's own offline state. */
export async function setSignal(phone: LinkedPhone, on: boolean): Promise<void> {
  phone.link.setOnline(on);
  await phone.context.setOffline(!on);
}

export async function closeLinkedPhones(phones: readonly LinkedPhone[]): Promise<void> {
  for (const phone of phones) {
    await phone.context.close();
    await phone.link.close();
    await rm(phone.profile, { recursive: true, force: true });
  }
}
