// The office side of a request as staff and residents use it (issue 14), in Chromium against the
// real server process: a resident files two PPID requests with no signal; the office returns one
// for completion (a reason and the fields to complete, with an internal note and a staff member in
// charge) and refuses the other on a ground. After one sync the phone, offline again, shows the
// reason with the marked fields and the refusal's ground with the keberatan path and its deadline;
// the person completes the first (same receipt number), it goes back and is answered; from the
// second the person starts a keberatan, prefilled, with one tap.
//
// OFFICE_SCREENSHOTS=1 also saves the screens at 360 px and desktop width into docs/office/
// (shown in docs/officers.md).
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { ppidPermohonanV1 } from '../../core/forms/catalog/ppid-permohonan.ts';
import { launchPhone } from '../support/chromium.ts';
import { fillForm, sampleAnswers } from '../support/form-filler.ts';
import { apiToken, createOfficers, logInOnPhone } from '../support/officer-accounts.ts';
import { countSubmissions } from '../support/server-db.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { startWeakLinkProxy, type WeakLinkProxy } from '../support/weak-link/proxy.ts';

const SHOTS = fileURLToPath(new URL('../../docs/office/', import.meta.url));
const SCREENSHOTS = process.env.OFFICE_SCREENSHOTS === '1';

const REASON = 'Rincian informasi belum jelas: sebutkan dokumen dan tahunnya. Tujuan penggunaan juga perlu diisi lebih lengkap.';
const COMPLETED = 'Berita acara rekapitulasi hasil penghitungan suara Pilkada 2024, Kecamatan Muntok';
const NOTE = 'Sudah ditelepon pemohon; dokumen ada di arsip Kabupaten Bangka Barat.';
const ANSWER = 'Salinan berita acara kami kirim ke email Anda.';
const REFUSAL = 'Data yang diminta memuat rahasia pribadi pemilih.';

// What the two residents ask for, in their words (the rest from the sample filler).
const FILED = [
  { nama: 'Rahmat Hidayat', rincianInformasi: 'Berita acara rekapitulasi', tujuanPenggunaan: 'Penelitian' },
  { nama: 'Siti Rahma', rincianInformasi: 'Salinan DPT Desa Air Belo dengan NIK dan alamat lengkap', tujuanPenggunaan: 'Pemeriksaan data tetangga' },
];

/** Saves the page at phone and desktop width (full page), then back to `width`. */
async function shoot(page: Page, name: string, back: { width: number; height: number }): Promise<void> {
  if (!SCREENSHOTS) return;
  await mkdir(SHOTS, { recursive: true });
  for (const [suffix, width, height] of [['360', 360, 780], ['desktop', 1280, 900]] as const) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: join(SHOTS, `${name}-${suffix}.png`), fullPage: true, animations: 'disabled', caret: 'hide' });
  }
  await page.setViewportSize(back);
}

describe.skipIf(!inject('chromium'))('the office returns, refuses; the resident completes, objects', () => {
  let server: ServerProcess;
  let link: WeakLinkProxy;
  const profiles: string[] = [];
  const contexts: BrowserContext[] = [];
  let resident: BrowserContext;
  let operatorId = '';

  async function profile(): Promise<string> {
    const p = await mkdtemp(join(tmpdir(), 'jangkau-office-'));
    profiles.push(p);
    return p;
  }

  async function setSignal(on: boolean): Promise<void> {
    link.setOnline(on);
    await resident.setOffline(!on);
  }

  beforeAll(async () => {
    server = await startServerProcess({ port: 0, startTimeoutMs: 90_000 });
    link = await startWeakLinkProxy({ target: { host: '127.0.0.1', port: server.port } });
    const ids = await createOfficers(server, [{ username: 'ppid.provinsi', role: 'operator', scope: '19', displayName: 'Dewi Lestari' }]);
    operatorId = ids['ppid.provinsi']!;
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await link?.close();
    await server?.stop();
    for (const p of profiles) await rm(p, { recursive: true, force: true });
  });

  it('return → completion → answer, and refusal → keberatan', { timeout: 300_000 }, async () => {
    // The resident's phone: first visit online, then no signal.
    resident = await launchPhone(await profile());
    contexts.push(resident);
    const phone = resident.pages()[0] ?? (await resident.newPage());
    await phone.goto(link.url + '/');
    await phone.getByRole('heading', { level: 1 }).first().waitFor();
    await phone.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 120_000 });
    await setSignal(false);
    await phone.reload();
    await phone.getByTestId('connection-state').getByText('Tanpa sinyal').waitFor();

    // Two requests filed with no signal.
    const receipts: string[] = [];
    for (let i = 0; i < 2; i++) {
      await phone.goto(link.url + '/#/');
      await phone.getByRole('region', { name: ppidPermohonanV1.title.id }).getByRole('link', { name: 'Isi formulir' }).click();
      await phone.getByRole('heading', { name: ppidPermohonanV1.title.id }).waitFor();
      await fillForm(phone, ppidPermohonanV1, { ...sampleAnswers(ppidPermohonanV1), ...FILED[i] });
      await phone.getByRole('button', { name: 'Kirim permohonan' }).click();
      await phone.getByTestId('request-detail').waitFor();
      receipts.push(((await phone.getByTestId('receipt-number').textContent()) ?? '').replace(/-/g, ''));
    }
    const [returned, refused] = receipts as [string, string];
    expect(countSubmissions(server.dataDir)).toBe(0);

    // Signal: both arrive.
    await setSignal(true);
    await phone.goto(link.url + '/#/permohonan');
    for (const id of receipts) await phone.locator(`[data-receipt="${id}"][data-state="sent"]`).waitFor({ timeout: 60_000 });
    expect(countSubmissions(server.dataDir)).toBe(2);

    // The office, on a desktop.
    const officeContext = await launchPhone(await profile());
    contexts.push(officeContext);
    const office = officeContext.pages()[0] ?? (await officeContext.newPage());
    const desk = { width: 1280, height: 900 };
    await office.setViewportSize(desk);
    await logInOnPhone(office, server.url, 'admin');
    await office.goto(`${server.url}/#/petugas/kotak-masuk/${returned}`);
    await office.getByTestId('request-data').waitFor();
    const returnForm = office.getByTestId('return-form');

    // Sent empty: both problems beside their fields, nothing sent.
    await returnForm.getByRole('button', { name: 'Kembalikan ke pemohon' }).click();
    await office.locator('#return-reason-error').getByText('Tulis alasan pengembalian untuk pemohon.').waitFor();
    await office.locator('#return-fields-error').getByText('Pilih minimal satu isian yang perlu dilengkapi.').waitFor();
    expect(await office.evaluate(() => document.activeElement?.id)).toBe('return-reason');

    // An internal note and the one in charge first.
    await office.getByTestId('notes').getByRole('button', { name: 'Simpan catatan' }).click();
    await office.locator('#note-text-error').getByText('Tulis catatan dulu.').waitFor();
    await office.getByLabel('Catatan baru').fill(NOTE);
    await office.getByTestId('notes').getByRole('button', { name: 'Simpan catatan' }).click();
    await office.getByTestId('note-list').getByText(NOTE).waitFor();
    await office.getByLabel('Tugaskan kepada').selectOption(operatorId);
    await office.getByRole('button', { name: 'Simpan penugasan' }).click();
    await office.getByTestId('assigned-to').getByText('Ditangani oleh Dewi Lestari.').waitFor();

    // Returned with a reason and two fields.
    await office.getByLabel('Alasan pengembalian').fill(REASON);
    await returnForm.getByLabel('Rincian informasi yang dibutuhkan').check();
    await returnForm.getByLabel('Tujuan penggunaan informasi').check();
    await shoot(office, 'kantor-kembalikan', desk);
    await returnForm.getByRole('button', { name: 'Kembalikan ke pemohon' }).click();
    await office.getByTestId('status-outcome').getByText('Permohonan dikembalikan untuk dilengkapi.').waitFor();
    await office.getByTestId('request-returned').waitFor();
    expect(await office.getByTestId('request-status').textContent()).toContain('Perlu dilengkapi');

    // The other refused: the missing ground is said beside the ground.
    await office.goto(`${server.url}/#/petugas/kotak-masuk/${refused}`);
    await office.getByTestId('request-data').waitFor();
    await office.getByLabel('Status baru').selectOption('ditolak');
    await office.getByLabel('Jawaban untuk pemohon').fill(REFUSAL);
    await office.getByRole('button', { name: 'Simpan status' }).click();
    await office.locator('#status-ground-error').getByText('Pilih dasar penolakan dari daftar.').waitFor();
    expect(await office.evaluate(() => document.activeElement?.id)).toBe('status-ground');
    await office.locator('#status-ground').selectOption('pasal-17-h');
    await shoot(office, 'kantor-tolak', desk);
    await office.getByRole('button', { name: 'Simpan status' }).click();
    await office.getByTestId('status-outcome').getByText('Status disimpan: Ditolak.').waitFor();

    // The notes never reach the resident's side of the API: the phone's pull carries none.
    const token = await apiToken(server, 'admin');
    const read = (await (await fetch(`${server.url}/api/v1/inbox/${returned}`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      status: string;
      fields: string[];
      notes: { text: string }[];
      assignedTo: { id: string } | null;
    };
    expect(read).toMatchObject({ status: 'perlu_dilengkapi', fields: ['rincianInformasi', 'tujuanPenggunaan'], assignedTo: { id: operatorId } });
    expect(read.notes.map((n) => n.text)).toEqual([NOTE]);

    // One sync, then no signal again: the phone shows the reason and the refusal offline.
    await phone.goto(link.url + `/#/permohonan/${returned}`);
    await phone.getByRole('button', { name: 'Kirim sekarang' }).click();
    await phone.getByTestId('returned-reason').getByText(REASON).waitFor({ timeout: 60_000 });
    await setSignal(false);
    await phone.reload();
    await phone.getByTestId('connection-state').getByText('Tanpa sinyal').waitFor();
    await phone.getByTestId('returned-reason').getByText(REASON).waitFor();
    expect(await phone.getByTestId('returned').textContent()).toContain('Rincian informasi yang dibutuhkan, Tujuan penggunaan informasi');
    expect(await phone.getByTestId('request-detail').textContent()).not.toContain(NOTE);
    await shoot(phone, 'warga-dikembalikan', { width: 360, height: 640 });

    // Completed offline: only the marked fields, under the same receipt number.
    await phone.getByTestId('complete-request').click();
    await phone.getByTestId('completion-reason').getByText(REASON).waitFor();
    expect(await phone.locator('#f-nik').count()).toBe(0);
    await phone.locator('#f-rincianInformasi').fill(COMPLETED);
    await phone.locator('#f-tujuanPenggunaan').fill('Bahan penelitian skripsi tentang partisipasi pemilih');
    await shoot(phone, 'warga-melengkapi', { width: 360, height: 640 });
    await phone.getByRole('button', { name: 'Kirim kelengkapan' }).click();
    await phone.locator(`[data-testid="request-detail"][data-state="queued"]`).waitFor();
    expect((await phone.getByTestId('receipt-number').textContent())?.replace(/-/g, '')).toBe(returned);

    // The refusal, offline: the ground, the keberatan deadline, and one tap to the keberatan form.
    await phone.goto(link.url + `/#/permohonan/${refused}`);
    const refusal = phone.getByTestId('refusal');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('Dasar penolakan: Informasi dikecualikan: mengungkap rahasia pribadi (Pasal 17 huruf h)');
    expect(await refusal.textContent()).toMatch(/paling lambat \d{1,2} \S+ \d{4}/);
    expect(await phone.getByTestId('answer').textContent()).toBe(REFUSAL);
    await shoot(phone, 'warga-ditolak', { width: 360, height: 640 });
    await refusal.getByRole('button', { name: 'Ajukan keberatan' }).click();
    await phone.getByRole('heading', { name: 'Keberatan atas Layanan Informasi Publik' }).waitFor();
    expect(await phone.locator('#f-nomorPermohonan').inputValue()).toBe(refused);
    // The ground's matching reason of art. 35(1): a. refused on an exemption of art. 17.
    expect(await phone.locator('#f-alasan').inputValue()).toBe('a');
    await shoot(phone, 'warga-keberatan', { width: 360, height: 640 });

    // Signal again: the completion goes back as the next revision of the same request.
    await setSignal(true);
    await phone.goto(link.url + `/#/permohonan/${returned}`);
    await phone.getByRole('button', { name: 'Kirim sekarang' }).click();
    await phone.locator(`[data-testid="request-detail"][data-state="sent"]`).waitFor({ timeout: 60_000 });
    expect(countSubmissions(server.dataDir)).toBe(2);

    // The office sees the completed version (the first kept) and answers.
    await office.goto(`${server.url}/#/petugas/kotak-masuk/${returned}`);
    await office.getByTestId('request-revisions').waitFor();
    expect(await office.getByTestId('request-revisions').locator('li').count()).toBe(2);
    expect(await office.getByTestId('request-data').locator('[data-field="rincianInformasi"] dd').textContent()).toBe(COMPLETED);
    expect(await office.getByTestId('request-status').textContent()).toContain('Diproses');
    await shoot(office, 'kantor-dilengkapi', desk);
    await office.getByLabel('Status baru').selectOption('selesai');
    await office.getByLabel('Jawaban untuk pemohon').fill(ANSWER);
    await office.getByRole('button', { name: 'Simpan status' }).click();
    await office.getByTestId('status-outcome').getByText('Status disimpan: Selesai.').waitFor();

    // The phone receives the answer under the same receipt number.
    await phone.getByRole('button', { name: 'Kirim sekarang' }).click();
    await phone.getByTestId('answer').getByText(ANSWER).waitFor({ timeout: 60_000 });
    expect(await phone.getByTestId('request-state').textContent()).toBe('Selesai');
  });
});
