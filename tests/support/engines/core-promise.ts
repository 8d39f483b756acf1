// The core promise, engine-neutral (driver.ts): open online, lose the signal, start from the
// service worker, file the PPID request, see it queued with what this engine lacks said in words,
// save a safety copy, downscale a photo, close and reopen, signal back, exactly one copy on the
// server. Written once (describeCorePromise); tests/e2e/engine-webkit.test.ts and
// engine-gecko.test.ts run it.
import 'fake-indexeddb/auto';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FormDef } from '../../../core/forms/definition.ts';
import { ppidPermohonanV1 } from '../../../core/forms/catalog/ppid-permohonan.ts';
import { pengaduanV1 } from '../../../core/forms/catalog/pengaduan.ts';
import { domId } from '../../../src/features/requests/fields/paths.ts';
import { JangkauDb } from '../../../src/db/schema.ts';
import { importSafetyCopy } from '../../../src/lib/safety-copy.ts';
import { sampleAnswers } from '../form-filler.ts';
import { countSubmissions } from '../server-db.ts';
import { startServerProcess, type ServerProcess } from '../server-process.ts';
import { startWeakLinkProxy, type WeakLinkProxy } from '../weak-link/proxy.ts';
import { byText, textOf, waitInPage, type EngineDriver } from './driver.ts';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const PASS = 'Pulau Lepar, 7 Des: kotak suara 4';

const heading = (driver: EngineDriver, text: string) =>
  waitInPage(driver, `heading "${text}"`, `(text) => [...document.querySelectorAll('h1')].some((h) => (h.textContent || '').includes(text))`, [text]);

/** Types the answers into the form the way a person would, for the field types the PPID form has. */
async function fillForm(driver: EngineDriver, form: FormDef, answers: Record<string, unknown>): Promise<void> {
  for (const field of form.fields) {
    const value = answers[field.name];
    if (value === undefined) continue;
    const id = domId(field.name);
    if (field.type === 'choice' || field.type === 'yesno') {
      const radio = `[id="${id}-${String(value)}"]`;
      if (await driver.run<boolean>(`(css) => !!document.querySelector(css)`, radio)) {
        await driver.click(radio);
      } else {
        // A drop-down: WebDriver has no "select" command; the change event is what React reads.
        await driver.run(
          `(id, value) => { const s = document.getElementById(id); s.value = value; s.dispatchEvent(new Event('change', { bubbles: true })); }`,
          id,
          String(value),
        );
      }
    } else if (typeof value === 'string') {
      await driver.type(`[id="${id}"]`, value);
    } else {
      throw new Error(`the engine suite's filler has no way to fill a ${field.type} field`);
    }
  }
}

export interface Province {
  link: WeakLinkProxy;
  dataDir: string;
}

/** First visit online: the app loads and its worker takes control. */
export async function openOnline(driver: EngineDriver, { link }: Province): Promise<void> {
  link.setOnline(true);
  await driver.goto(link.url + '/');
  await heading(driver, 'Pilih layanan');
  // The first visit's worker controls the page only after a reload in some engines.
  const controlled = await waitInPage(driver, 'the worker active', `() => navigator.serviceWorker.ready.then((r) => !!r.active)`).then(() =>
    driver.run<boolean>(`() => navigator.serviceWorker.controller !== null`),
  );
  if (!controlled) await driver.reload();
  await waitInPage(driver, 'the worker in control', `() => navigator.serviceWorker.controller !== null`);
}

/** No signal, reload: the app starts from the service worker's cache. */
export async function reloadOffline(driver: EngineDriver, { link }: Province): Promise<void> {
  link.setOnline(false);
  await driver.reload();
  await heading(driver, 'Pilih layanan');
  expect(await driver.run<boolean>(`() => navigator.serviceWorker.controller !== null`)).toBe(true);
}

/** Fills and sends the PPID request; returns its receipt id once the screen says it is queued. */
export async function fileRequestOffline(driver: EngineDriver, province: Province): Promise<string> {
  await driver.goto(`${province.link.url}/#/ajukan/${ppidPermohonanV1.formId}`);
  await heading(driver, ppidPermohonanV1.title.id);
  await fillForm(driver, ppidPermohonanV1, sampleAnswers(ppidPermohonanV1));
  await waitInPage(driver, '"Draf tersimpan"', `() => (document.querySelector('[data-testid="save-state"]')?.textContent || '').includes('Draf tersimpan')`);
  await driver.click(await byText(driver, 'button', 'Kirim permohonan'));
  await waitInPage(driver, 'the request queued', `() => document.querySelector('[data-testid="request-detail"]')?.getAttribute('data-state') === 'queued'`);
  const id = (await textOf(driver, '[data-testid="receipt-number"]')).replace(/[^0-9A-Z]/g, '');
  expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  expect(await textOf(driver, '[data-testid="waiting-count"]')).toBe('1 menunggu dikirim');
  // navigator.onLine stays true with the link cut; the failed sync says it instead.
  await waitInPage(driver, '"Tanpa sinyal"', `() => document.querySelector('[data-testid="connection-state"]')?.textContent === 'Tanpa sinyal'`);
  expect(countSubmissions(province.dataDir)).toBe(0);
  return id;
}

/**
 * What the queued screen says in an engine without Background Sync and without kept storage:
 * open Jangkau again, the QR path, the storage warning once (dismissed, it stays gone), and the
 * home-screen steps where navigator.standalone says iOS Safari.
 */
export async function checkGapNotices(driver: EngineDriver, province: Province, id: string): Promise<void> {
  expect(await driver.run<boolean>(`() => 'sync' in ServiceWorkerRegistration.prototype`)).toBe(false);
  expect(await textOf(driver, '[data-testid="queued-body"]')).toContain('Buka Jangkau lagi saat ada sinyal');
  expect(await textOf(driver, '[data-testid="queued-body"]')).not.toContain('otomatis');
  expect(await textOf(driver, '[data-testid="handoff-hint"]')).toMatch(/QR.*SMS/);
  expect(await driver.run<boolean>(`(id) => !!document.querySelector('a[href="#/permohonan/' + id + '/serahkan"]')`, id)).toBe(true);
  // Not an iPhone: no home-screen steps.
  expect(await driver.run<boolean>(`() => !!document.querySelector('[data-testid="home-screen-hint"]')`)).toBe(false);

  // WebKitGTK has no navigator.storage.persist; Firefox is answered "no" (gecko.ts): said once.
  expect(await textOf(driver, '[data-testid="storage-at-risk"]')).toContain('Simpan cadangan');
  await driver.click(await byText(driver, '[data-testid="storage-at-risk"] button', 'Mengerti'));
  await waitInPage(driver, 'the storage warning gone', `() => !document.querySelector('[data-testid="storage-at-risk"]')`);

  // iOS Safari's shape: navigator.standalone defined and false. Open the request again.
  await driver.run(`() => void Object.defineProperty(Navigator.prototype, 'standalone', { value: false, configurable: true })`);
  await driver.goto(`${province.link.url}/#/permohonan`);
  await heading(driver, 'Permohonan saya');
  await driver.goto(`${province.link.url}/#/permohonan/${id}`);
  const hint = await textOf(driver, '[data-testid="home-screen-hint"]');
  expect(hint).toContain('Bagikan');
  expect(hint).toContain('Tambahkan ke Layar Utama');
  expect(hint).toContain('antrean');
  // The storage warning, dismissed once, does not come back.
  expect(await driver.run<boolean>(`() => !!document.querySelector('[data-testid="storage-at-risk"]')`)).toBe(false);
  await driver.run(`() => void delete Navigator.prototype.standalone`);
}

/** "Simpan cadangan" in this engine; the file it makes opens on another phone (here: in Node). */
export async function saveSafetyCopy(driver: EngineDriver, province: Province, id: string): Promise<void> {
  await driver.goto(`${province.link.url}/#/cadangan/simpan`);
  await heading(driver, 'Simpan cadangan');
  // Keep the file the page hands to the downloads, to carry it to the other phone.
  await driver.run(`() => {
    const make = URL.createObjectURL;
    URL.createObjectURL = function (blob) { window.__copy = blob; return make.call(URL, blob); };
  }`);
  await driver.type('#backup-pass', PASS);
  await driver.type('#backup-pass-again', PASS);
  await driver.click('form button[type="submit"]');
  expect(await textOf(driver, '[data-testid="backup-saved"]', 120_000)).toContain('1 permohonan disimpan');
  const base64 = await driver.run<string>(`() => new Promise((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(',')[1]);
    reader.readAsDataURL(window.__copy);
  })`);
  const other = new JangkauDb(`engine-copy-${driver.engine}-${id}`);
  try {
    const result = await importSafetyCopy(other, new Blob([Buffer.from(base64, 'base64')]), PASS);
    expect(result).toEqual({ ok: true, imported: 1, skipped: 0 });
    expect((await other.outbox.get(id))?.state).toBe('queued');
  } finally {
    other.close();
    await other.delete();
  }
}

/** Makes a 12-megapixel JPEG with grain in the page, kept as window.__photo; returns its size. */
const MAKE_PHOTO = `async () => {
  const canvas = document.createElement('canvas');
  canvas.width = 4000;
  canvas.height = 3000;
  const ctx = canvas.getContext('2d');
  const g = ctx.createLinearGradient(0, 0, 4000, 3000);
  g.addColorStop(0, '#6fa8dc');
  g.addColorStop(1, '#e6d3a3');
  ctx.fillStyle = g;
  ctx.fillRect(0, 0, 4000, 3000);
  // Seeded grain, so JPEG cannot make the original small.
  const data = ctx.getImageData(0, 0, 4000, 3000);
  let seed = 7;
  for (let i = 0; i < data.data.length; i += 4) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const n = (seed / 4294967296 - 0.5) * 40;
    data.data[i] += n; data.data[i + 1] += n; data.data[i + 2] += n;
  }
  ctx.putImageData(data, 0, 0);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.92));
  window.__photo = new File([blob], 'bukti.jpg', { type: 'image/jpeg' });
  return blob.size;
}`;

/** The built app's downscaler chunk (precached by the worker, so it loads with no signal). */
function downscaleChunk(): string {
  const name = readdirSync(join(REPO, 'dist', 'assets')).find((f) => /^image-downscale-[\w-]+\.js$/.test(f));
  if (!name) throw new Error('no image-downscale chunk in dist/assets: build first');
  return `/assets/${name}`;
}

/**
 * A 12-megapixel photo through the app's own downscaler (its worker where the engine has
 * OffscreenCanvas), offline: long edge 1600 px, at most 300 KB, decoded again by this engine.
 */
export async function downscalePhoto(driver: EngineDriver): Promise<void> {
  expect(await driver.run<number>(MAKE_PHOTO)).toBeGreaterThan(1_000_000);
  const out = await driver.run<{ ok: boolean; type: string; bytes: number; width: number; height: number; decoded: number[] }>(
    `async (chunk) => {
      const { downscaleImage } = await import(chunk);
      const r = await downscaleImage(window.__photo, {});
      if (!r.ok) return { ok: false, type: String(r.reason) };
      const bitmap = await createImageBitmap(r.blob);
      return { ok: true, type: r.blob.type, bytes: r.blob.size, width: r.width, height: r.height, decoded: [bitmap.width, bitmap.height] };
    }`,
    downscaleChunk(),
  );
  expect(out).toMatchObject({ ok: true, type: 'image/jpeg', width: 1600, height: 1200, decoded: [1600, 1200] });
  expect(out.bytes).toBeLessThanOrEqual(300_000);
}

/**
 * The same photo chosen in the complaint form: downscaled, stored on the phone, said on screen.
 * Where the engine refuses a Blob in IndexedDB (an ephemeral WebKit session, as a private window)
 * the phone keeps its bytes as an ArrayBuffer instead (src/db/crypto-at-rest.ts, BytesFile).
 */
export async function photoThroughForm(driver: EngineDriver, province: Province, engineKeepsBlobs: boolean): Promise<void> {
  await driver.goto(`${province.link.url}/#/ajukan/${pengaduanV1.formId}`);
  await heading(driver, pengaduanV1.title.id);
  await driver.click('[id="f-jenis-pengaduan"]');
  await waitInPage(driver, 'the photo field', `() => !!document.getElementById('f-bukti')`);
  expect(await driver.run<number>(MAKE_PHOTO)).toBeGreaterThan(1_000_000);
  // A file chooser cannot be driven headless in every engine; the chosen file arrives the same way.
  await driver.run(`() => {
    const input = document.getElementById('f-bukti');
    const dt = new DataTransfer();
    dt.items.add(window.__photo);
    input.files = dt.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }`);
  const sha = await waitInPage<string>(
    driver,
    'the photo stored',
    `() => {
      const problem = document.querySelector('#f-bukti ~ .error, .field .error[role="alert"]');
      if (problem) throw new Error('the photo field says: ' + problem.textContent);
      return document.querySelector('[data-testid="file-status"]')?.getAttribute('data-sha256') || false;
    }`,
    [],
    120_000,
  );
  // What the phone holds: the stored row's bytes, decoded by this engine.
  const stored = await driver.run<{ form: string; bytes: number; type: string; width: number; height: number; decoded: number[] }>(
    `(sha) => new Promise((resolve, reject) => {
      const open = indexedDB.open('jangkau');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const get = open.result.transaction('attachments').objectStore('attachments').get(sha);
        get.onsuccess = async () => {
          const row = get.result;
          open.result.close();
          const isBlob = row.blob instanceof Blob;
          const blob = isBlob ? row.blob : new Blob([row.blob['~bytes']], { type: row.blob.type });
          const bitmap = await createImageBitmap(blob);
          resolve({ form: isBlob ? 'blob' : Object.keys(row.blob).sort().join(','), bytes: blob.size, type: blob.type, width: row.width, height: row.height, decoded: [bitmap.width, bitmap.height] });
        };
      };
    })`,
    sha,
  );
  expect(stored).toMatchObject({ form: engineKeepsBlobs ? 'blob' : 'type,~bytes', type: 'image/jpeg', width: 1600, height: 1200, decoded: [1600, 1200] });
  expect(stored.bytes).toBeLessThanOrEqual(300_000);
  expect(await textOf(driver, '[data-testid="file-status"]')).toContain('Dikecilkan');
}

/** Closed and opened again with no signal: the request still waits. */
export async function reopenOffline(driver: EngineDriver, province: Province, id: string): Promise<void> {
  await driver.restart();
  await driver.goto(`${province.link.url}/#/permohonan`);
  await heading(driver, 'Permohonan saya');
  await waitInPage(driver, 'the request listed', `(id) => document.querySelector('[data-receipt="' + id + '"]')?.getAttribute('data-state') === 'queued'`, [id]);
  expect(await textOf(driver, '[data-testid="waiting-count"]')).toBe('1 menunggu dikirim');
  expect(countSubmissions(province.dataDir)).toBe(0);
}

/** Signal back, Jangkau opened again (no Background Sync here): exactly one copy arrives. */
export async function sendOnceOnline(driver: EngineDriver, province: Province, id: string): Promise<void> {
  province.link.setOnline(true);
  await driver.reload();
  await waitInPage(driver, 'the request sent', `(id) => document.querySelector('[data-receipt="' + id + '"]')?.getAttribute('data-state') === 'sent'`, [id], 60_000);
  expect(countSubmissions(province.dataDir)).toBe(1);
  expect(countSubmissions(province.dataDir, id)).toBe(1);
  await waitInPage(driver, 'nothing waiting', `() => !document.querySelector('[data-testid="waiting-count"]')`);
}

export interface EngineSuite {
  title: string;
  /** Starts the browser on a profile directory (kept across restart() where the engine can). */
  launch(profileDir: string): Promise<EngineDriver>;
  /** Whether the engine keeps a Blob in IndexedDB (not in an ephemeral WebKit session). */
  keepsBlobs: boolean;
}

/** The whole promise as one test: a server process, a weak link in front, one phone. */
export function describeCorePromise(available: boolean, suite: EngineSuite): void {
  describe.skipIf(!available)(suite.title, () => {
    let server: ServerProcess;
    let link: WeakLinkProxy;
    let profile: string;
    let driver: EngineDriver | undefined;

    beforeAll(async () => {
      // A loaded machine can take a while to start the server through tsx.
      server = await startServerProcess({ port: 0, startTimeoutMs: 90_000 });
      link = await startWeakLinkProxy({ target: { host: '127.0.0.1', port: server.port } });
      profile = await mkdtemp(join(tmpdir(), 'jangkau-engine-'));
    });

    afterAll(async () => {
      await driver?.close();
      await link?.close();
      await server?.stop();
      await rm(profile, { recursive: true, force: true });
    });

    it('offline start from the worker, queued with the gaps said, safety copy, photo, reopen, exactly one copy', async () => {
      const province = { link, dataDir: server.dataDir };
      driver = await suite.launch(profile);
      await openOnline(driver, province);
      await reloadOffline(driver, province);
      const id = await fileRequestOffline(driver, province);
      await checkGapNotices(driver, province, id);
      await saveSafetyCopy(driver, province, id);
      await downscalePhoto(driver);
      await photoThroughForm(driver, province, suite.keepsBlobs);
      await reopenOffline(driver, province, id);
      await sendOnceOnline(driver, province, id);
    });
  });
}
