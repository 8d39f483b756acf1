// The chaos test, browser case: a phone with a long offline queue syncs over a slow island link
// and everything that can go wrong mid-push does: the phone is switched off while a push
// uploads, the server is killed (SIGKILL) mid-push and restarted, the link resets after the
// server committed, and the browser is closed while a committed push's answer is on its way
// back. In the end the province must hold every submission exactly once and byte-identical to
// what the phone queued, and the phone must show all as sent.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { ppidPermohonanV1 } from '../../core/forms/catalog/ppid-permohonan.ts';
import type { FormData } from '../../core/forms/definition.ts';
import { canonicalJson, sha256Hex } from '../../core/hash.ts';
import type { SubmissionEnvelope } from '../../core/protocol.ts';
import { SQLITE_FILE_NAME } from '../../server/db/sqlite.ts';
import type { OutboxRow, ReceiptRow } from '../../src/db/schema.ts';
import { launchPhone } from '../support/chromium.ts';
import { queuedRows, readStore, writeRows } from '../support/phone-rows.ts';
import { startPushTap, until, type PushTap } from '../support/push-tap.ts';
import { fillForm, sampleAnswers } from '../support/form-filler.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { countSubmissions } from '../support/server-db.ts';
import { startWeakLinkProxy, type WeakLinkProxy } from '../support/weak-link/proxy.ts';
import type { WeakLinkProfile } from '../support/weak-link/profiles.ts';
import { rawPayloadOpener } from '../support/test-kek.ts';

const QUEUED = 200;

/**
 * pulau-edge's latency with a little more bandwidth: every push still spends seconds on the
 * link (so the test can cut it mid-way), and the whole run stays well under a minute.
 */
const ISLAND_LINK: WeakLinkProfile = { name: 'pulau-edge+', rttMs: 840, downBps: 400_000, upBps: 320_000 };

// ---- The queue: one request filed through the form, the rest in the shape submitDraft writes
// (built with the app's own envelope code), with text that JSON, gzip and SQLite must carry
// byte for byte: non-ASCII letters, emoji, quotes, backslashes, line breaks, long answers.

function variedAnswers(i: number): FormData {
  const base = sampleAnswers(ppidPermohonanV1);
  const choices = ppidPermohonanV1.fields.find((f) => f.name === 'ditujukanKepada')?.choices ?? [];
  const long = i % 25 === 0 ? ' Rinciannya: ' + 'data pemilih per TPS, '.repeat(60) : '';
  return {
    ...base,
    ditujukanKepada: choices[i % choices.length]?.value ?? base.ditujukanKepada ?? '',
    nama: `Siti Nur'aini “Ayu” Ḥasanah ${i}`,
    alamat: `Jl. Pantai Tanjung Labu — RT 0${i % 9}/RW 01\nDesa Tanjung Labu, Lepar Pongok 🏝️`,
    rincianInformasi: `Salinan DPT TPS ${i % 40} "Tanjung Labu" dan C\\Hasil (berita acara), permohonan ke-${i}.${long}`,
    tujuanPenggunaan: `Pengecekan data keluarga: ayah, ibu & adik — ${i} ✓`,
  };
}


// ---- The phone's IndexedDB, read and written directly (the app has opened and upgraded it).



interface ServerRow {
  id: string;
  form_id: string;
  form_version: number;
  created_at: string;
  payload_json: string;
  secret_hash: string;
  device_id: string;
}

function serverRows(dataDir: string): { rows: ServerRow[]; links: number } {
  const db = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true, fileMustExist: true });
  try {
    const open = rawPayloadOpener(db.prepare('SELECT id, wrapped FROM data_keys').all() as { id: string; wrapped: string | null }[]);
    const rows = (db.prepare('SELECT id, form_id, form_version, created_at, payload_json, secret_hash, device_id FROM submissions').all() as ServerRow[]).map(
      (row) => ({ ...row, payload_json: open(row.id, row.payload_json) }),
    );
    const { n } = db.prepare('SELECT count(*) AS n FROM submission_devices').get() as { n: number };
    return { rows, links: n };
  } finally {
    db.close();
  }
}


describe.skipIf(!inject('chromium'))('browser chaos: a long queue over a failing island link', () => {
  let server: ServerProcess;
  let tap: PushTap;
  let link: WeakLinkProxy;
  let profile: string;
  let context: BrowserContext | undefined;

  beforeAll(async () => {
    server = await startServerProcess({ port: 0 });
    tap = await startPushTap(server.port);
    link = await startWeakLinkProxy({ target: { host: '127.0.0.1', port: tap.port } });
    profile = await mkdtemp(join(tmpdir(), 'jangkau-phone-'));
  });

  afterAll(async () => {
    await context?.close();
    await link?.close();
    await tap?.close();
    await server?.stop();
    await rm(profile, { recursive: true, force: true });
  });

  /** Opens the phone again from its profile, on the request list, served by the worker's cache. */
  async function reopen(): Promise<Page> {
    context = await launchPhone(profile);
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(link.url + '/#/permohonan');
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    return page;
  }

  it('keeps every submission exactly once and intact through closes, resets and a server crash', async () => {
    const started = Date.now();
    // First visit online, on a fast link: the worker installs and precaches the app.
    context = await launchPhone(profile);
    let page = context.pages()[0] ?? (await context.newPage());
    await page.goto(link.url + '/');
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 30_000 });

    // No signal for a long while: one request through the form, then the rest of the backlog.
    link.setOnline(false);
    await context.setOffline(true);
    await page.goto(`${link.url}/#/ajukan/${ppidPermohonanV1.formId}`);
    await fillForm(page, ppidPermohonanV1, sampleAnswers(ppidPermohonanV1));
    await page.getByTestId('save-state').getByText('Draf tersimpan').waitFor();
    await page.getByRole('button', { name: 'Kirim permohonan' }).click();
    await page.getByTestId('request-detail').waitFor();
    await writeRows(page, queuedRows(variedAnswers, 0, QUEUED - 1, Date.now() - 3_600_000));
    const queued = await readStore<OutboxRow>(page, 'outbox');
    expect(queued).toHaveLength(QUEUED);
    const envelopes = new Map<string, SubmissionEnvelope>(queued.map((r) => [r.id, r.envelope]));

    // 1. Signal returns on a slow link; while the first push uploads, the phone is switched
    //    off: its radio link drops with the rest of the body unsent, and the browser closes.
    //    (Each cut is chained to the tap's event so it lands at once, not when the test's
    //    other awaits happen to return.)
    link.setProfile(ISLAND_LINK);
    link.resetStats();
    const uploadCut = tap.nextPushHead().then(() => link.setOnline(false));
    link.setOnline(true);
    await context.setOffline(false);
    await uploadCut;
    await context.close();
    // Nothing of a cut request may be committed, not even late.
    await new Promise((r) => setTimeout(r, 1_000));
    const afterUploadCut = countSubmissions(server.dataDir);
    expect(afterUploadCut).toBe(0);
    link.setOnline(true);

    // 2. Reopened: the start sync pushes again, and the server is killed (SIGKILL) while that
    //    push uploads. The link stays down while the server restarts on the same port and data,
    //    so the phone's retries meanwhile never reach it.
    const crashed = tap.nextPushHead().then(() => server.kill('SIGKILL'));
    page = await reopen();
    await crashed;
    link.setOnline(false);
    const afterCrash = countSubmissions(server.dataDir);
    server = await startServerProcess({ dataDir: server.dataDir, port: server.port });

    // 3. Signal again, and the person presses "Kirim sekarang" (or the backoff timer beats
    //    them to it): the next push (nothing of the queue is on the server yet) commits, but the
    //    link resets before its answer reaches the phone.
    // 4. The committed batch then comes back as duplicates, and the browser is closed as soon as
    //    the server commits the next push with new items, while that answer is on its way to
    //    the phone (the link itself stays up). Chained to the tap, so it lands on that push
    //    whoever sends it.
    let closedByTest = false;
    const answerCut = tap.freshAnswer(2).then(async () => {
      closedByTest = true;
      await context?.close();
    });
    const press = () =>
      page
        .getByRole('button', { name: 'Kirim sekarang' })
        .click()
        .catch((error: unknown) => {
          if (!closedByTest) throw error;
        });
    const answeredBefore = tap.pushes.filter((p) => p.answered).length;
    link.injectFault({ kind: 'reset-after-commit', next: 1, match: (h) => h.method === 'POST' && h.target.startsWith('/api/v1/push') });
    link.setOnline(true);
    await press();
    await until(
      () => link.stats().faults['reset-after-commit'] === 1 && tap.pushes.filter((p) => p.answered).length > answeredBefore,
      30_000,
      'the reset after commit',
    );
    const afterReset = countSubmissions(server.dataDir);
    await press();
    await answerCut;
    const afterAnswerCut = countSubmissions(server.dataDir);
    page = await reopen();

    // 5. Then until the queue is empty, pressing "Kirim sekarang" as a person would when a try
    //    failed (rather than waiting out the backoff).
    let lastPress = 0;
    await until(
      async () => {
        if ((await readStore<OutboxRow>(page, 'outbox')).length === 0) return true;
        const button = page.getByRole('button', { name: 'Kirim sekarang' });
        if (Date.now() - lastPress > 2_000 && (await button.isEnabled())) {
          lastPress = Date.now();
          await button.click();
        }
        return false;
      },
      45_000,
      'the outbox to empty',
    );

    // The province holds each submission once, exactly as the phone queued it.
    const { rows, links } = serverRows(server.dataDir);
    expect(rows).toHaveLength(QUEUED);
    expect(new Set(rows.map((r) => r.id)).size).toBe(QUEUED);
    expect(links).toBe(QUEUED);
    for (const row of rows) {
      const envelope = envelopes.get(row.id);
      expect(envelope, row.id).toBeDefined();
      if (!envelope) continue;
      expect(row.form_id).toBe(envelope.formId);
      expect(Number(row.form_version)).toBe(envelope.formVersion);
      expect(row.created_at).toBe(envelope.createdAt);
      expect(row.payload_json).toBe(canonicalJson(envelope.data));
      expect(JSON.parse(row.payload_json)).toEqual(envelope.data);
      expect(row.secret_hash).toBe(await sha256Hex(envelope.secret));
    }

    // The phone shows every request as sent, and holds nothing queued.
    const receipts = await readStore<ReceiptRow>(page, 'receipts');
    expect(receipts).toHaveLength(QUEUED);
    expect(receipts.filter((r) => r.state !== 'sent')).toEqual([]);
    await page.getByTestId('waiting-count').waitFor({ state: 'detached' });
    await until(async () => (await page.locator('[data-testid=request-item][data-state=sent]').count()) === 50, 10_000, 'the list to show sent');
    expect(await page.locator('[data-testid=request-item]:not([data-state=sent])').count()).toBe(0);

    // Across every push the server answered, each item was accepted exactly once; every other
    // send of it was answered as a duplicate, and nothing was refused.
    const answered = tap.pushes.filter((p) => p.answered);
    const accepted = answered.flatMap((p) => p.accepted);
    expect(accepted).toHaveLength(QUEUED);
    expect(new Set(accepted).size).toBe(QUEUED);
    const sends = answered.reduce((n, p) => n + p.ids.length, 0);
    const outcomes: Record<string, number> = {};
    for (const p of answered) for (const [k, v] of Object.entries(p.outcomes)) outcomes[k] = (outcomes[k] ?? 0) + v;
    expect(outcomes.rejected ?? 0).toBe(0);
    expect((outcomes.accepted ?? 0) + (outcomes.duplicate ?? 0)).toBe(sends);
    const stats = link.stats();
    console.log(
      `[browser-chaos] ${QUEUED} queued → ${rows.length} on the server; server held ${afterUploadCut} after the upload cut, ` +
        `${afterCrash} at the crash, ${afterReset} after the reset after commit, ${afterAnswerCut} after the answer cut; ` +
        `${tap.pushes.length} pushes started, ${answered.length} answered carrying ${sends} item-sends ` +
        `[${tap.pushes.map((p) => `${p.ids.length || '?'}${p.answered ? JSON.stringify(p.outcomes) : ' cut'}`).join(', ')}] ` +
        `(${JSON.stringify(outcomes)}); link: ${stats.requests} requests, ${stats.resets} resets, ` +
        `${stats.bytesUp} B up, ${stats.bytesDown} B down; ${Date.now() - started} ms`,
    );
  });
});
