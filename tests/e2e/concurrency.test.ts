// One drainer at a time (invariant 8), in the real browser: two tabs and the service worker all
// want to send the same offline queue at the same moment. The Web Lock 'jangkau-sync' must let
// exactly one of them push while the others wait and then find nothing left, so every item
// crosses the link once and reaches the province once.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { ppidPermohonanV1 } from '../../core/forms/catalog/ppid-permohonan.ts';
import type { FormData } from '../../core/forms/definition.ts';
import { launchPhone } from '../support/chromium.ts';
import { queuedRows, readStore, writeRows } from '../support/phone-rows.ts';
import { startPushTap, until, type PushTap } from '../support/push-tap.ts';
import type { OutboxRow } from '../../src/db/schema.ts';
import { fillForm, sampleAnswers } from '../support/form-filler.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { countSubmissions } from '../support/server-db.ts';
import { startWeakLinkProxy, type WeakLinkProxy } from '../support/weak-link/proxy.ts';

/** Enough for several push requests (the engine cuts batches at 128 KiB of JSON). */
const QUEUED = 300;
const LOCK = 'jangkau-sync';

// ---- The queue: one request filed through the form like a resident does, the rest written in
// the shape submitDraft writes (built with the app's own envelope code), because filling the
// form a few hundred times through the UI would take minutes.

function variedAnswers(i: number): FormData {
  const base = sampleAnswers(ppidPermohonanV1);
  const choices = ppidPermohonanV1.fields.find((f) => f.name === 'ditujukanKepada')?.choices ?? [];
  return {
    ...base,
    ditujukanKepada: choices[i % choices.length]?.value ?? base.ditujukanKepada ?? '',
    nama: `Warga Pulau Lepar nomor ${i}`,
    alamat: `Dusun ${i % 7}, RT ${String(i % 13).padStart(2, '0')}, Desa Tanjung Labu, Lepar Pongok`,
    rincianInformasi: `Salinan DPT TPS ${i % 40} Desa Tanjung Labu dan berita acara rekapitulasi, permohonan ke-${i}`,
    tujuanPenggunaan: `Pengecekan data pemilih keluarga (${i})`,
  };
}



async function queuedIds(page: Page): Promise<string[]> {
  return (await readStore<OutboxRow>(page, 'outbox')).map((r) => r.id);
}

// ---- Who drained when, as the engines themselves announce it on their BroadcastChannel. A
// listener sees every engine but its own channel object's, so it sees all three.

interface StateSeen {
  at: number;
  source: string;
  phase: string;
}

async function listenToEngines(page: Page): Promise<void> {
  await page.evaluate((name) => {
    const seen: { at: number; source: string; phase: string }[] = [];
    (window as unknown as { __engines: typeof seen }).__engines = seen;
    const channel = new BroadcastChannel(name);
    channel.onmessage = (event: MessageEvent<{ type?: string; source?: string; state?: { phase?: string } }>) => {
      const m = event.data;
      if (m?.type === 'jangkau-sync/state' && typeof m.source === 'string') {
        seen.push({ at: Date.now(), source: m.source, phase: String(m.state?.phase) });
      }
    };
  }, LOCK);
}

/** Each engine's drains as [start, end] intervals: from 'syncing' to the next other phase. */
function drainsOf(seen: readonly StateSeen[]): Map<string, { start: number; end?: number }[]> {
  const drains = new Map<string, { start: number; end?: number }[]>();
  for (const s of seen) {
    const list = drains.get(s.source) ?? [];
    drains.set(s.source, list);
    const last = list.at(-1);
    const open = last !== undefined && last.end === undefined;
    if (s.phase === 'syncing' && !open) list.push({ start: s.at });
    else if (s.phase !== 'syncing' && open) last.end = s.at;
  }
  return drains;
}

interface LockView {
  held: { name?: string; clientId?: string }[];
  pending: { name?: string; clientId?: string }[];
}

function lockView(page: Page): Promise<LockView> {
  return page.evaluate(async () => {
    const q = await navigator.locks.query();
    const strip = (l: LockInfo) => ({ name: l.name, clientId: l.clientId });
    return { held: (q.held ?? []).map(strip), pending: (q.pending ?? []).map(strip) };
  }).then(({ held, pending }) => ({ held: held.filter((l) => l.name === LOCK), pending: pending.filter((l) => l.name === LOCK) }));
}


/** The most intervals under way at one instant. */
function mostAtOnce(intervals: readonly { start: number; end: number }[]): number {
  const edges = intervals.flatMap((i) => [{ at: i.start, d: 1 }, { at: i.end, d: -1 }]).sort((a, b) => a.at - b.at || a.d - b.d);
  let now = 0;
  let most = 0;
  for (const e of edges) most = Math.max(most, (now += e.d));
  return most;
}

function overlapping(intervals: readonly { start: number; end: number }[]): number {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  let overlaps = 0;
  for (let i = 1; i < sorted.length; i++) if (sorted[i]!.start < sorted[i - 1]!.end) overlaps++;
  return overlaps;
}

describe.skipIf(!inject('chromium'))('two tabs and the service worker sync at once', () => {
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

  async function setSignal(on: boolean): Promise<void> {
    link.setOnline(on);
    await context?.setOffline(!on);
  }

  it('lets one context drain while the others wait, and sends every item once', async () => {
    context = await launchPhone(profile);
    const tab1 = context.pages()[0] ?? (await context.newPage());
    await tab1.goto(link.url + '/');
    await tab1.getByRole('heading', { level: 1 }).first().waitFor();
    await tab1.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 30_000 });

    // No signal: one request filed through the form, the rest of the queue beside it.
    await setSignal(false);
    await tab1.goto(`${link.url}/#/ajukan/${ppidPermohonanV1.formId}`);
    await fillForm(tab1, ppidPermohonanV1, sampleAnswers(ppidPermohonanV1));
    await tab1.getByTestId('save-state').getByText('Draf tersimpan').waitFor();
    await tab1.getByRole('button', { name: 'Kirim permohonan' }).click();
    await tab1.getByTestId('request-detail').waitFor();
    await writeRows(tab1, queuedRows(variedAnswers, 0, QUEUED - 1, Date.now() - 60_000));
    const queued = await queuedIds(tab1);
    expect(queued).toHaveLength(QUEUED);

    // Both tabs on the list, showing the whole queue waiting.
    await tab1.goto(link.url + '/#/permohonan');
    await tab1.reload();
    const tab2 = await context.newPage();
    await tab2.goto(link.url + '/#/permohonan');
    for (const tab of [tab1, tab2]) {
      await tab.getByTestId('waiting-count').getByText(String(QUEUED)).waitFor();
      await listenToEngines(tab);
    }
    // The worker, reached through DevTools as the browser would wake it for Background Sync.
    const cdp: CDPSession = await context.newCDPSession(tab1);
    const registrationId = new Promise<string>((resolve) => {
      cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
        const live = registrations.find((r) => !r.isDeleted && r.scopeURL.startsWith(link.url));
        if (live) resolve(live.registrationId);
      });
    });
    await cdp.send('ServiceWorker.enable');
    const origin = new URL(link.url).origin;

    // The test holds the sync lock while it wakes everyone, so all three are certain to want
    // to drain at the same moment (rather than one finishing before another starts). Nothing
    // else holds or waits for the lock now: the engines only queue for it when woken.
    await until(async () => {
      const locks = await lockView(tab1);
      return locks.held.length === 0 && locks.pending.length === 0;
    }, 30_000, 'the offline syncs to settle');
    await tab1.evaluate(
      (name) =>
        new Promise<void>((held) => {
          void navigator.locks.request(name, () =>
            new Promise<void>((release) => {
              (window as unknown as { __release: () => void }).__release = release;
              held();
            }),
          );
        }),
      LOCK,
    );

    // Signal returns on a 3G-like link: each push takes a while, so a second drainer (if the
    // lock failed) would be caught pushing the same rows at the same time.
    link.setProfile('3g-slow');
    tap.pushes.length = 0;
    link.resetStats();
    await setSignal(true); // fires `online` in both tabs
    await tab1.getByRole('button', { name: 'Kirim sekarang' }).click();
    await tab2.getByRole('button', { name: 'Kirim sekarang' }).click();
    await cdp.send('ServiceWorker.dispatchSyncEvent', { origin, registrationId: await registrationId, tag: LOCK, lastChance: false });

    // All three contexts (distinct lock clients) now wait for the lock; none has pushed.
    await until(async () => new Set((await lockView(tab1)).pending.map((l) => l.clientId)).size >= 3, 15_000, 'three contexts waiting for the lock');
    const waiting = await lockView(tab1);
    expect(waiting.held).toHaveLength(1); // the test's own
    expect(new Set(waiting.pending.map((l) => l.clientId)).size).toBe(3);
    expect(tap.pushes).toHaveLength(0);

    const releasedAt = Date.now();
    await tab1.evaluate(() => (window as unknown as { __release: () => void }).__release());

    // Let every woken sync (and the follow-ups the clicks queued) run to the end.
    await until(() => countSubmissions(server.dataDir) === QUEUED, 40_000, 'every item on the server');
    // Idle for a while, not just once: a follow-up asks for the lock a moment after its
    // predecessor let go.
    let idlePolls = 0;
    await until(async () => {
      const locks = await lockView(tab1);
      idlePolls = locks.held.length === 0 && locks.pending.length === 0 ? idlePolls + 1 : 0;
      return idlePolls >= 8;
    }, 30_000, 'all drains to finish');
    const elapsedMs = Date.now() - releasedAt;

    // The province holds every item once.
    expect(countSubmissions(server.dataDir)).toBe(QUEUED);
    for (const id of queued) expect(countSubmissions(server.dataDir, id)).toBe(1);

    // Every item crossed the link in exactly one push; at most two pushes were under way at once
    // (one drainer's own pipeline: the next batch goes while the previous one's answer comes back,
    // and after a lost link the first batch is cut to the window, so 300 items make three).
    const sentIds = tap.pushes.flatMap((p) => p.ids);
    expect(tap.pushes.every((p) => p.status === 200)).toBe(true);
    expect(sentIds).toHaveLength(QUEUED);
    expect(new Set(sentIds).size).toBe(QUEUED);
    expect([...sentIds].sort()).toEqual([...queued].sort());
    expect(mostAtOnce(tap.pushes.map((p) => ({ start: p.startedAt, end: p.endedAt ?? Date.now() })))).toBeLessThanOrEqual(2);

    // The engines of both tabs and of the worker each drained after the release, one at a time.
    // (At least three: a worker the browser stopped and restarted would come back as a new one.)
    const seen = await tab2.evaluate(() => (window as unknown as { __engines: StateSeen[] }).__engines);
    const drains = drainsOf(seen.filter((s) => s.at >= releasedAt));
    const intervals = [...drains.values()].flat();
    expect(drains.size).toBeGreaterThanOrEqual(3);
    expect(intervals.every((d) => d.end !== undefined)).toBe(true);
    expect(overlapping(intervals.map((d) => ({ start: d.start, end: d.end ?? Infinity })))).toBe(0);

    // Both tabs show the queue empty and the requests sent.
    for (const tab of [tab1, tab2]) {
      await tab.getByTestId('waiting-count').waitFor({ state: 'detached' });
      await until(async () => (await tab.locator('[data-testid=request-item][data-state=sent]').count()) === 50, 10_000, 'the list to show sent');
      expect(await tab.locator('[data-testid=request-item][data-state=queued]').count()).toBe(0);
    }
    expect(await queuedIds(tab1)).toEqual([]);

    const stats = link.stats();
    console.log(
      `[concurrency] ${QUEUED} items; ${tap.pushes.length} pushes carrying ${sentIds.length} item-sends ` +
        `(${tap.pushes.map((p) => p.ids.length).join('+')}); drains after release: ` +
        [...drains.values()].map((d) => d.length).join('/') +
        ` by ${drains.size} engines; ${stats.requests} requests over the link, ${stats.bytesUp} B up; ${elapsedMs} ms`,
    );
  });
});
