// The safety copy across two phones through the real screens (issue 5, "Done when" 4): phone A
// queues requests with no signal (one through the form, the rest as a backlog) and saves a
// safety copy with "Simpan cadangan"; the downloaded file moves to phone B, which opens it with
// "Buka cadangan" — a wrong passphrase first (refused in words beside the field, nothing written),
// then a file that is no safety copy, then the right passphrase — and syncs through the weak link;
// then A syncs too. The province holds each request exactly once.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ppidPermohonanV1 } from '../../core/forms/catalog/ppid-permohonan.ts';
import type { OutboxRow, ReceiptRow } from '../../src/db/schema.ts';
import { fillForm, sampleAnswers } from '../support/form-filler.ts';
import { closeLinkedPhones, openLinkedPhone, setSignal, type LinkedPhone } from '../support/linked-phone.ts';
import { queuedRows, readStore, writeRows } from '../support/phone-rows.ts';
import { countSubmissions } from '../support/server-db.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';

const PASS = 'Pangkalpinang, 28 Nov: kotak suara 12';
const WRONG = 'Pangkalpinang, 28 Nov: kotak suara 21';

describe.skipIf(!inject('chromium'))('safety copy between two phones, through the screens', () => {
  let server: ServerProcess;
  let work: string;
  const phones: LinkedPhone[] = [];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'jangkau-files-'));
    server = await startServerProcess({ port: 0 });
  });

  afterAll(async () => {
    await closeLinkedPhones(phones);
    await server?.stop();
    await rm(work, { recursive: true, force: true });
  });

  /** A phone with its own link to the province and its own Chromium profile, the worker installed. */
  const phone = () => openLinkedPhone(server.port, phones, '/#/permohonan', (page) => page.getByRole('heading', { name: 'Permohonan saya' }));

  async function openRequests(page: Page): Promise<void> {
    await page.getByRole('navigation').getByRole('link', { name: 'Permohonan saya' }).click();
    await page.getByRole('heading', { name: 'Permohonan saya' }).waitFor();
  }

  /** "Buka cadangan": choose the file, type the passphrase, press "Buka". */
  async function openCopy(page: Page, path: string, passphrase: string): Promise<void> {
    await page.getByLabel('Berkas cadangan').setInputFiles(path);
    await page.getByLabel('Kata sandi cadangan').fill(passphrase);
    await page.getByRole('button', { name: 'Buka', exact: true }).click();
  }

  /** The error shown beside a field, checked to be the one its control points at. */
  async function errorBeside(page: Page, label: string): Promise<string> {
    const control = page.getByLabel(label);
    await page.locator('main .field .error').first().waitFor();
    expect(await control.getAttribute('aria-invalid')).toBe('true');
    const ids = ((await control.getAttribute('aria-describedby')) ?? '').split(/\s+/);
    const errorId = ids.find((id) => id.endsWith('-error'));
    expect(errorId).toBeTruthy();
    return (await page.locator(`#${errorId}`).textContent()) ?? '';
  }

  async function waitSent(page: Page, ids: readonly string[]): Promise<void> {
    for (const id of ids) await page.locator(`[data-receipt="${id}"][data-state="sent"]`).waitFor({ timeout: 90_000 });
  }

  it('save on A → open on B (wrong passphrase and wrong file refused) → both sync: each request stored once', async () => {
    // Phone A, no signal: one request filed through the form, two more already waiting.
    const a = await phone();
    await setSignal(a, false);
    const backlog = queuedRows(() => sampleAnswers(ppidPermohonanV1), 0, 2, Date.now() - 60_000);
    await writeRows(a.page, backlog);
    await a.page.goto(a.link.url + `/#/ajukan/${ppidPermohonanV1.formId}`);
    await a.page.getByRole('heading', { name: ppidPermohonanV1.title.id }).waitFor();
    await fillForm(a.page, ppidPermohonanV1, sampleAnswers(ppidPermohonanV1));
    await a.page.getByRole('button', { name: 'Kirim permohonan' }).click();
    await a.page.getByTestId('request-detail').waitFor();
    const ids = (await readStore<OutboxRow>(a.page, 'outbox')).map((r) => r.id).sort();
    expect(ids).toHaveLength(3);

    // "Simpan cadangan" from the requests list: what it will hold, and the passphrase rules.
    await openRequests(a.page);
    await a.page.getByRole('link', { name: 'Simpan cadangan' }).click();
    await a.page.getByRole('heading', { name: 'Simpan cadangan' }).waitFor();
    expect(await a.page.getByTestId('backup-estimate').textContent()).toMatch(/^3 permohonan belum terkirim, sekitar \d+ KB\.$/);
    await a.page.getByText('Kata sandi tidak dapat dipulihkan').waitFor();
    const save = a.page.getByRole('button', { name: 'Simpan', exact: true });
    await a.page.getByLabel('Kata sandi cadangan').fill('pendek');
    await a.page.getByLabel('Ulangi kata sandi').fill('pendek');
    await save.click();
    expect(await errorBeside(a.page, 'Kata sandi cadangan')).toBe('Kata sandi minimal 8 karakter.');
    await a.page.getByLabel('Kata sandi cadangan').fill(PASS);
    await a.page.getByLabel('Ulangi kata sandi').fill(WRONG);
    await save.click();
    expect(await errorBeside(a.page, 'Ulangi kata sandi')).toBe('Kata sandi tidak sama.');
    await a.page.getByLabel('Ulangi kata sandi').fill(PASS);
    const t0 = Date.now();
    const [download] = await Promise.all([a.page.waitForEvent('download'), save.click()]);
    expect(download.suggestedFilename()).toMatch(/^jangkau-cadangan-\d{8}-\d{4}\.jangkau$/);
    const path = join(work, download.suggestedFilename());
    await download.saveAs(path);
    const saved = await a.page.getByTestId('backup-saved').textContent();
    expect(saved).toContain(`3 permohonan disimpan ke berkas ${download.suggestedFilename()}`);
    expect(saved).toContain('permohonan tetap dalam antrean di ponsel ini');
    const file = await readFile(path);
    expect(file.subarray(0, 16).toString('ascii')).toBe('JANGKAU-CADANGAN');
    // Nobody's data is readable in the file without the passphrase.
    for (const id of ids) expect(file.includes(Buffer.from(id))).toBe(false);
    console.log(`phone A: saved ${ids.length} queued requests through the screen, file ${file.length} B, ${Date.now() - t0} ms to the download`);
    expect(await readStore<OutboxRow>(a.page, 'outbox')).toHaveLength(3);
    expect(countSubmissions(server.dataDir)).toBe(0);

    // Phone B, a new phone: nothing queued, so only "Buka cadangan" is offered.
    const b = await phone();
    await b.page.getByTestId('safety-copy-links').waitFor();
    expect(await b.page.getByRole('link', { name: 'Simpan cadangan' }).count()).toBe(0);
    await b.page.getByRole('link', { name: 'Buka cadangan' }).click();
    await b.page.getByRole('heading', { name: 'Buka cadangan' }).waitFor();

    // A wrong passphrase: refused beside the passphrase, nothing written.
    await openCopy(b.page, path, WRONG);
    expect(await errorBeside(b.page, 'Kata sandi cadangan')).toBe('Kata sandi salah. Berkas tidak dibuka; coba lagi.');
    expect(await readStore<OutboxRow>(b.page, 'outbox')).toEqual([]);
    expect(await readStore<ReceiptRow>(b.page, 'receipts')).toEqual([]);

    // A photo picked by mistake: refused beside the file.
    const photo = join(work, 'foto.jpg');
    await writeFile(photo, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]));
    await openCopy(b.page, photo, PASS);
    expect(await errorBeside(b.page, 'Berkas cadangan')).toBe('Berkas ini bukan cadangan Jangkau.');
    expect(await readStore<OutboxRow>(b.page, 'outbox')).toEqual([]);

    // The right passphrase, over pulau-edge: all three queued under their own ids, and the sync
    // the screen asks for delivers them.
    b.link.setProfile('pulau-edge');
    b.link.resetStats();
    const syncB = Date.now();
    await openCopy(b.page, path, PASS);
    expect(await b.page.getByTestId('backup-imported').textContent()).toContain('3 permohonan dimasukkan ke antrean.');
    expect((await readStore<ReceiptRow>(b.page, 'receipts')).map((r) => r.id).sort()).toEqual(ids);
    // Again: nothing doubles, and the screen says so.
    await openCopy(b.page, path, PASS);
    await b.page.getByTestId('backup-imported').getByText('3 sudah ada di ponsel ini.').waitFor();
    expect(await b.page.getByTestId('backup-imported').textContent()).toContain('0 permohonan dimasukkan ke antrean.');
    await b.page.getByTestId('backup-imported').getByRole('link', { name: 'Permohonan saya' }).click();
    await waitSent(b.page, ids);
    const afterB = countSubmissions(server.dataDir);
    const linkB = b.link.stats();
    console.log(
      `phone B: opened the copy and synced over pulau-edge in ${Date.now() - syncB} ms (${linkB.requests} requests, ${linkB.bytesUp} B up, ${linkB.bytesDown} B down): server holds ${afterB}`,
    );
    expect(afterB).toBe(3);
    for (const id of ids) expect(countSubmissions(server.dataDir, id)).toBe(1);

    // A gets signal back and sends its own copies: the server answers "duplicate", still once each.
    a.link.setProfile('pulau-edge');
    await setSignal(a, true);
    await openRequests(a.page);
    const syncA = Date.now();
    await a.page.getByRole('button', { name: 'Kirim sekarang' }).click();
    await waitSent(a.page, ids);
    const afterA = countSubmissions(server.dataDir);
    console.log(`phone A synced over pulau-edge in ${Date.now() - syncA} ms: server holds ${afterA}`);
    expect(afterA).toBe(3);
    for (const id of ids) expect(countSubmissions(server.dataDir, id)).toBe(1);
    expect(await readStore<OutboxRow>(a.page, 'outbox')).toEqual([]);
  });
});
