// npm run bench:device — the phone at volume. With 10,000 submissions queued in IndexedDB and no
// signal, how long from opening "Permohonan saya" until the queue view is on screen (the first
// request and the waiting count), how much JS heap the page holds, and whether "Tampilkan lebih
// banyak" stays quick. Runs the built app in Debian's Chromium against the real server process,
// cold (a fresh browser process) and warm (a second start in the same browser). It reports
// against the targets (view under 1 s, heap under 60 MB); it never fails on them.
// Options: --count (default 10000), --runs (3), --throttle (4; 0 skips the slow-CPU rows);
// BENCH_SKIP_BUILD=1 measures the dist/ already built.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { ppidPermohonanV1 } from '../core/forms/catalog/ppid-permohonan.ts';
import type { FormData } from '../core/forms/definition.ts';
import { chromiumAvailable, CHROMIUM_PATH, launchPhone } from '../tests/support/chromium.ts';
import { sampleAnswers } from '../tests/support/form-filler.ts';
import { queuedRows, writeRows } from '../tests/support/phone-rows.ts';
import { startServerProcess } from '../tests/support/server-process.ts';
import { startWeakLinkProxy } from '../tests/support/weak-link/proxy.ts';
import { benchArgs } from './support/args.ts';
import { median } from './support/report.ts';

const args = benchArgs('bench:device', 'The phone with many stored requests: cold and warm start, list view and heap in Chromium (bench/README.md).', {
    count: { type: 'string', default: process.env.BENCH_DEVICE_COUNT ?? '10000' },
    /** Also measure with Chromium's CPU throttled this many times (a slower phone); 0 = skip. */
    throttle: { type: 'string', default: '4' },
    /** Cold and warm starts measured this many times each; the table shows medians. */
    runs: { type: 'string', default: '3' },
});
const COUNT = Number(args.count);
const RUNS = Math.max(1, Number(args.runs));
const THROTTLE = Number(args.throttle);

const TARGET_VIEW_MS = 1_000;
const TARGET_HEAP_BYTES = 60 * 1024 * 1024;
const PAGE_SIZE = 50;
const SEED_CHUNK = 1_000;

// ---- The backlog: rows in the exact shape submitDraft writes, built with the app's own envelope
// code, with answers that vary like real ones (long and short, every addressee).

function answers(i: number): FormData {
  const base = sampleAnswers(ppidPermohonanV1);
  const choices = ppidPermohonanV1.fields.find((f) => f.name === 'ditujukanKepada')?.choices ?? [];
  const detail = i % 10 === 0 ? ' Mohon dirinci per TPS dan per desa, termasuk berita acara. '.repeat(8) : '';
  return {
    ...base,
    ditujukanKepada: choices[i % choices.length]?.value ?? base.ditujukanKepada ?? '',
    nama: `Warga Pulau ${['Lepar', 'Pongok', 'Celagen', 'Selat Nasik', 'Mendanau', 'Seliuk', 'Nepi'][i % 7]} ${i}`,
    alamat: `Dusun ${i % 9}, RT ${String(i % 17).padStart(2, '0')}/RW 0${i % 5}, Kecamatan Lepar Pongok`,
    rincianInformasi: `Salinan DPT dan formulir hasil TPS ${i % 60}, permohonan nomor ${i}.${detail}`,
    tujuanPenggunaan: `Memastikan data pemilih keluarga (${i})`,
  };
}


/** Writes straight into the app's IndexedDB, which the first visit has created and upgraded. */
async function seed(page: Page, count: number): Promise<{ bytes: number }> {
  const startMs = Date.now() - count * 1_000;
  let bytes = 0;
  for (let from = 0; from < count; from += SEED_CHUNK) {
    const rows = queuedRows(answers, from, Math.min(count, from + SEED_CHUNK), startMs, 1_000);
    bytes += rows.outbox.reduce((n, r) => n + r.bytes, 0);
    await writeRows(page, rows);
  }
  return { bytes };
}

// ---- Measuring. Marks are taken inside the page (performance.now(), whose zero is the start of
// the navigation), so they hold no Playwright round trips.

// Page-side code is passed as source text: tsx wraps named functions in a `__name` helper that
// exists only in Node, so a function serialised into the page would throw there.

/** Installed before the app's scripts: records when the queue view's parts first appear. */
const MARK_QUEUE_VIEW = `(() => {
  const marks = {};
  window.__marks = marks;
  const observer = new MutationObserver(() => {
    if (marks.item === undefined && document.querySelector('[data-testid=request-item]')) marks.item = performance.now();
    if (marks.waiting === undefined && document.querySelector('[data-testid=waiting-count]')) marks.waiting = performance.now();
    if (marks.item !== undefined && marks.waiting !== undefined) observer.disconnect();
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;

/** Clicks "Tampilkan lebih banyak" and resolves, after the next paint, once 50 more items are in. */
const LOAD_MORE = `(async () => {
  const count = () => document.querySelectorAll('[data-testid=request-item]').length;
  const before = count();
  const button = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Tampilkan lebih banyak');
  if (!button) throw new Error('no "Tampilkan lebih banyak" button');
  const t0 = performance.now();
  button.click();
  await new Promise((resolve) => {
    const observer = new MutationObserver(() => {
      if (count() >= before + ${PAGE_SIZE}) {
        observer.disconnect();
        resolve();
      }
    });
    observer.observe(document.body, { childList: true, subtree: true });
  });
  await new Promise((resolve) => requestAnimationFrame(() => resolve()));
  return { ms: performance.now() - t0, items: count() };
})()`;

interface StartFigures {
  itemMs: number;
  waitingMs: number;
  /** Highest JSHeapUsedSize sampled from navigation until the start sync settled. */
  peakHeap: number;
  /** JSHeapUsedSize once the start sync settled. */
  settledHeap: number;
  /** After a forced GC: what the page really keeps. */
  retainedHeap: number;
}

async function heapUsed(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? Number.NaN;
}

async function measureStart(page: Page, cdp: CDPSession, url: string, navigate: 'goto' | 'reload'): Promise<StartFigures> {
  let peakHeap = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      try {
        peakHeap = Math.max(peakHeap, await heapUsed(cdp));
      } catch {
        // the page is between documents
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  if (navigate === 'goto') await page.goto(url);
  else await page.reload();
  await page.waitForFunction(() => {
    const m = (window as unknown as { __marks?: Record<string, number> }).__marks;
    return m?.item !== undefined && m.waiting !== undefined;
  }, undefined, { timeout: 60_000 });
  const marks = await page.evaluate(() => (window as unknown as { __marks: Record<string, number> }).__marks);
  // The waiting count must be the whole backlog (digits, whatever the thousands separator).
  const waitingText = (await page.getByTestId('waiting-count').textContent()) ?? '';
  const shown = Number(/^[\d.,\s]+/.exec(waitingText)?.[0].replace(/\D/g, ''));
  if (shown !== COUNT) throw new Error(`waiting count shows "${waitingText}", expected ${COUNT}`);
  // The start sync reads the queue and fails for want of signal; wait until it has given up
  // (nobody holds or waits for the sync lock twice in a row).
  let idle = 0;
  while (idle < 2) {
    const busy = await page.evaluate(async () => {
      const q = await navigator.locks.query();
      return [...(q.held ?? []), ...(q.pending ?? [])].some((l) => l.name === 'jangkau-sync');
    });
    idle = busy ? 0 : idle + 1;
    await new Promise((r) => setTimeout(r, 250));
  }
  sampling = false;
  await sampler;
  const settledHeap = await heapUsed(cdp);
  await cdp.send('HeapProfiler.collectGarbage');
  const retainedHeap = await heapUsed(cdp);
  return { itemMs: marks.item ?? Number.NaN, waitingMs: marks.waiting ?? Number.NaN, peakHeap: Math.max(peakHeap, settledHeap), settledHeap, retainedHeap };
}

async function measureLoadMore(page: Page): Promise<{ ms: number; items: number }> {
  return page.evaluate<{ ms: number; items: number }>(LOAD_MORE);
}

// ---- Report.

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ms = (v: number) => `${Math.round(v)} ms`;
const verdict = (ok: boolean) => (ok ? 'ok' : 'MISSED');

function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  for (const [i, row] of rows.entries()) {
    console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}

async function main(): Promise<void> {
  if (!chromiumAvailable()) {
    console.log(`bench:device skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium).`);
    return;
  }
  // The bench measures the built app, so it builds it (as the e2e suite does) unless told not to.
  if (process.env.BENCH_SKIP_BUILD !== '1') {
    execFileSync('npm', ['run', '--silent', 'build', '--', '--logLevel', 'warn'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  }
  const loadAtStart = loadavg()[0]?.toFixed(1) ?? '?';
  const server = await startServerProcess({ port: 0 });
  // "No signal" must cut the service worker too, so the phone reaches the server through the
  // weak-link proxy and the proxy is switched off (as the e2e tests do).
  const link = await startWeakLinkProxy({ target: { host: '127.0.0.1', port: server.port } });
  const profile = await mkdtemp(join(tmpdir(), 'jangkau-bench-phone-'));
  const listUrl = `${link.url}/#/permohonan`;
  let context: BrowserContext | undefined;
  try {
    // First visit online: the worker installs and precaches the app; the database is created.
    context = await launchPhone(profile);
    let page = context.pages()[0] ?? (await context.newPage());
    await page.goto(link.url + '/');
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 30_000 });
    await page.locator('[data-testid=connection-state][data-state=synced]').waitFor({ timeout: 30_000 });
    link.setOnline(false);
    await context.setOffline(true);

    const seedStarted = performance.now();
    const { bytes } = await seed(page, COUNT);
    console.log(`seeded ${COUNT} queued submissions (${mb(bytes)} of envelopes) in ${ms(performance.now() - seedStarted)}`);
    await context.close();

    const summaries: { name: string; cold: StartFigures[]; warm: StartFigures[]; loadMore: number[][] }[] = [];
    const configs = [{ name: '', throttle: 1 }];
    if (THROTTLE > 1) configs.push({ name: ` (CPU ÷${THROTTLE})`, throttle: THROTTLE });
    for (const config of configs) {
      const summary = { name: config.name, cold: [] as StartFigures[], warm: [] as StartFigures[], loadMore: [] as number[][] };
      summaries.push(summary);
      for (let run = 0; run < RUNS; run++) {
        // Cold: a fresh browser process on the same profile, no signal.
        context = await launchPhone(profile, { offline: true });
        page = context.pages()[0] ?? (await context.newPage());
        await page.addInitScript(MARK_QUEUE_VIEW);
        const cdp = await context.newCDPSession(page);
        await cdp.send('Performance.enable');
        if (config.throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: config.throttle });
        summary.cold.push(await measureStart(page, cdp, listUrl, 'goto'));
        // Warm: the same browser opens the app again.
        summary.warm.push(await measureStart(page, cdp, listUrl, 'reload'));
        const steps: number[] = [];
        for (let shown = PAGE_SIZE; shown < Math.min(COUNT, 4 * PAGE_SIZE); shown += PAGE_SIZE) {
          const more = await measureLoadMore(page);
          if (more.items !== shown + PAGE_SIZE) throw new Error(`expected ${shown + PAGE_SIZE} items after "load more", saw ${more.items}`);
          steps.push(more.ms);
        }
        summary.loadMore.push(steps);
        await context.close();
        context = undefined;
      }
    }

    console.log(
      `\nDevice at volume: ${COUNT} queued submissions, no signal, headless Chromium; median of ${RUNS} runs ` +
        `(load average at start ${loadAtStart}). Times from the start of navigation to /#/permohonan.\n`,
    );
    const table: string[][] = [['start', 'first item', 'waiting count', 'view range', 'heap peak', 'heap settled', 'heap after GC', 'view ≤ 1 s', 'heap ≤ 60 MB']];
    for (const summary of summaries) {
      for (const [kind, figures] of [['cold', summary.cold], ['warm', summary.warm]] as const) {
        const view = figures.map((f) => Math.max(f.itemMs, f.waitingMs));
        const peak = median(figures.map((f) => f.peakHeap));
        table.push([
          `${kind} start${summary.name}`,
          ms(median(figures.map((f) => f.itemMs))),
          ms(median(figures.map((f) => f.waitingMs))),
          `${Math.round(Math.min(...view))}–${Math.round(Math.max(...view))}`,
          mb(peak),
          mb(median(figures.map((f) => f.settledHeap))),
          mb(median(figures.map((f) => f.retainedHeap))),
          verdict(median(view) <= TARGET_VIEW_MS),
          verdict(peak <= TARGET_HEAP_BYTES),
        ]);
      }
    }
    printTable(table);
    console.log('');
    const more: string[][] = [['"Tampilkan lebih banyak"', ...(summaries[0]?.loadMore[0] ?? []).map((_, i) => `${(i + 1) * PAGE_SIZE} → ${(i + 2) * PAGE_SIZE}`)]];
    for (const summary of summaries) {
      const steps = summary.loadMore[0]?.length ?? 0;
      more.push([`click → rendered${summary.name}`, ...Array.from({ length: steps }, (_, i) => ms(median(summary.loadMore.map((run) => run[i] ?? Number.NaN))))]);
    }
    printTable(more);
  } finally {
    await context?.close();
    await link.close();
    await server.stop();
    await rm(profile, { recursive: true, force: true });
    await rm(server.dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
