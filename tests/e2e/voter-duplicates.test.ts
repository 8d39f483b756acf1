// Pemilih ganda and the coklit recap in Chromium against a real server process (issue #13). The
// voter lists of two villages in two districts are uploaded, one person planted on both ("H.
// Muhammad Yusuf" in Sungailiat, "Moch. Yoesoef" in Kuto Panji, same birth date). The province
// admin starts the search from the Pemilih ganda screen and sees the pair with its score; the recap
// shows it open at both TPS. The PPS of Kuto Panji sees the two records side by side, can mark only
// the record of their own village, and marks it ganda: it becomes TMS kode 2, the pair is not asked
// again (the screen, and a second decision answered 409), the decision is in the audit log, and the
// admin's recap (drilled down province → regency → district → village → TPS), its CSV and the TPS's
// updated list all reflect it.
// VOTER_SCREENSHOTS=docs/voter-list also saves both screens at 360 px (docs/voter-list/*.png).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { domId } from '../../src/features/requests/fields/paths.ts';
import { launchPhone } from '../support/chromium.ts';
import { apiToken, createOfficers, logInOnPhone } from '../support/officer-accounts.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SUNGAILIAT = '19.01.01.1001';
const KUTO_PANJI = '19.01.02.1001';
const HEADER = 'desa,tps,nik,kk,nama,jenisKelamin,tempatLahir,tanggalLahir,alamat,rt,rw';
const LIST_A = [
  HEADER,
  `${SUNGAILIAT},001,1901021708650003,1901020101200002,H. Muhammad Yusuf,L,Sungailiat,1965-08-17,Jl. Pelabuhan 4,002,001`,
  `${SUNGAILIAT},001,1901024501900002,1901020101200002,Siti Aminah,P,Sungailiat,1990-01-05,Jl. Pelabuhan 4,002,001`,
].join('\n');
const LIST_B = [
  HEADER,
  `${KUTO_PANJI},002,1901011708650004,1901010101200003,Moch. Yoesoef,L,Belinyu,1965-08-17,Jl. Mawar 7,001,003`,
  `${KUTO_PANJI},002,1901021203700005,1901010101200004,Bambang Irawan,L,Belinyu,1970-03-12,Jl. Mawar 9,001,003`,
].join('\n');

describe.skipIf(!inject('chromium'))('pemilih ganda across two villages: found, decided by the PPS, in the recap', () => {
  let server: ServerProcess;
  let adminToken: string;
  const profiles: string[] = [];
  const contexts: BrowserContext[] = [];

  async function api(method: string, path: string, body?: string, type = 'application/json'): Promise<Response> {
    return fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, ...(body !== undefined ? { 'content-type': type } : {}) },
      ...(body !== undefined ? { body } : {}),
    });
  }

  beforeAll(async () => {
    // A loaded machine can take longer than the default to start the server.
    server = await startServerProcess({ port: 0, startTimeoutMs: 240_000 });
    await createOfficers(server, [
      { username: 'pps-kutopanji', role: 'pps', scope: KUTO_PANJI, displayName: 'Uji PPS Kuto Panji' },
      { username: 'pantarlih-kutopanji', role: 'pantarlih', scope: KUTO_PANJI, displayName: 'Uji Pantarlih Kuto Panji' },
    ]);
    adminToken = await apiToken(server, 'admin');
    for (const list of [LIST_A, LIST_B]) {
      const res = await api('POST', '/assignments', list, 'text/csv');
      expect(res.status, await res.text()).toBe(200);
    }
  }, 420_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await server?.stop();
    for (const p of profiles) await rm(p, { recursive: true, force: true });
  });

  async function phoneOf(username: string): Promise<Page> {
    const profile = await mkdtemp(join(tmpdir(), 'jangkau-ganda-'));
    profiles.push(profile);
    const context = await launchPhone(profile);
    contexts.push(context);
    const page = context.pages()[0] ?? (await context.newPage());
    await logInOnPhone(page, server.url, username);
    return page;
  }

  it('on the phone, offline: a new voter whose NIK is on the downloaded list is flagged at once', async () => {
    const page = await phoneOf('pantarlih-kutopanji');
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 30_000 });
    await page.evaluate(() => (window.location.hash = '#/petugas/lapangan'));
    await page.getByRole('button', { name: 'Unduh daftar pemilih' }).click();
    // The download waits on the server (seconds on a loaded machine): poll past expect.poll's 1 s default.
    await expect.poll(() => page.getByTestId('assignment-notice').textContent(), { timeout: 60_000 }).toContain('2 pemilih dari 1 TPS');
    await page.context().setOffline(true);
    await page.locator('[data-form="coklit-pilkada"]').getByRole('link', { name: /^Isi baru/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Coklit Pemilih (Pilkada)' }).waitFor();
    await page.getByLabel('Pemilih baru').check();
    const nik = page.locator(`[id="${domId('nik')}"]`);
    const warning = page.getByText('NIK ini sudah ada di daftar pemilih TPS 2 yang Anda unduh: mungkin pemilih ganda.', { exact: false });
    // Bambang Irawan is on Kuto Panji's list (TPS 002); Siti Aminah is on another village's list, not downloaded here.
    await nik.fill('1901021203700005');
    await warning.waitFor();
    await nik.fill('1901024501900002');
    await warning.waitFor({ state: 'detached' });
    await page.context().setOffline(false);
  });

  async function shot(page: Page, name: string): Promise<void> {
    const dir = process.env.VOTER_SCREENSHOTS;
    if (dir) await page.screenshot({ path: join(REPO_ROOT, dir, name), fullPage: true });
  }

  /** The recap table's row `key` as [header, ...figures] by column head. */
  async function recapRow(page: Page, key: string): Promise<Record<string, string>> {
    const table = page.getByTestId('recap-table');
    const row = table.locator(`tbody tr[data-key="${key}"]`);
    await row.waitFor();
    const heads = await table.locator('thead th').allTextContents();
    const cells = await row.locator('th, td').allTextContents();
    return Object.fromEntries(heads.map((h, i) => [h, cells[i] ?? '']));
  }

  it('the province finds the pair, the PPS marks their record ganda once, the recap follows', async () => {
    // The province admin starts the search from the screen and sees the pair with its score.
    const admin = await phoneOf('admin');
    await admin.getByRole('link', { name: 'Pemilih ganda' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Pemilih ganda' }).waitFor();
    await admin.getByText('Tidak ada pasangan di sini.').waitFor();
    await admin.getByRole('button', { name: 'Cari pemilih ganda di seluruh provinsi' }).click();
    await admin.getByText('Pencarian selesai: 1 pasangan cocok, 1 baru dibuka').waitFor();
    const found = admin.getByTestId('duplicate-pair');
    await found.waitFor();
    const listed = (await (await api('GET', '/voters/duplicates')).json()) as { pairs: { id: string; score: number; a: { desa: string; key: string }; b: { desa: string; key: string } }[] };
    expect(listed.pairs).toHaveLength(1);
    const pair = listed.pairs[0]!;
    expect([pair.a.desa, pair.b.desa].sort()).toEqual([SUNGAILIAT, KUTO_PANJI]);
    await expect(found.getByTestId('pair-score').textContent()).resolves.toBe(`Skor ${pair.score}`);
    await found.getByText('Nama dan tanggal lahir sama').waitFor();

    // The recap before the decision: the pair is open at both TPS, nobody is TMS yet.
    await admin.goto(`${server.url}/#/petugas/rekap/${KUTO_PANJI}`);
    expect(await recapRow(admin, `${KUTO_PANJI}/002`)).toMatchObject({ TPS: 'TPS 002', Terdaftar: '2', TMS: '0', 'TMS 2': '0', 'Ganda terbuka': '1' });

    // The PPS of Kuto Panji: both records side by side; only their own can be marked.
    const pps = await phoneOf('pps-kutopanji');
    await pps.getByRole('link', { name: 'Pemilih ganda' }).click();
    const card = pps.getByTestId('duplicate-pair');
    await card.waitFor();
    await pps.getByText('Belum diputuskan: 1 pasangan.').waitFor();
    const compared = await card.locator('tbody').evaluateAll((groups) => groups.map((g) => [g.getAttribute('data-field'), g.className, ...[...g.querySelectorAll('td')].map((c) => c.textContent ?? '')]));
    const byField = Object.fromEntries(compared.map(([f, how, a, b]) => [f, [how, a, b]]));
    expect(byField['nama']).toEqual(['pair-differs', ...(pair.a.desa === SUNGAILIAT ? ['H. Muhammad Yusuf', 'Moch. Yoesoef'] : ['Moch. Yoesoef', 'H. Muhammad Yusuf'])]);
    expect(byField['tanggalLahir']).toEqual(['pair-same', '1965-08-17', '1965-08-17']);
    const mine = pair.a.desa === KUTO_PANJI ? pair.a : pair.b;
    const theirs = mine === pair.a ? pair.b : pair.a;
    const choice = card.getByLabel('Catatan yang ditandai TMS ganda (kode 2)');
    await expect(choice.inputValue()).resolves.toBe(mine.key);
    expect(await choice.locator(`option[value="${theirs.key}"]`).isDisabled()).toBe(true);
    await shot(pps, 'pemilih-ganda-360.png');
    await card.getByRole('button', { name: 'Ganda: tandai TMS' }).click();
    await pps.getByText(/^Diputuskan ganda: catatan [AB] menjadi TMS ganda\.$/).waitFor();
    await expect(card.count()).resolves.toBe(0);

    // Never asked twice: not on the screen when opened again, answered 409 by the server, shown as decided.
    await pps.getByRole('link', { name: 'Kembali ke halaman petugas' }).click();
    await pps.getByRole('link', { name: 'Pemilih ganda' }).click();
    await pps.getByText('Belum diputuskan: 0 pasangan.').waitFor();
    await pps.getByText('Tidak ada pasangan di sini.').waitFor();
    const again = await api('POST', `/voters/duplicates/${pair.id}/decision`, JSON.stringify({ keputusan: 'bukan_ganda' }));
    expect(again.status).toBe(409);
    await pps.getByLabel('Tampilkan').selectOption('ganda');
    await pps.getByTestId('pair-decided').waitFor();
    await expect(pps.getByTestId('pair-decided').textContent()).resolves.toMatch(/^TMS ganda: catatan [AB]$/);
    // Audited: who decided which pair, and how.
    const audit = (await (await api('GET', '/audit?limit=500')).json()) as { entries: { action: string; subject: string; actorRole: string; detail: Record<string, unknown> }[] };
    expect(audit.entries.filter((e) => e.action === 'duplicates.decide').map((e) => [e.subject, e.actorRole, e.detail.decision])).toEqual([[pair.id, 'pps', 'ganda']]);

    // The recap, drilled down from the province: Moch. Yoesoef is TMS kode 2, no pair is open.
    await admin.goto(`${server.url}/#/petugas/rekap`);
    await admin.getByTestId('recap-scope').getByText('Prov. Kepulauan Bangka Belitung (19)').waitFor();
    expect(await recapRow(admin, 'total')).toMatchObject({ Terdaftar: '4', TMS: '1', 'TMS 2': '1', L: '3', P: '1', 'Ganda terbuka': '0' });
    for (const step of ['Kabupaten Bangka (19.01)', 'Belinyu (19.01.02)', 'Kuto Panji (19.01.02.1001)']) {
      await admin.getByTestId('recap-table').getByRole('link', { name: step }).click();
      await admin.getByTestId('recap-scope').getByText(step).waitFor();
    }
    expect(await recapRow(admin, `${KUTO_PANJI}/002`)).toMatchObject({ Terdaftar: '2', TMS: '1', 'TMS 2': '1', 'Ganda terbuka': '0' });
    await shot(admin, 'rekap-coklit-360.png');
    // Scrolled sideways to the TMS columns: the header row and the TPS column stay in view.
    await admin.getByTestId('recap-table').evaluate((region) => {
      const th = [...region.querySelectorAll('thead th')].find((h) => h.textContent === 'TMS 2') as HTMLElement;
      region.scrollLeft = th.offsetLeft - (region.querySelector('thead th') as HTMLElement).offsetWidth;
    });
    await shot(admin, 'rekap-coklit-360-geser.png');
    // On paper: the table without the buttons and links.
    await admin.emulateMedia({ media: 'print' });
    expect(await admin.getByTestId('recap-csv').isVisible()).toBe(false);
    expect(await admin.getByTestId('recap-table').isVisible()).toBe(true);
    await admin.emulateMedia({ media: 'screen' });
    // One step up goes back to the district.
    await admin.getByTestId('recap-up').click();
    await admin.getByTestId('recap-scope').getByText('Belinyu (19.01.02)').waitFor();
    await admin.goBack();
    await admin.getByTestId('recap-scope').getByText('Kuto Panji (19.01.02.1001)').waitFor();

    // The recap's CSV is the server's, with the same figures; the TPS's updated list holds the outcome.
    const [recapFile] = await Promise.all([admin.waitForEvent('download'), admin.getByTestId('recap-csv').click()]);
    expect(recapFile.suggestedFilename()).toBe(`rekap-coklit-${KUTO_PANJI}-tps.csv`);
    const recapCsv = (await readFile((await recapFile.path()) as string, 'utf8')).trimEnd().split(/\r?\n/).map((l) => l.split(','));
    const head = recapCsv[0]!;
    const tpsLine = recapCsv.find((l) => l[0] === `${KUTO_PANJI}/002`)!;
    expect([tpsLine[head.indexOf('terdaftar')], tpsLine[head.indexOf('tms_2')], tpsLine[head.indexOf('ganda_terbuka')]]).toEqual(['2', '1', '0']);
    const [listFile] = await Promise.all([admin.waitForEvent('download'), admin.getByTestId('recap-list-002').click()]);
    expect(listFile.suggestedFilename()).toBe(`daftar-${KUTO_PANJI}-002.csv`);
    const list = (await readFile((await listFile.path()) as string, 'utf8')).trimEnd().split(/\r?\n/).map((l) => l.split(','));
    const cols = list[0]!;
    expect(cols.slice(0, 11)).toEqual(HEADER.split(','));
    const yusuf = list.find((l) => l[cols.indexOf('nama')] === 'Moch. Yoesoef')!;
    expect([yusuf[cols.indexOf('hasil')], yusuf[cols.indexOf('kode_tms')]]).toEqual(['tms', '2']);
    const bambang = list.find((l) => l[cols.indexOf('nama')] === 'Bambang Irawan')!;
    expect(bambang[cols.indexOf('hasil')]).toBe('belum');
  });
});
