// A photo from the field to the province (issue 5, "Done when" 2): with no signal a resident
// picks a photo for the tanggapan DPS form from a file input (a JPEG generated here), the page
// downscales it and queues the request; then the signal comes back through the pulau-edge profile.
// The server must hold the request's data first and the photo after, byte-identical (sha256),
// and the phone must show both as done.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { tanggapanDpsV1 } from '../../core/forms/catalog/tanggapan-dps.ts';
import { domId } from '../../src/features/requests/fields/paths.ts';
import { openDatabase } from '../../server/db/open.ts';
import { SQLITE_FILE_NAME } from '../../server/db/sqlite.ts';
import { launchPhone } from '../support/chromium.ts';
import { fillForm, sampleAnswers } from '../support/form-filler.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { storedFile } from '../support/test-kek.ts';
import { startWeakLinkProxy, type WeakLinkProxy } from '../support/weak-link/proxy.ts';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A 3000×2000 phone-like photo (gradients, shapes, sensor noise) as a JPEG at quality 0.92. */
async function makePhoto(page: Page): Promise<Buffer> {
  const b64 = await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.width = 3000;
    canvas.height = 2000;
    const ctx = canvas.getContext('2d')!;
    const sky = ctx.createLinearGradient(0, 0, 0, 2000);
    sky.addColorStop(0, '#3a7bd5');
    sky.addColorStop(1, '#e0c08a');
    ctx.fillStyle = sky;
    ctx.fillRect(0, 0, 3000, 2000);
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 400; i++) {
      ctx.fillStyle = `hsl(${Math.floor(rnd() * 360)}, 60%, ${30 + Math.floor(rnd() * 40)}%)`;
      ctx.fillRect(rnd() * 3000, rnd() * 2000, 20 + rnd() * 200, 20 + rnd() * 200);
    }
    ctx.fillStyle = '#111';
    ctx.font = 'bold 120px sans-serif';
    ctx.fillText('TPS 003 DESA TANJUNG LABU', 200, 1000);
    const img = ctx.getImageData(0, 0, 3000, 2000);
    for (let i = 0; i < img.data.length; i += 4) {
      const n = (rnd() - 0.5) * 24;
      for (let c = i; c < i + 3; c++) img.data[c] = img.data[c]! + n;
    }
    ctx.putImageData(img, 0, 0);
    const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/jpeg', 0.92));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(binary);
  });
  return Buffer.from(b64, 'base64');
}

/** The stored bytes of a file on the phone, read from IndexedDB as they will be sent. */
async function storedBytes(page: Page, sha: string): Promise<Buffer | undefined> {
  const b64 = await page.evaluate(
    (key) =>
      new Promise<string | undefined>((resolve, reject) => {
        const open = indexedDB.open('jangkau');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('attachments').objectStore('attachments').get(key);
          get.onerror = () => reject(get.error);
          get.onsuccess = async () => {
            const row = get.result as { blob?: Blob } | undefined;
            open.result.close();
            if (!row?.blob) return resolve(undefined);
            const bytes = new Uint8Array(await row.blob.arrayBuffer());
            let binary = '';
            for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
            resolve(btoa(binary));
          };
        };
      }),
    sha,
  );
  return b64 === undefined ? undefined : Buffer.from(b64, 'base64');
}

describe('the built service worker', () => {
  it('carries the upload code inline: a classic worker script cannot load the chunk the page loads lazily', () => {
    const sw = readFileSync(new URL('../../dist/sw.js', import.meta.url), 'utf8');
    expect(sw).toContain('tus-resumable');
    expect(sw).toContain('upload-offset');
    expect(sw).not.toMatch(/\bimport\(/);
  });
});

describe.skipIf(!inject('chromium'))('a photo queued offline arrives after its data over pulau-edge', () => {
  let server: ServerProcess;
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

  it('downscales, queues offline, pushes the data, then uploads the photo byte-identical; the phone shows both done', async () => {
    context = await launchPhone(profile);
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(link.url + '/');
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 30_000 });
    const photo = await makePhoto(page);
    expect(photo.length).toBeGreaterThan(500_000);

    await setSignal(false);
    await page.reload();
    await page.getByTestId('connection-state').getByText('Tanpa sinyal').waitFor();
    await page.getByRole('region', { name: tanggapanDpsV1.title.id, exact: true }).getByRole('link', { name: 'Isi formulir' }).click();
    await page.getByRole('heading', { name: tanggapanDpsV1.title.id }).waitFor();

    const { bukti: _sample, ...answers } = sampleAnswers(tanggapanDpsV1);
    await fillForm(page, tanggapanDpsV1, answers);
    const input = page.locator(`#${domId('bukti')}`);
    // Refused beside the field, in words, before anything is stored: a renamed executable, a PDF
    // where the form wants a photo.
    await input.setInputFiles({ name: 'foto.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('MZ\x90\x00 bukan foto') });
    await page.getByText('Foto ini tidak dapat dibaca. Ambil atau pilih foto lain.').waitFor({ timeout: 30_000 });
    await input.setInputFiles({ name: 'ktp.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
    await page.getByText('Jenis berkas ini tidak diterima di isian ini.', { exact: false }).waitFor();
    expect(await page.getByTestId('file-status').getAttribute('data-sha256')).toBeNull();

    await input.setInputFiles({ name: 'IMG_20261128_0930.jpg', mimeType: 'image/jpeg', buffer: photo });
    const status = page.getByTestId('file-status');
    await status.getByText('Terpilih:').waitFor({ timeout: 60_000 });
    // The person sees the preview and the final size, smaller than what the camera gave.
    await page.getByTestId('file-preview').waitFor();
    expect(await status.textContent()).toMatch(/Dikecilkan dari .+ menjadi .+/);
    const sha = (await status.getAttribute('data-sha256')) ?? '';
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    const queuedBytes = await storedBytes(page, sha);
    expect(queuedBytes).toBeDefined();
    expect(sha256(queuedBytes!)).toBe(sha);
    expect(queuedBytes!.length).toBeLessThanOrEqual(300_000);
    expect(queuedBytes!.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    console.log(`photo: ${photo.length} B from the camera → ${queuedBytes!.length} B queued`);

    await page.getByTestId('save-state').getByText('Draf tersimpan').waitFor();
    await page.getByRole('button', { name: 'Kirim tanggapan' }).click();
    const detail = page.getByTestId('request-detail');
    await detail.waitFor();
    expect(await detail.getAttribute('data-state')).toBe('queued');
    const id = ((await page.getByTestId('receipt-number').textContent()) ?? '').replace(/-/g, '');
    const file = page.locator(`[data-testid="attachment"][data-sha256="${sha}"]`);
    expect(await file.getAttribute('data-state')).toBe('waiting');

    // Signal again, at island speed: the online event starts the sync.
    link.setProfile('pulau-edge');
    await setSignal(true);
    await page.locator('[data-testid="request-detail"][data-state="sent"]').waitFor({ timeout: 120_000 });
    await page.locator(`[data-testid="attachment"][data-sha256="${sha}"][data-state="done"]`).waitFor({ timeout: 180_000 });
    const total = page.getByTestId('attachments-total');
    expect(await total.getAttribute('data-done')).toBe('1');
    expect(await total.getAttribute('data-files')).toBe('1');

    // What the province holds: the data, then the photo, byte for byte what the phone queued.
    // Stored sealed (encryption at rest); opened with the test KEK.
    const opened = await openDatabase({ dataDir: server.dataDir });
    const held = await storedFile(opened.db, join(server.dataDir, 'uploads'), sha).finally(() => opened.close());
    expect(sha256(held)).toBe(sha);
    expect(held.equals(queuedBytes!)).toBe(true);
    const db = new Database(join(server.dataDir, SQLITE_FILE_NAME), { readonly: true, fileMustExist: true });
    try {
      const submission = db.prepare('SELECT received_at FROM submissions WHERE id = ?').get(id) as { received_at: string } | undefined;
      const ref = db.prepare('SELECT field, sha256 FROM submission_attachments WHERE submission_id = ?').all(id);
      const arrival = db.prepare('SELECT arrived_at FROM attachment_arrivals WHERE sha256 = ?').get(sha) as { arrived_at: string } | undefined;
      expect(submission).toBeDefined();
      expect(ref).toEqual([{ field: 'bukti', sha256: sha }]);
      expect(arrival).toBeDefined();
      expect(Date.parse(arrival!.arrived_at)).toBeGreaterThan(Date.parse(submission!.received_at));
      expect((db.prepare('SELECT count(*) AS n FROM submissions').get() as { n: number }).n).toBe(1);
    } finally {
      db.close();
    }
    // Done on the phone: the bytes are gone, the preview stays.
    expect(await storedBytes(page, sha)).toBeUndefined();
    await page.reload();
    await page.locator(`[data-testid="attachment"][data-sha256="${sha}"][data-state="done"] img`).waitFor();
  });
});
