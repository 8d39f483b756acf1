// The safety copy across two phones (issue 5, "Done when" 4): phone A queues requests with no
// signal and saves a safety copy; the file moves to phone B, which imports it and syncs through
// the weak link; then A syncs too. The province holds each request once. A wrong passphrase is
// refused with a clear answer and writes nothing. No screen offers the copy yet, so the test runs
// the built module in the app's own page (same origin, same IndexedDB), loaded from a test-only
// folder that the real server serves beside the real app.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';
import { ppidPermohonanV1 } from '../../core/forms/catalog/ppid-permohonan.ts';
import { randomSecret, ulid } from '../../core/ids.ts';
import type { SubmissionEnvelope } from '../../core/protocol.ts';
import { launchPhone } from '../support/chromium.ts';
import { sampleAnswers } from '../support/form-filler.ts';
import { countSubmissions } from '../support/server-db.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { startWeakLinkProxy, type WeakLinkProxy } from '../support/weak-link/proxy.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const PASS = 'Pangkalpinang, 28 Nov: kotak suara 12';

/** Builds a probe that puts the safety-copy module and the schema on window.__probe, under /__test/. */
async function buildProbe(staticDir: string): Promise<void> {
  await cp(join(REPO, 'dist'), staticDir, { recursive: true });
  const src = await mkdtemp(join(tmpdir(), 'jangkau-probe-src-'));
  const entry = join(src, 'probe.ts');
  const lib = (p: string) => JSON.stringify(join(REPO, p));
  await writeFile(
    entry,
    `import { exportSafetyCopy, importSafetyCopy } from ${lib('src/lib/safety-copy.ts')};\n` +
      `import { JangkauDb } from ${lib('src/db/schema.ts')};\n` +
      `(globalThis as unknown as { __probe: unknown }).__probe = { exportSafetyCopy, importSafetyCopy, JangkauDb };\n`,
  );
  await build({
    configFile: false,
    root: src,
    base: '/__test/',
    logLevel: 'warn',
    mode: 'production',
    build: {
      outDir: join(staticDir, '__test'),
      emptyOutDir: true,
      target: ['chrome80', 'safari15.4', 'firefox100'],
      rollupOptions: { input: { probe: entry }, output: { entryFileNames: '[name].js' } },
    },
  });
  await rm(src, { recursive: true, force: true });
}

function envelope(): SubmissionEnvelope {
  return { id: ulid(), formId: 'ppid-permohonan', formVersion: 1, createdAt: new Date().toISOString(), data: sampleAnswers(ppidPermohonanV1), secret: randomSecret() };
}

// The page-side view of the probe, for page.evaluate callbacks.
interface ProbeDb {
  outbox: { add(row: unknown): Promise<unknown>; count(): Promise<number> };
  receipts: { add(row: unknown): Promise<unknown> };
  close(): void;
}
interface Probe {
  JangkauDb: new () => ProbeDb;
  exportSafetyCopy(db: ProbeDb, passphrase: string): Promise<{ blob: Blob; items: number }>;
  importSafetyCopy(db: ProbeDb, file: Blob, passphrase: string): Promise<Record<string, unknown>>;
}

describe.skipIf(!inject('chromium'))('safety copy between two phones', () => {
  let server: ServerProcess;
  let staticDir: string;
  let work: string;
  const phones: { link: WeakLinkProxy; context: BrowserContext; page: Page; profile: string }[] = [];

  beforeAll(async () => {
    staticDir = await mkdtemp(join(tmpdir(), 'jangkau-static-'));
    work = await mkdtemp(join(tmpdir(), 'jangkau-files-'));
    await buildProbe(staticDir);
    server = await startServerProcess({ port: 0, env: { STATIC_DIR: staticDir } });
  });

  afterAll(async () => {
    for (const phone of phones) {
      await phone.context.close();
      await phone.link.close();
      await rm(phone.profile, { recursive: true, force: true });
    }
    await server?.stop();
    await rm(staticDir, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  /** A phone with its own link to the province, on the requests list, with the probe loaded. */
  async function phone(): Promise<(typeof phones)[number]> {
    const link = await startWeakLinkProxy({ target: { host: '127.0.0.1', port: server.port } });
    const profile = await mkdtemp(join(tmpdir(), 'jangkau-phone-'));
    const context = await launchPhone(profile);
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(link.url + '/#/permohonan');
    await page.getByRole('heading', { name: 'Permohonan saya' }).waitFor();
    await loadProbe(page);
    const p = { link, context, page, profile };
    phones.push(p);
    return p;
  }

  async function loadProbe(page: Page): Promise<void> {
    await page.addScriptTag({ url: '/__test/probe.js', type: 'module' });
    await page.waitForFunction(() => '__probe' in globalThis);
  }

  async function setSignal(p: (typeof phones)[number], on: boolean): Promise<void> {
    p.link.setOnline(on);
    await p.context.setOffline(!on);
  }

  /** Imports the file as the screen will: the person picks it in a file input. */
  async function importFile(page: Page, path: string, passphrase: string): Promise<Record<string, unknown>> {
    await page.evaluate(() => {
      const input = document.createElement('input');
      input.type = 'file';
      input.id = 'probe-file';
      document.body.append(input);
    });
    await page.setInputFiles('#probe-file', path);
    return page.evaluate(async (pass) => {
      const probe = (globalThis as unknown as { __probe: Probe }).__probe;
      const input = document.getElementById('probe-file') as HTMLInputElement;
      const file = input.files![0]!;
      input.remove();
      const db = new probe.JangkauDb();
      try {
        return await probe.importSafetyCopy(db, file, pass);
      } finally {
        db.close();
      }
    }, passphrase);
  }

  async function waitSent(page: Page, ids: readonly string[]): Promise<void> {
    for (const id of ids) await page.locator(`[data-receipt="${id}"][data-state="sent"]`).waitFor({ timeout: 60_000 });
  }

  it('export on A → import on B → both sync: each request stored once; a wrong passphrase is refused', async () => {
    // Phone A, no signal: three requests queued.
    const a = await phone();
    await setSignal(a, false);
    const envelopes = [envelope(), envelope(), envelope()];
    const ids = envelopes.map((e) => e.id);
    const exported = await a.page.evaluate(
      async ({ envs, pass }) => {
        const probe = (globalThis as unknown as { __probe: Probe }).__probe;
        const db = new probe.JangkauDb();
        try {
          for (const env of envs) {
            const now = Date.now();
            await db.outbox.add({ id: env.id, envelope: env, bytes: JSON.stringify(env).length, state: 'queued', queuedAt: now, attempts: 0 });
            await db.receipts.add({ id: env.id, formId: env.formId, formVersion: env.formVersion, title: String(env.data.nama), createdAt: now, state: 'queued' });
          }
          const t0 = performance.now();
          const copy = await probe.exportSafetyCopy(db, pass);
          const ms = Math.round(performance.now() - t0);
          const bytes = new Uint8Array(await copy.blob.arrayBuffer());
          let binary = '';
          for (const b of bytes) binary += String.fromCharCode(b);
          return { items: copy.items, base64: btoa(binary), ms, queued: await db.outbox.count() };
        } finally {
          db.close();
        }
      },
      { envs: envelopes, pass: PASS },
    );
    expect(exported).toMatchObject({ items: 3, queued: 3 });
    // The file leaves the phone (a download, a USB cable, a chat app) and lands on another.
    const path = join(work, 'jangkau-cadangan.jangkau');
    const file = Buffer.from(exported.base64, 'base64');
    await writeFile(path, file);
    expect(file.subarray(0, 16).toString('ascii')).toBe('JANGKAU-CADANGAN');
    console.log(`phone A: exported ${exported.items} queued requests, file ${file.length} B, ${exported.ms} ms (PBKDF2 600k + AES-GCM)`);
    expect(countSubmissions(server.dataDir)).toBe(0);

    // Phone B: a wrong passphrase is refused, and nothing is queued.
    const b = await phone();
    const t0 = Date.now();
    expect(await importFile(b.page, path, 'Pangkalpinang, 28 Nov: kotak suara 21')).toEqual({ ok: false, reason: 'wrong_passphrase' });
    const wrongMs = Date.now() - t0;
    expect(await b.page.evaluate(async () => {
      const probe = (globalThis as unknown as { __probe: Probe }).__probe;
      const db = new probe.JangkauDb();
      const n = await db.outbox.count();
      db.close();
      return n;
    })).toBe(0);

    // The right passphrase: all three queued on B under their own ids.
    const imported = await importFile(b.page, path, PASS);
    expect(imported).toEqual({ ok: true, imported: 3, skipped: 0 });
    // Again: nothing doubles.
    expect(await importFile(b.page, path, PASS)).toEqual({ ok: true, imported: 0, skipped: 3 });
    console.log(`phone B: wrong passphrase refused in ${wrongMs} ms; imported ${String(imported.imported)}, re-import skipped 3`);

    // B syncs over pulau-edge.
    b.link.setProfile('pulau-edge');
    await b.page.reload();
    await b.page.getByRole('heading', { name: 'Permohonan saya' }).waitFor();
    for (const id of ids) await b.page.locator(`[data-receipt="${id}"]`).waitFor();
    const syncB = Date.now();
    await b.page.getByRole('button', { name: 'Kirim sekarang' }).click();
    await waitSent(b.page, ids);
    const afterB = countSubmissions(server.dataDir);
    console.log(`phone B synced over pulau-edge in ${Date.now() - syncB} ms: server holds ${afterB}`);
    expect(afterB).toBe(3);
    for (const id of ids) expect(countSubmissions(server.dataDir, id)).toBe(1);

    // A gets signal back and sends its own copies: the server answers "duplicate", still once each.
    a.link.setProfile('pulau-edge');
    await setSignal(a, true);
    await a.page.reload();
    await a.page.getByRole('heading', { name: 'Permohonan saya' }).waitFor();
    const syncA = Date.now();
    await a.page.getByRole('button', { name: 'Kirim sekarang' }).click();
    await waitSent(a.page, ids);
    const afterA = countSubmissions(server.dataDir);
    console.log(`phone A synced over pulau-edge in ${Date.now() - syncA} ms: server holds ${afterA} (each id once: ${ids.map((id) => countSubmissions(server.dataDir, id)).join(', ')})`);
    expect(afterA).toBe(3);
    for (const id of ids) expect(countSubmissions(server.dataDir, id)).toBe(1);
  });
});
