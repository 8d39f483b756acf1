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
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';

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
    page = context.pages()[0] ?? (await context.newPage());
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
});
