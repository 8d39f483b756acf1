// Takes the pictures of docs/coba-15-menit.md from the real app: the built PWA served by the real
// server (a temp data folder), phones in Debian's Chromium at 360×640. A resident files a PPID
// request (first with a wrong email), finds the draft again, sends with no signal, and reads the
// answer; a PPS officer logs in, and meets the lock screen; the province admin answers the
// request from the inbox. Run after `npm run build`:
//   node --import tsx scripts/capture-trial-screenshots.ts
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { ppidPermohonanV1 } from '../core/forms/catalog/ppid-permohonan.ts';
import { chromiumAvailable, launchPhone } from '../tests/support/chromium.ts';
import { fillForm, sampleAnswers } from '../tests/support/form-filler.ts';
import { createOfficers, logInOnPhone } from '../tests/support/officer-accounts.ts';
import { startServerProcess } from '../tests/support/server-process.ts';

const OUT_DIR = fileURLToPath(new URL('../docs/coba-15-menit/', import.meta.url));
/** docs/ keeps pictures small: one phone screen of text. */
const MAX_BYTES = 150 * 1024;
const PPS = { username: 'pps.celagen', role: 'pps', scope: '19.03.08.2002', displayName: 'Budi Santoso' } as const;
const PPID = ppidPermohonanV1.title.id;

/** A 360 px wide phone screen; `fullPage` for a screen taller than 640 px (the receipt, the lock screen). */
async function shoot(page: Page, name: string, fullPage = false): Promise<void> {
  const path = join(OUT_DIR, name);
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path, fullPage, caret: 'hide', animations: 'disabled' });
  const size = statSync(path).size;
  if (size > MAX_BYTES) throw new Error(`${name} is ${Math.round(size / 1024)} KB, more than ${MAX_BYTES / 1024} KB`);
  console.log(`${name}: ${Math.round(size / 1024)} KB`);
}

async function phone(dir: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await launchPhone(mkdtempSync(join(dir, 'phone-')));
  return { context, page: context.pages()[0] ?? (await context.newPage()) };
}

async function main(): Promise<void> {
  if (!chromiumAvailable()) throw new Error('Chromium not found at /usr/bin/chromium (or CHROMIUM_PATH)');
  mkdirSync(OUT_DIR, { recursive: true });
  const server = await startServerProcess({ port: 0 });
  const work = mkdtempSync(join(tmpdir(), 'jangkau-trial-'));
  const contexts: BrowserContext[] = [];
  try {
    await createOfficers(server, [PPS]);

    // 1. The resident: home, the form with a wrong email, the draft offered again.
    const resident = await phone(work);
    contexts.push(resident.context);
    const r = resident.page;
    await r.goto(`${server.url}/#/`);
    await r.getByRole('heading', { level: 1, name: 'Pilih layanan' }).waitFor();
    await r.getByTestId('last-sync').getByText(/baru saja/).waitFor({ timeout: 30_000 });
    await shoot(r, '01-warga-beranda.png');
    await r.getByRole('region', { name: PPID }).getByRole('link', { name: 'Isi formulir' }).click();
    await r.getByRole('heading', { level: 1, name: PPID }).waitFor();
    await fillForm(r, ppidPermohonanV1, { ...sampleAnswers(ppidPermohonanV1), rincianInformasi: 'Salinan DPT Desa Celagen', nama: 'Siti Aminah', email: 'siti@' });
    await r.getByTestId('save-state').getByText('Draf tersimpan').waitFor();
    await r.getByRole('button', { name: 'Kirim permohonan' }).click();
    await r.locator('.error-summary').waitFor();
    await r.locator('.error-summary').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shoot(r, '02-warga-ringkasan-galat.png');
    await r.goto(`${server.url}/#/`);
    await r.getByRole('region', { name: PPID }).getByRole('link', { name: 'Isi formulir' }).click();
    await r.getByTestId('draft-offer').waitFor();
    await shoot(r, '03-warga-lanjutkan-draf.png');

    // 2. With no signal: the corrected request is sent into the queue; "Kirim sekarang" says why it waits.
    await resident.context.setOffline(true);
    await r.getByRole('button', { name: 'Lanjutkan draf' }).click();
    await r.locator('#f-email').fill('siti@contoh.id');
    await r.getByRole('button', { name: 'Kirim permohonan' }).click();
    await r.getByTestId('request-detail').waitFor();
    await r.getByRole('button', { name: 'Kirim sekarang' }).click();
    await r.getByTestId('send-now-offline').waitFor();
    await shoot(r, '04-warga-tanda-terima.png', true);
    await resident.context.setOffline(false);
    const id = ((await r.getByTestId('receipt-number').textContent()) ?? '').replace(/-/g, '');
    await r.goto(`${server.url}/#/permohonan`);
    await r.locator(`[data-receipt="${id}"][data-state="sent"]`).waitFor({ timeout: 60_000 });

    // 3. The PPS officer: field work, then the lock screen after wrong PINs, "Lupa PIN?" open.
    const officer = await phone(work);
    contexts.push(officer.context);
    const o = officer.page;
    await logInOnPhone(o, server.url, PPS.username);
    await shoot(o, '05-petugas-akun.png', true);
    await o.getByRole('button', { name: 'Kunci sekarang' }).click();
    await o.getByRole('heading', { level: 1, name: 'Buka dengan PIN' }).waitFor();
    for (let i = 0; i < 3; i++) {
      await o.getByLabel('PIN (6 angka)').fill('111111');
      await o.getByRole('button', { name: 'Buka', exact: true }).click();
      await o.locator('#pin-unlock-error').waitFor();
      await o.locator('[data-testid="pin-unlock"]:not([aria-busy="true"])').waitFor();
    }
    await o.getByText(/Coba lagi dalam \d+ detik/).waitFor();
    await o.getByRole('button', { name: 'Lupa PIN?' }).click();
    await shoot(o, '06-petugas-layar-kunci.png', true);

    // 4. The province admin answers the request from the inbox.
    const admin = await phone(work);
    contexts.push(admin.context);
    const a = admin.page;
    await logInOnPhone(a, server.url, 'admin');
    await a.getByRole('link', { name: 'Kotak masuk permohonan' }).click();
    await a.getByTestId('inbox-list').waitFor();
    await shoot(a, '07-admin-kotak-masuk.png', true);
    await a.locator(`[data-testid="inbox-item"][data-id="${id}"] a`).click();
    await a.getByLabel('Status baru').selectOption('selesai');
    await a.getByLabel('Jawaban untuk pemohon').fill('Salinan DPT Desa Celagen kami kirim ke email Anda.');
    await a.getByRole('button', { name: 'Simpan status' }).click();
    await a.getByText(/Status disimpan/).waitFor();

    // 5. The resident: the answer marked new, then read near the top of the request.
    await r.getByRole('button', { name: 'Kirim sekarang' }).click();
    const answered = r.locator(`[data-receipt="${id}"][data-state="answered"]`);
    await answered.waitFor({ timeout: 60_000 });
    await shoot(r, '08-warga-jawaban-baru.png');
    await answered.getByRole('link').click();
    await r.getByTestId('answer').waitFor();
    await shoot(r, '09-warga-jawaban.png', true);
  } finally {
    for (const c of contexts) await c.close();
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
