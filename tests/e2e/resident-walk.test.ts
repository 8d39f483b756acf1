// A resident's walk on a 360 px phone, checking what a person checks (issue #17): a tap on
// "Kirim permohonan" with a field still wrong is not lost, a draft is found again instead of a
// second blank one, and the small things a resident notices on the way.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { ppidPermohonanV1 } from '../../core/forms/catalog/ppid-permohonan.ts';
import { launchPhone } from '../support/chromium.ts';
import { fillForm, sampleAnswers } from '../support/form-filler.ts';
import { filePpidRequest } from '../support/ppid-request.ts';
import { answerRequest, startServerProcess, type ServerProcess } from '../support/server-process.ts';

const PPID = ppidPermohonanV1.title.id;

describe.skipIf(!inject('chromium'))('a resident on a 360 px phone', () => {
  let server: ServerProcess;
  let profile: string;
  let context: BrowserContext | undefined;
  let page: Page;

  beforeAll(async () => {
    server = await startServerProcess({ port: 0 });
    profile = await mkdtemp(join(tmpdir(), 'jangkau-resident-'));
    context = await launchPhone(profile);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    page = context.pages()[0] ?? (await context.newPage());
    // Watches the connection bar from the first paint: "Tersinkron" must never stand beside
    // "Belum pernah sinkron" (a first visit flashed it in green).
    await page.addInitScript(() => {
      const seen = (window as unknown as { syncedBesideNever: boolean }) ;
      seen.syncedBesideNever = false;
      new MutationObserver(() => {
        const bar = document.querySelector('.conn')?.textContent ?? '';
        if (bar.includes('Tersinkron') && bar.includes('Belum pernah sinkron')) seen.syncedBesideNever = true;
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    await page.goto(server.url + '/#/');
    await page.getByRole('heading', { level: 1, name: 'Pilih layanan' }).waitFor();
  });

  afterAll(async () => {
    await context?.close();
    await server?.stop();
    await rm(profile, { recursive: true, force: true });
  });

  /** One tap where the target is now, as a finger does: no scrolling, no waiting for it to settle. */
  async function tapOnce(target: Locator): Promise<void> {
    const box = await target.boundingBox();
    if (!box) throw new Error('the target is not on screen');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
  }

  async function openService(title: string): Promise<void> {
    await page.goto(server.url + '/#/');
    await page.getByRole('region', { name: title }).getByRole('link', { name: 'Isi formulir' }).click();
  }

  it('sends on the first tap of "Kirim permohonan" even with the email still wrong', async () => {
    await openService(PPID);
    await page.getByRole('heading', { level: 1, name: PPID }).waitFor();
    const answers = sampleAnswers(ppidPermohonanV1);
    await fillForm(page, ppidPermohonanV1, { ...answers, email: 'siti@' });
    await page.getByTestId('save-state').getByText('Draf tersimpan').waitFor();
    // The email field still has the focus, scrolled to the top as a phone does while typing; the
    // person sees the button below it and taps it once (the tap blurs the field on its way).
    const email = page.locator('#f-email');
    await email.focus();
    await email.evaluate((el) => el.closest('.field')?.scrollIntoView({ block: 'start' }));
    const send = page.getByRole('button', { name: 'Kirim permohonan' });
    await tapOnce(send);
    const summary = page.locator('.error-summary');
    await summary.waitFor({ timeout: 5_000 });
    expect(await summary.textContent()).toMatch(/email/i);
    // Nothing was sent.
    expect(await page.getByTestId('request-detail').count()).toBe(0);

    // Fixed, and one tap sends it.
    await email.fill('siti@contoh.id');
    await send.scrollIntoViewIfNeeded();
    await tapOnce(send);
    await page.getByTestId('request-detail').waitFor({ timeout: 10_000 });
  });

  it('takes the first tap on a "Cara menerima" choice while the field above it is still wrong', async () => {
    await openService(PPID);
    await page.getByRole('heading', { level: 1, name: PPID }).waitFor();
    const purpose = page.locator('#f-tujuanPenggunaan');
    await purpose.fill('ab');
    await purpose.focus();
    await purpose.evaluate((el) => el.closest('.field')?.scrollIntoView({ block: 'start' }));
    const choice = page.getByLabel('Mengambil langsung di kantor KPU');
    await tapOnce(choice);
    expect(await choice.isChecked()).toBe(true);
  });

  it('names a draft by its form and day, and finds it again on "Isi formulir" instead of a blank one', async () => {
    await page.goto(server.url + '/#/permohonan');
    await page.getByRole('heading', { level: 1, name: 'Permohonan saya' }).waitFor();
    const draftsBefore = await page.getByTestId('draft-item').count();

    await openService(PPID);
    await page.getByRole('heading', { level: 1, name: PPID }).waitFor();
    const offered = page.getByTestId('draft-offer');
    // The earlier tests left a PPID draft: start a new one, type a NIK first, as people do.
    if (await offered.isVisible()) await page.getByRole('button', { name: 'Mulai baru' }).click();
    await page.locator('#f-nik').fill('1971014507900001');
    await page.locator('#f-nama').fill('Siti Aminah');
    await page.getByTestId('save-state').getByText('Draf tersimpan').waitFor();

    // In "Permohonan saya" the draft is called by its form and the day, not by the NIK typed.
    await page.getByRole('navigation').getByRole('link', { name: 'Permohonan saya' }).click();
    await page.getByRole('heading', { level: 1, name: 'Permohonan saya' }).waitFor();
    const drafts = page.getByTestId('draft-item');
    await expect.poll(() => drafts.count()).toBe(draftsBefore + 1);
    const newest = (await drafts.first().textContent()) ?? '';
    expect(newest).toContain(PPID);
    expect(newest).toMatch(/\d{1,2} \w{3} \d{4}/);
    expect(newest).not.toContain('1971014507900001');
    expect(newest).not.toContain('Siti');
    expect(await page.getByText('Formulir versi').count()).toBe(0);

    // "Isi formulir" again: the draft is offered, and continuing it opens it with what was typed.
    await openService(PPID);
    await offered.waitFor();
    expect(await offered.textContent()).toContain('Anda sudah punya draf formulir ini');
    await page.getByRole('button', { name: 'Lanjutkan draf' }).click();
    await page.getByRole('heading', { level: 1, name: PPID }).waitFor();
    expect(await page.locator('#f-nik').inputValue()).toBe('1971014507900001');
    expect(await page.getByText('Formulir versi').count()).toBe(0);
    await page.locator('#f-pekerjaan').fill('Nelayan');
    await page.getByTestId('save-state').getByText('Draf tersimpan').waitFor();

    // Still one draft more than before, not two.
    await page.getByRole('navigation').getByRole('link', { name: 'Permohonan saya' }).click();
    await page.getByRole('heading', { level: 1, name: 'Permohonan saya' }).waitFor();
    await expect.poll(() => drafts.count()).toBe(draftsBefore + 1);
  });

  it('shows a first visit no green "Tersinkron", and no officer forms on the home screen', async () => {
    expect(await page.evaluate(() => (window as unknown as { syncedBesideNever: boolean }).syncedBesideNever)).toBe(false);
    await page.goto(server.url + '/#/');
    await page.getByRole('heading', { level: 1, name: 'Pilih layanan' }).waitFor();
    await page.getByTestId('last-sync').getByText(/baru saja|menit lalu/).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('last-sync').textContent()).not.toContain('sekarang');
    expect(await page.getByRole('heading', { name: 'Formulir petugas' }).count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Coklit', exact: false }).count()).toBe(0);
    // Typed in by hand, an officer's form asks for an officer's login instead of opening.
    await page.goto(server.url + '/#/ajukan/coklit-pilkada');
    await page.getByTestId('officer-only').waitFor();
    expect(await page.locator('main form').count()).toBe(0);
  });

  it('opens each screen at its top', async () => {
    await page.goto(server.url + '/#/');
    await page.getByRole('heading', { level: 1, name: 'Pilih layanan' }).waitFor();
    const cards = page.locator('main section.card');
    const last = cards.last();
    await last.scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(200);
    await last.getByRole('link', { name: /Isi formulir/ }).click();
    await page.locator('main h1').waitFor();
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(0);
  });

  it('with no signal: says so on "Kirim sekarang", explains the QR hand-over, and groups the receipt number', async () => {
    await context!.setOffline(true);
    try {
      await page.goto(server.url + '/#/');
      await page.getByTestId('connection-state').getByText('Tanpa sinyal').waitFor();
      const id = await filePpidRequest(page, 'Daftar TPS di Pulau Pongok');
      expect(await page.getByTestId('handoff-hint').textContent()).toContain('petugas');
      await page.getByRole('button', { name: 'Kirim sekarang' }).click();
      expect(await page.getByTestId('send-now-offline').textContent()).toBe(
        'Tidak ada sinyal — permohonan tetap tersimpan dan dikirim otomatis saat sinyal kembali.',
      );

      // The receipt number: groups of four, none split across two lines, and a button that copies it.
      const groups = page.getByTestId('receipt-number').locator('.receipt-group');
      expect(await groups.count()).toBe(7);
      for (const lines of await groups.evaluateAll((gs) => gs.map((g) => g.getClientRects().length))) expect(lines).toBe(1);
      await page.getByRole('button', { name: 'Salin nomor' }).click();
      await page.getByText('Nomor tanda terima disalin.').waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(id.match(/.{1,4}/g)!.join('-'));
    } finally {
      await context!.setOffline(false);
    }
  });

  it('marks a new answer as new, and shows "Jawaban KPU" near the top of the request', async () => {
    await page.goto(server.url + '/#/permohonan');
    await page.getByRole('heading', { level: 1, name: 'Permohonan saya' }).waitFor();
    const item = page.getByTestId('request-item').first();
    const id = (await item.getAttribute('data-receipt')) ?? '';
    await page.getByRole('button', { name: 'Kirim sekarang' }).click();
    await page.locator(`[data-receipt="${id}"][data-state="sent"]`).waitFor({ timeout: 60_000 });
    await answerRequest(server.dataDir, id, 'selesai', 'Daftar TPS terlampir di email Anda.');
    const answered = page.locator(`[data-receipt="${id}"][data-state="answered"]`);
    const send = page.getByRole('button', { name: 'Kirim sekarang' });
    // A press during a sync already running does nothing: press again until the answer is pulled.
    await expect
      .poll(
        async () => {
          if (await send.isEnabled()) await send.click();
          return answered.count();
        },
        { timeout: 60_000, interval: 1_000 },
      )
      .toBe(1);
    await answered.getByTestId('new-answer').getByText('Jawaban baru').waitFor();

    await answered.getByRole('link').click();
    await page.getByTestId('answer').waitFor();
    const answerTop = (await page.getByRole('heading', { name: 'Jawaban KPU' }).boundingBox())!.y;
    expect(answerTop).toBeLessThan((await page.getByTestId('receipt-number').boundingBox())!.y);
    expect(answerTop + 100).toBeLessThan(640);

    // Read: no longer new. In English, "Completed", the word the officers' screens use too.
    await page.getByRole('navigation').getByRole('link', { name: 'Permohonan saya' }).click();
    await answered.waitFor();
    expect(await answered.getByTestId('new-answer').count()).toBe(0);
    await page.getByRole('button', { name: 'English' }).click();
    await answered.getByText('Completed').waitFor();
    await page.getByRole('button', { name: 'Bahasa Indonesia' }).click();
  });
});
