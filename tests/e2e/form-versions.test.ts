// Form and SOP versions across levels, in Chromium against the real server: a Pantarlih's phone
// holds the bundled forms; the province publishes ppid-permohonan v2 (CLI) and an SOP (API), and
// the KPI table "Versi formulir" (API and the admin's dashboard, with its CSV) lists the phone as
// behind. The phone syncs: it leaves the table, shows "Apa yang berubah" with the change notes
// (Indonesian first) until closed, and reads the SOP under "SOP & formulir" with the signal gone.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { ppidPermohonanV1 } from '../../core/forms/catalog/ppid-permohonan.ts';
import type { FormDef } from '../../core/forms/definition.ts';
import type { SopDoc } from '../../core/forms/sop.ts';
import Database from 'better-sqlite3';
import { SQLITE_FILE_NAME } from '../../server/db/sqlite.ts';
import { launchPhone } from '../support/chromium.ts';
import { apiToken, createOfficers, logInOnPhone, OFFICER_PIN as PIN } from '../support/officer-accounts.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

const ppidV2: FormDef = {
  ...ppidPermohonanV1,
  version: 2,
  effectiveDate: '2027-01-04',
  changeNotes: { id: 'Kolom instansi pemohon ditambahkan.', en: 'A field for the applicant’s institution was added.' },
  fields: [...ppidPermohonanV1.fields, { name: 'instansi', type: 'text', label: { id: 'Instansi', en: 'Institution' }, maxLength: 100 }],
};

const sop: SopDoc = {
  sopId: 'sop-coklit',
  version: 1,
  title: { id: 'SOP Pencocokan dan Penelitian', en: 'Voter list verification SOP' },
  effectiveDate: '2027-01-04',
  changeNotes: { id: 'Terbitan pertama untuk Pilkada.', en: 'First issue for the regional election.' },
  body: 'Langkah 1: datangi setiap rumah di daftar TPS Anda.\n\nLangkah 2: cocokkan data pemilih dengan KTP-el atau KK.',
};

interface VersionRow {
  username: string;
  item: string;
  version: number;
  current: number;
}

describe.skipIf(!inject('chromium'))('form and SOP versions: the phone syncs, leaves "Versi formulir" and shows what changed', () => {
  let server: ServerProcess;
  let dataDir: string;
  let profile: string;
  let context: BrowserContext | undefined;
  let adminContext: BrowserContext | undefined;
  let adminProfile: string;
  let adminToken: string;

  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}/api/v1/${path}`, { ...init, headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}`, ...init.headers } });

  /** Rows the server keeps for the phone's report, read from its database. */
  function reportedItems(): number {
    const db = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true });
    try {
      return (db.prepare('select count(*) as n from device_versions').get() as { n: number }).n;
    } finally {
      db.close();
    }
  }

  async function behind(): Promise<string[]> {
    const res = await api('kpi/form-versions');
    expect(res.status).toBe(200);
    const { rows } = (await res.json()) as { rows: VersionRow[] };
    return rows.filter((r) => r.username === 'pantarlih1').map((r) => `${r.item}:${r.version}<${r.current}`);
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'jangkau-versions-'));
    profile = await mkdtemp(join(tmpdir(), 'jangkau-versions-phone-'));
    adminProfile = await mkdtemp(join(tmpdir(), 'jangkau-versions-admin-'));
    server = await startServerProcess({ port: 0, dataDir });
    await createOfficers(server, [{ username: 'pantarlih1', role: 'pantarlih', scope: '19.01.01.1001', displayName: 'Uji Pantarlih' }]);
    adminToken = await apiToken(server, 'admin');
  }, 120_000);

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await adminContext?.close().catch(() => undefined);
    await server?.stop();
    for (const dir of [profile, adminProfile, dataDir]) if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('lists the phone as behind after a publication until it syncs, then shows the change notes once', async () => {
    context = await launchPhone(profile);
    const page = context.pages()[0] ?? (await context.newPage());
    await logInOnPhone(page, server.url, 'pantarlih1');

    // Once the phone has synced as the officer, it is on record holding the bundled catalogue, and
    // behind for nothing.
    await page.getByRole('button', { name: 'Kirim sekarang' }).click();
    await expect.poll(reportedItems, { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await behind()).toEqual([]);
    // Nothing to tell yet: the bundled catalogue of a fresh install brings no notice.
    expect(await page.getByTestId('what-changed').count()).toBe(0);

    // The province publishes a form version (between releases, by the CLI) and an SOP (API).
    const file = join(dataDir, 'ppid-permohonan-v2.json');
    await writeFile(file, JSON.stringify(ppidV2));
    await run(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'server', 'cli.ts'), 'publish-form', file], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATA_DIR: dataDir },
    });
    expect((await api('admin/sops', { method: 'POST', body: JSON.stringify(sop) })).status).toBe(201);
    expect(await behind()).toEqual(['ppid-permohonan:1<2', 'sop:sop-coklit:0<1']);

    // The province admin's dashboard shows the phone in "Versi formulir", and the CSV holds it.
    adminContext = await launchPhone(adminProfile);
    const dashboard = adminContext.pages()[0] ?? (await adminContext.newPage());
    await logInOnPhone(dashboard, server.url, 'admin');
    await dashboard.getByRole('link', { name: 'Kinerja layanan' }).click();
    const versions = dashboard.getByTestId('kpi-versions');
    await versions.locator('tbody tr').first().waitFor();
    const rows = await versions.locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [tr.getAttribute('data-key'), ...[...tr.querySelectorAll('td')].slice(2, 5).map((td) => td.textContent)]),
    );
    expect(rows).toEqual([
      ['pantarlih1/ppid-permohonan', 'Permohonan Informasi Publik', '1', '2'],
      ['pantarlih1/sop:sop-coklit', 'SOP: SOP Pencocokan dan Penelitian', 'belum ada', '1'],
    ]);
    const [download] = await Promise.all([dashboard.waitForEvent('download'), dashboard.getByTestId('kpi-versions-csv').click()]);
    const csv = (await readFile((await download.path()) as string, 'utf8')).trimEnd().split('\r\n');
    expect(csv).toHaveLength(3);
    expect(csv[1]).toContain(',form,ppid-permohonan,Permohonan Informasi Publik,1,2,');

    // The phone syncs: it fetches both and reports them in the same sync.
    await page.getByRole('button', { name: 'Kirim sekarang' }).click();
    await expect.poll(behind, { timeout: 30_000 }).toEqual([]);
    await dashboard.reload();
    await dashboard.getByLabel('PIN (6 angka)').fill(PIN);
    await dashboard.getByRole('button', { name: 'Buka' }).click();
    await dashboard.getByTestId('kpi-versions').getByText('Semua perangkat petugas memakai versi terbaru.').waitFor();

    const notice = page.getByTestId('what-changed');
    await notice.waitFor();
    await expect.poll(() => notice.locator('li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-key')))).toEqual(['sop:sop-coklit', 'ppid-permohonan']);
    const text = await notice.innerText();
    expect(text).toContain('Apa yang berubah');
    expect(text.indexOf('Kolom instansi pemohon ditambahkan.')).toBeGreaterThan(-1);
    // Indonesian first, the English beneath it.
    expect(text.indexOf('Kolom instansi pemohon ditambahkan.')).toBeLessThan(text.indexOf('A field for the applicant’s institution was added.'));
    expect(text).toContain('berlaku sejak 4 Januari 2027');
    await page.getByTestId('what-changed-close').click();
    await notice.waitFor({ state: 'detached' });
    // Closed for good: a reload does not bring it back.
    await page.reload();
    await page.getByLabel('PIN (6 angka)').or(page.getByTestId('officer-account')).first().waitFor();
    if (await page.getByLabel('PIN (6 angka)').count()) {
      await page.getByLabel('PIN (6 angka)').fill(PIN);
      await page.getByRole('button', { name: 'Buka' }).click();
    }
    await page.getByTestId('officer-account').waitFor();
    expect(await page.getByTestId('what-changed').count()).toBe(0);

    // The SOP reads without signal.
    await context.setOffline(true);
    await page.getByRole('link', { name: 'SOP & formulir' }).click();
    const list = page.getByTestId('sop-list');
    await list.getByRole('heading', { name: 'SOP Pencocokan dan Penelitian' }).waitFor();
    await list.getByText('Baca SOP').click();
    await list.getByText('Langkah 2: cocokkan data pemilih dengan KTP-el atau KK.').waitFor();
    await page.getByTestId('form-list').locator('[data-key="ppid-permohonan"]').getByText('Versi 2').waitFor();
  });
});
