// The walking skeleton, end to end: a resident on an island files a PPID request with no signal,
// closes the browser, and the request reaches the provincial API exactly once when the signal
// returns; the province's answer comes back on the next sync.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { ppidPermohonanV1 } from '../../core/forms/catalog/ppid-permohonan.ts';
import { launchPhone } from '../support/chromium.ts';
import { fillForm, sampleAnswers } from '../support/form-filler.ts';
import { answerRequest, startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { countSubmissions } from '../support/server-db.ts';
import { startWeakLinkProxy, type WeakLinkProxy } from '../support/weak-link/proxy.ts';

describe.skipIf(!inject('chromium'))('resident files a request offline', () => {
  let server: ServerProcess;
  // The phone reaches the server through the weak-link proxy, so "no signal" cuts every path,
  // the service worker's included (Chromium may start the worker before Playwright's offline
  // emulation reaches it after a browser restart).
  let link: WeakLinkProxy;
  let profile: string;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    server = await startServerProcess({ port: 0 });
    link = await startWeakLinkProxy({ target: { host: '127.0.0.1', port: server.port } });
    profile = await mkdtemp(join(tmpdir(), 'jangkau-phone-'));
  });

  afterAll(async () => {
    await context?.close();
    await link?.close();
    await server?.stop();
    await rm(profile, { recursive: true, force: true });
  });

  async function setSignal(on: boolean): Promise<void> {
    link.setOnline(on);
    await context?.setOffline(!on);
  }

  async function openApp(page: Page, path = '/'): Promise<void> {
    await page.goto(link.url + path);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
  }

  it('queues offline, survives a browser restart, arrives once, and shows the answer', async () => {
    // First visit online: the worker installs and takes control.
    context = await launchPhone(profile);
    let page = context.pages()[0] ?? (await context.newPage());
    await openApp(page);
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 30_000 });

    // Offline, reload: the app and the form load from the cache.
    await setSignal(false);
    await page.reload();
    await page.getByRole('heading', { name: 'Pilih layanan' }).waitFor();
    await page.getByTestId('connection-state').getByText('Tanpa sinyal').waitFor();
    await page.getByRole('region', { name: ppidPermohonanV1.title.id }).getByRole('link', { name: 'Isi formulir' }).click();
    await page.getByRole('heading', { name: ppidPermohonanV1.title.id }).waitFor();

    // Fill and send: the request shows as queued, with its receipt number.
    await fillForm(page, ppidPermohonanV1, sampleAnswers(ppidPermohonanV1));
    await page.getByTestId('save-state').getByText('Draf tersimpan').waitFor();
    await page.getByRole('button', { name: 'Kirim permohonan' }).click();
    const detail = page.getByTestId('request-detail');
    await detail.waitFor();
    expect(await detail.getAttribute('data-state')).toBe('queued');
    const receiptText = (await page.getByTestId('receipt-number').textContent()) ?? '';
    const id = receiptText.replace(/-/g, '');
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(countSubmissions(server.dataDir)).toBe(0);

    // Close the browser and open it again, still offline: still queued.
    await context.close();
    context = await launchPhone(profile, { offline: true });
    page = context.pages()[0] ?? (await context.newPage());
    await openApp(page, '/#/permohonan');
    const item = page.locator(`[data-receipt="${id}"]`);
    await item.waitFor();
    expect(await item.getAttribute('data-state')).toBe('queued');
    await page.getByTestId('waiting-count').waitFor();
    expect(countSubmissions(server.dataDir)).toBe(0);

    // Online again: the `online` event drains the queue; exactly one copy on the server.
    await setSignal(true);
    await page.locator(`[data-receipt="${id}"][data-state="sent"]`).waitFor({ timeout: 30_000 });
    expect(countSubmissions(server.dataDir)).toBe(1);
    expect(countSubmissions(server.dataDir, id)).toBe(1);
    await page.locator(`[data-receipt="${id}"]`).getByText('Terkirim').waitFor();

    // The province answers; the device shows it after its next sync.
    const answer = 'Salinan DPT Desa Tanjung Labu dikirim ke email Anda.';
    await answerRequest(server.dataDir, id, 'selesai', answer);
    await page.locator(`[data-receipt="${id}"] a`).click();
    await page.getByRole('button', { name: 'Kirim sekarang' }).click();
    await page.getByTestId('answer').getByText(answer).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('request-state').textContent()).toBe('Selesai');
    expect(countSubmissions(server.dataDir)).toBe(1);
  });
});
