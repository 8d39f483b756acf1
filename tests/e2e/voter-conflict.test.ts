// Voter-record conflicts end to end (issue #13), in Chromium against the real server process: two
// Pantarlih phones download the same TPS list, lose signal, and record the same voter differently
// (one corrects her address, the other records her as dead). A resident files a tanggapan DPS
// about the same NIK. Everything syncs: the first coklit applies, the second and the tanggapan are
// kept beside the record as conflicts. The PPS opens the Konflik screen on a 360 px phone, sees
// both sides field by field and the record's history with the resident's tanggapan, merges the
// first conflict field by field and settles the second; both Pantarlih phones show the decision
// after their next pull. With UPDATE_SCREENSHOTS=1 the screenshots of docs/voter-list.md are saved on
// the way (a plain run leaves the tree as it was).
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { coklitPilkadaV1 } from '../../core/forms/catalog/coklit-pilkada.ts';
import { tanggapanDpsV1 } from '../../core/forms/catalog/tanggapan-dps.ts';
import { submitLabel } from '../../core/forms/wording.ts';
import { domId } from '../../src/features/requests/fields/paths.ts';
import { fillForm, sampleAnswers } from '../support/form-filler.ts';
import { closeLinkedPhones, openLinkedPhone, setSignal, type LinkedPhone } from '../support/linked-phone.ts';
import { apiToken, createOfficers, logInOnPhone } from '../support/officer-accounts.ts';
import { formatSmallTargets, smallTargets } from '../support/target-size.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';

const VILLAGE = '19.01.01.1001';
const SITI = { nik: '1901024501900001', nama: 'Siti Aminah' };
const RINA = { nik: '1901026902040001', nama: 'Rina Marlina' };
const CSV =
  'desa,tps,nik,kk,nama,jenisKelamin,tempatLahir,tanggalLahir,alamat,rt,rw\r\n' +
  `${VILLAGE},003,${SITI.nik},1901020101200001,${SITI.nama},P,Mentok,1990-01-05,Jl. Pelabuhan No. 4,002,001\r\n` +
  `${VILLAGE},003,${RINA.nik},1901020101200001,${RINA.nama},P,Mentok,2004-02-29,Jl. Pelabuhan No. 4,002,001\r\n`;
const NEW_ADDRESS = 'Jl. Sungai Daeng No. 12';
const SHOTS = fileURLToPath(new URL('../../docs/voter-list/', import.meta.url));
const UPDATE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';
/** Saves a docs/voter-list screenshot when asked to (UPDATE_SCREENSHOTS=1). */
const shoot = async (target: { screenshot(options: { path: string }): Promise<unknown> }, name: string) => {
  if (UPDATE_SCREENSHOTS) await target.screenshot({ path: `${SHOTS}${name}` });
};

describe.skipIf(!inject('chromium'))('voter-record conflicts: two phones, a tanggapan DPS, the Konflik screen', () => {
  let server: ServerProcess;
  const phones: LinkedPhone[] = [];

  beforeAll(async () => {
    // A loaded machine takes long to start the server through tsx.
    server = await startServerProcess({ port: 0, startTimeoutMs: 120_000 });
    await createOfficers(server, [
      { username: 'pantarlih1', role: 'pantarlih', scope: VILLAGE, displayName: 'Pantarlih Satu' },
      { username: 'pantarlih2', role: 'pantarlih', scope: VILLAGE, displayName: 'Pantarlih Dua' },
      { username: 'pps1', role: 'pps', scope: VILLAGE, displayName: 'PPS Desa' },
    ]);
    const res = await fetch(`${server.url}/api/v1/assignments`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${await apiToken(server, 'admin')}` },
      body: CSV,
    });
    expect(res.status, await res.text()).toBe(200);
    await mkdir(SHOTS, { recursive: true });
    // The server start, three officers' password hashes and the admin's login on a loaded machine.
  }, 300_000);

  afterAll(async () => {
    await closeLinkedPhones(phones);
    await server?.stop();
  });

  const port = () => Number(new URL(server.url).port);

  async function officerPhone(username: string): Promise<LinkedPhone> {
    const phone = await openLinkedPhone(port(), phones, '/#/petugas', (p) => p.getByRole('heading', { level: 1, name: 'Petugas' }));
    await logInOnPhone(phone.page, phone.link.url, username);
    return phone;
  }

  const toFieldWork = (page: Page) => page.evaluate(() => (window.location.hash = '#/petugas/lapangan'));
  const sitiOn = (page: Page) => page.getByTestId('assignment-voter').filter({ hasText: SITI.nama });

  /** Records Siti's coklit from the prefilled draft, without signal. */
  async function coklitSiti(page: Page, answers: Record<string, unknown>): Promise<void> {
    await toFieldWork(page);
    await sitiOn(page).click();
    await page.getByRole('heading', { level: 1, name: coklitPilkadaV1.title.id }).waitFor();
    await expect.poll(() => page.locator(`[id="${domId('nik')}"]`).inputValue()).toBe(SITI.nik);
    const sample = sampleAnswers(coklitPilkadaV1);
    // The same household facts on both phones: only what each officer recorded differs.
    await fillForm(page, coklitPilkadaV1, { statusKawin: 'S', ktpEl: 'ada', lokasi: sample.lokasi!, fotoStiker: sample.fotoStiker!, ...answers } as never);
    await page.getByRole('button', { name: submitLabel(coklitPilkadaV1).id }).click();
    await page.getByTestId('request-detail').waitFor();
  }

  /** Signal on, "Kirim sekarang": the queue goes and the statuses are pulled. */
  async function sync(phone: LinkedPhone): Promise<void> {
    await phone.page.getByRole('button', { name: 'Kirim sekarang' }).click();
  }

  it('keeps both sides, shows them to the PPS, and tells both phones the decision', { timeout: 420_000 }, async () => {
    // ---- Two Pantarlih download the same list online, then lose signal.
    const a = await officerPhone('pantarlih1');
    const b = await officerPhone('pantarlih2');
    for (const phone of [a, b]) {
      await toFieldWork(phone.page);
      await phone.page.getByRole('button', { name: 'Unduh daftar pemilih' }).click();
      await expect.poll(() => phone.page.getByTestId('assignment-notice').textContent(), { timeout: 30_000 }).toContain('2 pemilih dari 1 TPS');
      await setSignal(phone, false);
    }

    // ---- Offline, the same voter, differently: A corrects the address, B records her as dead.
    await coklitSiti(a.page, { alamat: NEW_ADDRESS, hasil: 'ubah', dataDiubah: ['alamat'] });
    await coklitSiti(b.page, { hasil: 'tms', alasanTms: '1' });
    for (const phone of [a, b]) {
      await toFieldWork(phone.page);
      await expect.poll(() => sitiOn(phone.page).getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
    }

    // ---- A syncs first (applies: version 2), then B (based on version 1: a conflict).
    for (const phone of [a, b]) {
      await setSignal(phone, true);
      await sync(phone);
      const progress = phone.page.getByTestId('field-form').and(phone.page.locator(`[data-form="${coklitPilkadaV1.formId}"]`)).getByTestId('field-progress');
      await expect.poll(() => progress.getAttribute('data-sent'), { timeout: 60_000 }).toBe('1');
    }

    // ---- A resident reports the same NIK: "has died". Linked to the record, a second conflict.
    const resident = await openLinkedPhone(port(), phones, `/#/ajukan/${tanggapanDpsV1.formId}`, (p) => p.getByRole('heading', { level: 1, name: tanggapanDpsV1.title.id }));
    await fillForm(resident.page, tanggapanDpsV1, { ...sampleAnswers(tanggapanDpsV1), jenisTanggapan: 'meninggal', nikBersangkutan: SITI.nik, namaBersangkutan: SITI.nama });
    await resident.page.getByRole('button', { name: submitLabel(tanggapanDpsV1).id }).click();
    await resident.page.locator('[data-testid="request-detail"][data-state="sent"]').waitFor({ timeout: 60_000 });
    const residentReceipt = ((await resident.page.getByTestId('receipt-number').textContent()) ?? '').trim();

    // ---- Both phones, at their next pull, learn that a conflict waits for the PPS.
    for (const phone of [a, b]) {
      await toFieldWork(phone.page);
      await expect
        .poll(
          async () => {
            await sync(phone);
            return sitiOn(phone.page).getAttribute('data-state');
          },
          { timeout: 60_000, interval: 2_000 },
        )
        .toBe('conflict');
    }

    // ---- The PPS, on a 360 px phone: the Konflik queue.
    const pps = await officerPhone('pps1');
    const page = pps.page;
    await page.getByRole('link', { name: 'Konflik data pemilih' }).click();
    await page.getByRole('heading', { level: 1, name: 'Konflik data pemilih' }).waitFor();
    await expect.poll(() => page.getByTestId('conflict-count').getAttribute('data-count'), { timeout: 30_000 }).toBe('2');
    const cards = page.getByTestId('conflict');
    expect(await cards.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')))).toEqual(['coklit', 'tanggapan']);
    const coklit = cards.nth(0);
    // Both sides field by field; only outcome and TMS reason differ (B's data was A's but for those).
    const differing = await coklit.locator('[data-differs="true"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-field')));
    expect(differing).toEqual(['hasil', 'alasanTms']);
    expect(await coklit.locator('[data-field="alamat"]').textContent()).toContain(NEW_ADDRESS);
    expect(await coklit.locator('[data-field="hasil"] [data-side="current"]').textContent()).toContain('Ubah');
    expect(await coklit.locator('[data-field="hasil"] [data-side="incoming"]').textContent()).toContain('Tidak memenuhi syarat');
    expect(await coklit.locator('[data-field="alasanTms"] [data-side="incoming"]').textContent()).toContain('Meninggal');
    // Stacked rows: nothing scrolls sideways at 360 px.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    // Every button, link and side to pick is big enough for a finger.
    const small = await smallTargets(page);
    expect(small, formatSmallTargets('Konflik', small)).toEqual([]);
    await shoot(page.locator('main'), 'konflik-antrean-360.png');
    await shoot(coklit, 'konflik-dua-sisi-360.png');

    // The record's history: the upload, A's coklit, B's conflict, the resident's tanggapan with its receipt number.
    await coklit.getByTestId('conflict-history').locator('summary').click();
    const history = coklit.getByTestId('conflict-history').locator('li');
    await expect.poll(() => history.count(), { timeout: 30_000 }).toBe(4);
    expect(await history.evaluateAll((items) => items.map((i) => i.getAttribute('data-kind')))).toEqual(['upload', 'coklit', 'conflict', 'tanggapan']);
    expect(await history.nth(3).textContent()).toContain(residentReceipt);
    await shoot(coklit.getByTestId('conflict-history'), 'konflik-riwayat-360.png');

    // ---- Merge field by field: B's outcome and reason, A's address stays.
    await coklit.locator('[data-field="hasil"] input[value="incoming"]').check();
    await coklit.locator('[data-field="alasanTms"] input[value="incoming"]').check();
    await coklit.getByRole('button', { name: 'Gabungkan sesuai pilihan' }).click();
    await expect.poll(() => page.getByTestId('conflict-resolved').textContent(), { timeout: 30_000 }).toContain('versi 3');
    await expect.poll(() => page.getByTestId('conflict-count').getAttribute('data-count'), { timeout: 30_000 }).toBe('1');
    // The resident's tanggapan now says what the record says; the PPS takes its side (TMS 1 again).
    await page.getByTestId('conflict').first().getByRole('button', { name: 'Pakai data masuk' }).click();
    await expect.poll(() => page.getByTestId('conflict-count').getAttribute('data-count'), { timeout: 30_000 }).toBe('0');
    await shoot(page.locator('main'), 'konflik-selesai-360.png');

    // The record as the server now has it, and the audit log: two decisions by the PPS.
    const pTok = await apiToken(server, 'pps1');
    const list = await (await fetch(`${server.url}/api/v1/voters/list.csv?village=${VILLAGE}&tps=003`, { headers: { authorization: `Bearer ${pTok}` } })).text();
    const sitiLine = list.split('\r\n').find((l) => l.includes(SITI.nik))!;
    expect(sitiLine).toContain(NEW_ADDRESS);
    expect(sitiLine).toMatch(/,tms,1,list,4,/);
    const audit = (await (await fetch(`${server.url}/api/v1/audit?limit=500`, { headers: { authorization: `Bearer ${await apiToken(server, 'admin')}` } })).json()) as {
      entries: { action: string; actorRole: string }[];
    };
    expect(audit.entries.filter((e) => e.action === 'voters.resolve').map((e) => e.actorRole)).toEqual(['pps', 'pps']);

    // ---- Both Pantarlih phones show the decision after their next pull.
    for (const phone of [a, b]) {
      await toFieldWork(phone.page);
      await expect
        .poll(
          async () => {
            await sync(phone);
            return sitiOn(phone.page).getAttribute('data-state');
          },
          { timeout: 60_000, interval: 2_000 },
        )
        .toBe('resolved');
      expect(await phone.page.getByTestId('assignment-progress').getAttribute('data-visited')).toBe('1');
      await sitiOn(phone.page).click();
      await expect.poll(() => phone.page.getByTestId('answer').textContent(), { timeout: 30_000 }).toContain('Konflik diselesaikan PPS');
    }
  });
});
