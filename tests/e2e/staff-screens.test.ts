// Staff screens as people use them, in Chromium at 360 px against the real server (issue 17):
// the province admin creates an account in the app (problems said beside the fields first) and
// revokes a lost device; a regency operator finds a request in the inbox by its subject — rows
// told apart by subject, requester, region name and a due date in words — searches it by the
// requester's name with an assignment filter that survives going back, opens it (the form's
// labels in the form's order, the office by name, in Indonesian and in English) and answers it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { addDays } from '../../core/calendar/days.ts';
import { humanDay } from '../../core/forms/answer-rows.ts';
import { todayInWib } from '../../core/forms/context.ts';
import { deviceAuthorization } from '../../core/protocol.ts';
import { randomSecret, ulid } from '../../core/ids.ts';
import { SQLITE_FILE_NAME } from '../../server/db/sqlite.ts';
import { launchPhone } from '../support/chromium.ts';
import { apiToken, createOfficers, logInOnPhone } from '../support/officer-accounts.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';

const REGENCY = '19.05'; // Kabupaten Bangka Barat
const ISO_DATE = /\b\d{4}-\d{2}-\d{2}\b/;

const REQUESTS = [
  { nama: 'Rahmat Hidayat', rincianInformasi: 'Berita acara rekapitulasi Kecamatan Muntok', due: -2 },
  { nama: 'Siti Rahma', rincianInformasi: 'Salinan DPT Desa Air Belo untuk penelitian', due: 14 },
  { nama: 'Budi Santoso', rincianInformasi: 'Daftar lokasi TPS di Kecamatan Kelapa', due: 3 },
] as const;

function ppidData(r: (typeof REQUESTS)[number]): Record<string, unknown> {
  return {
    ditujukanKepada: REGENCY,
    nik: '1905024501900001',
    nama: r.nama,
    alamat: 'Jl. Pelabuhan No. 4, Muntok',
    pekerjaan: 'Mahasiswa',
    telepon: '081234567890',
    rincianInformasi: r.rincianInformasi,
    tujuanPenggunaan: 'Penelitian skripsi',
    caraMenerima: 'email',
    email: 'pemohon@example.id',
  };
}

describe.skipIf(!inject('chromium'))('staff screens: accounts, inbox and request at 360 px', () => {
  let server: ServerProcess;
  const contexts: BrowserContext[] = [];
  const profiles: string[] = [];
  const ids: string[] = [];
  const today = todayInWib();

  async function phone(): Promise<Page> {
    const profile = await mkdtemp(join(tmpdir(), 'jangkau-staff-'));
    profiles.push(profile);
    const context = await launchPhone(profile);
    contexts.push(context);
    return context.pages()[0] ?? (await context.newPage());
  }

  beforeAll(async () => {
    // A loaded machine can take over a minute to start the server from its sources.
    server = await startServerProcess({ port: 0, startTimeoutMs: 90_000 });
    await createOfficers(server, [{ username: 'operator.babar', role: 'operator', scope: REGENCY, displayName: 'Operator Bangka Barat' }]);
    const deviceId = ulid();
    const secret = randomSecret();
    const items = REQUESTS.map((r) => ({ id: ulid(), formId: 'ppid-permohonan', formVersion: 1, createdAt: new Date().toISOString(), data: ppidData(r), secret: randomSecret() }));
    const pushed = await fetch(`${server.url}/api/v1/push`, {
      method: 'POST',
      headers: { authorization: deviceAuthorization(deviceId, secret), 'content-type': 'application/json' },
      body: JSON.stringify({ items }),
    });
    expect(pushed.status, await pushed.clone().text()).toBe(200);
    ids.push(...items.map((i) => i.id));
    // Due dates set apart: one overdue, one due soon, one later.
    const db = new Database(join(server.dataDir, SQLITE_FILE_NAME));
    try {
      REQUESTS.forEach((r, i) => db.prepare('UPDATE submissions SET due_on = ? WHERE id = ?').run(addDays(today, r.due), ids[i]));
    } finally {
      db.close();
    }
  });

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await server?.stop();
    for (const p of profiles) await rm(p, { recursive: true, force: true });
  });

  it('the admin creates an account in the app and revokes a lost device', { timeout: 180_000 }, async () => {
    const page = await phone();
    await logInOnPhone(page, server.url, 'admin');
    await page.getByRole('link', { name: 'Kelola akun petugas' }).click();
    await page.getByRole('heading', { level: 1, name: 'Kelola akun petugas' }).waitFor();
    const create = page.getByTestId('account-create');

    // A first try with mistakes: each is said beside its field, nothing is sent.
    await create.getByLabel('Nama lengkap').fill('Rina Marlina');
    await create.getByLabel('Nama pengguna').fill('PPS Air Belo');
    await create.getByLabel('Kata sandi awal').fill('pendek');
    await create.getByLabel('Peran').selectOption({ label: 'PPS' });
    await create.getByRole('button', { name: 'Buat akun' }).click();
    await create.locator('#account-username-error').getByText('Nama pengguna 3–40 karakter').waitFor();
    await create.locator('#account-password-error').getByText('Kata sandi minimal 10 karakter.').waitFor();
    await create.getByText('Pilih wilayah tugas sampai tingkat yang diminta peran ini.').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('account-username');

    // Corrected: the region picked by name, down to the village.
    await create.getByLabel('Nama pengguna').fill('pps.airbelo');
    await create.getByLabel('Kata sandi awal').fill('kata-sandi-awal-2026');
    await create.locator('#f-wilayahTugas-regency').selectOption({ label: 'Kabupaten Bangka Barat' });
    await create.locator('#f-wilayahTugas-district').selectOption({ index: 1 });
    await create.locator('#f-wilayahTugas-village').selectOption({ index: 1 });
    const village = await create.locator('#f-wilayahTugas-village').inputValue();
    const villageName = (await create.locator('#f-wilayahTugas-village option:checked').textContent()) ?? '';
    await create.getByRole('button', { name: 'Buat akun' }).click();
    await page.getByTestId('account-create-outcome').getByText('Akun pps.airbelo (Rina Marlina) dibuat.').waitFor();
    // The same name again is refused by the server, beside the field.
    await create.getByLabel('Nama lengkap').fill('Rina Marlina');
    await create.getByLabel('Nama pengguna').fill('pps.airbelo');
    await create.getByLabel('Kata sandi awal').fill('kata-sandi-awal-2026');
    await create.locator('#f-wilayahTugas-regency').selectOption({ label: 'Kabupaten Bangka Barat' });
    await create.locator('#f-wilayahTugas-district').selectOption({ index: 1 });
    await create.locator('#f-wilayahTugas-village').selectOption({ index: 1 });
    await create.getByRole('button', { name: 'Buat akun' }).click();
    await create.locator('#account-username-error').getByText('Nama pengguna ini sudah dipakai.').waitFor();

    const row = page.locator('[data-testid="account"][data-username="pps.airbelo"]');
    await row.waitFor();
    // The region by its name, as it was picked.
    expect(await row.textContent()).toContain(`${villageName} (${village})`);
    expect(await row.textContent()).toContain('PPS');

    // The new account logs in on a phone that is then lost.
    const lost = await fetch(`${server.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'pps.airbelo', password: 'kata-sandi-awal-2026', deviceLabel: 'HP Rina (hilang)' }),
    });
    expect(lost.status).toBe(200);
    const { token } = (await lost.json()) as { token: string };
    const me = () => fetch(`${server.url}/api/v1/inbox`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    expect(await me()).toBe(200);

    await row.getByText('Kelola', { exact: true }).click();
    await row.getByRole('button', { name: 'Lihat perangkat' }).click();
    const device = row.getByTestId('device').filter({ hasText: 'HP Rina (hilang)' });
    await device.getByRole('button', { name: 'Cabut perangkat' }).click();
    await row.getByTestId('account-confirm').getByRole('button', { name: 'Ya, cabut' }).click();
    await row.getByTestId('account-outcome').getByText('Perangkat "HP Rina (hilang)" dicabut.').waitFor();
    await device.getByText('Dicabut').waitFor();
    expect(await me()).toBe(401);

    // What the server holds: the account as created in the app.
    const admin = await apiToken(server, 'admin');
    const list = (await (await fetch(`${server.url}/api/v1/admin/accounts?limit=200`, { headers: { authorization: `Bearer ${admin}` } })).json()) as {
      accounts: { username: string; role: string; scope: string; displayName: string }[];
    };
    expect(list.accounts.find((a) => a.username === 'pps.airbelo')).toMatchObject({ role: 'pps', scope: village, displayName: 'Rina Marlina' });
    expect(village.startsWith(`${REGENCY}.`)).toBe(true);
  });

  it('an operator picks a request by its subject, reads it under the form’s labels and answers it', { timeout: 180_000 }, async () => {
    const page = await phone();
    await logInOnPhone(page, server.url, 'operator.babar');

    // The operator manages only the ad hoc roles of the regency.
    await page.getByRole('link', { name: 'Kelola akun petugas' }).click();
    const roles = await page.getByTestId('account-create').getByLabel('Peran').locator('option').allTextContents();
    expect(roles).toEqual(['PPK', 'PPS', 'Pantarlih', 'KPPS']);

    await page.evaluate(() => (window.location.hash = '#/petugas/kotak-masuk'));
    await page.getByTestId('inbox-list').waitFor();
    const rows = page.getByTestId('inbox-item');
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(3);
    // Soonest due first, each row told apart by what a person reads.
    const texts = await rows.allTextContents();
    expect(texts[0]).toContain('Berita acara rekapitulasi Kecamatan Muntok');
    expect(texts[0]).toContain('Dari Rahmat Hidayat');
    expect(texts[0]).toContain('terlambat 2 hari');
    expect(texts[1]).toContain(`Tenggat ${humanDay(addDays(today, 3), 'id')} · 3 hari lagi`);
    expect(texts[2]).toContain(`Tenggat ${humanDay(addDays(today, 14), 'id')} · 14 hari lagi`);
    for (const text of texts) {
      expect(text).toContain('Permohonan Informasi Publik');
      expect(text).toContain('Kabupaten Bangka Barat');
      expect(text).not.toMatch(ISO_DATE);
      expect(text).not.toContain('ppid-permohonan');
    }

    // Only the overdue one, then due within 7 days.
    await page.getByLabel('Tenggat', { exact: true }).selectOption({ label: 'Lewat tenggat' });
    await page.getByRole('button', { name: 'Tampilkan' }).click();
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(1);
    await page.getByLabel('Tenggat', { exact: true }).selectOption({ label: 'Jatuh tempo dalam 7 hari' });
    await page.getByRole('button', { name: 'Tampilkan' }).click();
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(2);
    await page.getByLabel('Tenggat', { exact: true }).selectOption({ label: 'Semua' });
    await page.getByRole('button', { name: 'Tampilkan' }).click();
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(3);

    // Searched by the requester's name and narrowed to what nobody is assigned to; the filters are
    // in the address (the search term is not) and survive opening a request and coming back.
    await page.getByLabel('Cari', { exact: true }).fill('siti');
    await page.getByLabel('Penugasan').selectOption({ label: 'Belum ditugaskan' });
    await page.getByRole('button', { name: 'Tampilkan' }).click();
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(1);
    expect(await rows.first().textContent()).toContain('Dari Siti Rahma');
    expect(page.url()).toContain('tugas=none');
    expect(page.url().toLowerCase()).not.toContain('siti');
    await page.getByRole('link', { name: /Salinan DPT Desa Air Belo/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Permohonan Informasi Publik' }).waitFor();
    await page.goBack();
    await page.getByTestId('inbox-list').waitFor();
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(1);
    expect(await page.getByLabel('Cari', { exact: true }).inputValue()).toBe('siti');
    expect(await page.getByLabel('Penugasan').inputValue()).toBe('none');
    // A term that is no receipt, NIK or name is said beside the field; "Hapus saringan" shows all again.
    await page.getByLabel('Cari', { exact: true }).fill('??');
    await page.getByRole('button', { name: 'Tampilkan' }).click();
    await page.getByText('Ketik nomor tanda terima, NIK 16 angka, atau nama').waitFor();
    await page.getByRole('button', { name: 'Hapus saringan' }).click();
    await expect.poll(() => rows.count(), { timeout: 20_000 }).toBe(3);

    // Chosen by its subject.
    await page.getByRole('link', { name: /Salinan DPT Desa Air Belo/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Permohonan Informasi Publik' }).waitFor();
    const data = page.getByTestId('request-data');
    await data.waitFor();
    const labels = await data.locator('dt').allTextContents();
    expect(labels).toEqual([
      'Ditujukan kepada',
      'NIK',
      'Nama lengkap',
      'Alamat',
      'Pekerjaan',
      'Nomor HP',
      'Rincian informasi yang dibutuhkan',
      'Tujuan penggunaan informasi',
      'Cara menerima informasi',
      'Email',
    ]);
    expect(await data.locator('[data-field="ditujukanKepada"] dd').textContent()).toBe('KPU Kabupaten Bangka Barat');
    expect(await data.locator('[data-field="caraMenerima"] dd').textContent()).toBe('Salinan lewat email');
    const status = (await page.getByTestId('request-status').textContent()) ?? '';
    expect(status).not.toMatch(/Diterima\s*Diterima/);
    expect(status).toContain('14 hari lagi');
    expect(status).not.toMatch(ISO_DATE);

    // The same in English.
    await page.locator('.lang-switch').click();
    await page.getByRole('heading', { level: 1, name: 'Public information request' }).waitFor();
    expect((await data.locator('dt').allTextContents()).slice(0, 1)).toEqual(['Addressed to']);
    expect(await data.locator('[data-field="caraMenerima"] dd').textContent()).toBe('Copy by email');
    expect(await page.getByTestId('request-status').textContent()).not.toMatch(/Received\s*Received/);
    await page.locator('.lang-switch').click();
    await page.getByRole('heading', { level: 1, name: 'Permohonan Informasi Publik' }).waitFor();

    // Answered.
    await page.getByLabel('Status baru').selectOption('selesai');
    await page.getByLabel('Jawaban untuk pemohon').fill('Salinan DPT Desa Air Belo kami kirim ke email Anda.');
    await page.getByRole('button', { name: 'Simpan status' }).click();
    await page.getByTestId('status-outcome').getByText('Status disimpan: Selesai.').waitFor();
    const token = await apiToken(server, 'operator.babar');
    const read = (await (await fetch(`${server.url}/api/v1/inbox/${ids[1]}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { status: string; answer: string };
    expect(read).toMatchObject({ status: 'selesai', answer: 'Salinan DPT Desa Air Belo kami kirim ke email Anda.' });
  });
});
