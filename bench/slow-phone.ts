// npm run bench:slow-phone — an entry-level phone on an island link: the built app in Debian's
// Chromium with its CPU throttled 4× (CDP Emulation.setCPUThrottlingRate) behind the weak-link
// proxy on the pulau-edge profile, 200 requests stored. It measures what DESIGN.md budgets:
//  1. offline cold start (a fresh browser process, no signal) to a usable PPID form: its heading
//     drawn, no field still loading, "Kirim permohonan" enabled, and the next frame painted;
//  2. filling the form as a person does (keys typed one by one, choices tapped) and sending it
//     once the link is back: the Interaction to Next Paint of every key, tap and the send, from
//     the page's own Event Timing entries (PerformanceObserver 'event', interactionId);
//  3. opening "Permohonan saya" from the tab bar with the 200 requests and the new one stored:
//     the tap's INP, and the time until the list is drawn.
// Budget: cold start ≤ 1.5 s, every interaction ≤ 100 ms. It reports against the budget and never
// fails on it. The service worker runs in its own target and is not throttled (on a cold start
// offline it only answers from its cache). Options: --help, --quick (one run, fewer keys),
// --runs, --throttle, --count, --profile <file.cpuprofile> (the first cold start's CPU profile, and
// its heaviest functions printed), --base DIR [--new DIR] (cold starts only, two builds alternated:
// their ratio); BENCH_SKIP_BUILD=1 measures the dist/ already built.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { ppidPermohonanV1 } from '../core/forms/catalog/ppid-permohonan.ts';
import type { FormData } from '../core/forms/definition.ts';
import { chromiumAvailable, CHROMIUM_PATH, launchPhone } from '../tests/support/chromium.ts';
import { fillForm, sampleAnswers } from '../tests/support/form-filler.ts';
import { queuedRows, writeRows } from '../tests/support/phone-rows.ts';
import { startServerProcess } from '../tests/support/server-process.ts';
import { startWeakLinkProxy } from '../tests/support/weak-link/proxy.ts';
import { domId } from '../src/features/requests/fields/paths.ts';
import { benchArgs } from './support/args.ts';
import { hostSpeed, machineLoad, median, printTable } from './support/report.ts';

const args = benchArgs('bench:slow-phone', 'A slow, cheap phone: offline cold start to a usable form, INP while filling and sending the PPID form, and opening "Permohonan saya" (bench/README.md).', {
  /** One run and fewer typed keys: a quick look, not a figure for the README. */
  quick: { type: 'boolean', default: false },
  runs: { type: 'string', default: '3' },
  /** Chromium's CPU slowed this many times (4 = an entry-level Android phone). */
  throttle: { type: 'string', default: '4' },
  /** Requests stored on the phone before the runs. */
  count: { type: 'string', default: '200' },
  /** Writes a CPU profile of the first run's cold start here (open it in DevTools' Performance panel). */
  profile: { type: 'string' },
  /**
   * Cold starts only, two builds alternated in one session: this folder (the baseline, e.g. the
   * parent commit's `vite build --outDir`) against `--new` (default dist/). Prints each pair, the
   * ratio new ÷ base and the start-up marks; for comparing on a busy machine.
   */
  base: { type: 'string' },
  new: { type: 'string' },
});
const QUICK = args.quick === true;
const RUNS = QUICK ? 1 : Math.max(1, Number(args.runs));
const THROTTLE = Math.max(1, Number(args.throttle));
const COUNT = Number(args.count);

const BUDGET_START_MS = 1_500;
const BUDGET_INP_MS = 100;
const FORM_URL = `/#/ajukan/${ppidPermohonanV1.formId}`;

/** What a person types key by key (the rest of the form is filled and tapped). */
const TYPED: Record<string, string> = QUICK
  ? { nama: 'Siti Aminah', rincianInformasi: 'Salinan DPT TPS 3' }
  : {
      nama: 'Siti Aminah binti Rasyid',
      rincianInformasi: 'Salinan DPT dan formulir hasil TPS 003 Desa Tanjung Labu, Kecamatan Lepar Pongok',
      tujuanPenggunaan: 'Memastikan nama keluarga kami terdaftar',
    };

/**
 * Printed by the page when the form is usable. The bench waits for it on the console rather than
 * polling the page (page.waitForFunction): polling first injects Playwright's own script into the
 * page, ~100 kB compiled and run on the throttled main thread in the middle of the cold start
 * (100–260 ms of it in a trace), which a phone never pays.
 */
const USABLE_SIGNAL = 'jangkau-bench:usable';

/** Call before the navigation; resolves when the page says the form is usable. */
function whenUsable(page: Page): Promise<unknown> {
  return page.waitForEvent('console', { predicate: (m) => m.text() === USABLE_SIGNAL, timeout: 60_000 });
}

// Page-side code is passed as source text: tsx wraps named functions in a `__name` helper that
// exists only in Node, so a function serialised into the page would throw there.

/**
 * Before the app's scripts: marks when the form becomes usable (then one more frame), and keeps
 * every Event Timing entry of an interaction (interactionId > 0) with the phase it fell in.
 */
const OBSERVE = `(() => {
  const bench = { usable: undefined, phase: 'start', events: [] };
  window.__bench = bench;
  const ready = () =>
    document.querySelector('main form h1') &&
    document.querySelector('main form button[type=submit]:not(:disabled)') &&
    !document.querySelector('main [aria-busy="true"], [data-testid="draft-offer"]');
  const observer = new MutationObserver(() => {
    if (bench.usable !== undefined || bench.pending || !ready()) return;
    bench.pending = true;
    requestAnimationFrame(() => setTimeout(() => { bench.usable = performance.now(); console.debug(${JSON.stringify(USABLE_SIGNAL)}); }, 0));
    observer.disconnect();
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true });
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (!e.interactionId) continue;
      bench.events.push({ id: e.interactionId, name: e.name, duration: e.duration, phase: bench.phase,
        input: e.processingStart - e.startTime, processing: e.processingEnd - e.processingStart,
        presentation: e.startTime + e.duration - e.processingEnd });
    }
  }).observe({ type: 'event', durationThreshold: 16, buffered: true });
})();`;

interface EventRow {
  id: number;
  name: string;
  duration: number;
  phase: string;
  input: number;
  processing: number;
  presentation: number;
}

interface Interaction {
  phase: string;
  duration: number;
  name: string;
  processing: number;
}

/** One interaction per interactionId: its longest event (as INP counts it). */
function interactions(events: readonly EventRow[]): Interaction[] {
  const byId = new Map<number, Interaction>();
  for (const e of events) {
    const seen = byId.get(e.id);
    if (!seen || e.duration > seen.duration) byId.set(e.id, { phase: e.phase, duration: e.duration, name: e.name, processing: e.processing });
  }
  return [...byId.values()];
}

/** INP as browsers define it: the worst interaction, ignoring one in every 50. */
function inp(list: readonly Interaction[]): number {
  if (list.length === 0) return 0;
  const sorted = list.map((i) => i.duration).sort((a, b) => b - a);
  return sorted[Math.min(sorted.length - 1, Math.floor(list.length / 50))]!;
}

async function setPhase(page: Page, phase: string): Promise<void> {
  await page.evaluate((p) => ((window as unknown as { __bench: { phase: string } }).__bench.phase = p), phase);
}

interface RunFigures {
  usableMs: number;
  /** Interactions with an Event Timing entry of 16 ms or more (shorter ones are not reported). */
  slow: Interaction[];
  /** Interactions the bench made, per phase (for "n of m over budget"). */
  made: Record<string, number>;
  sendToReceiptMs: number;
  openListMs: number;
  listed: number;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** Self time per function (and per script) of a CDP CPU profile, heaviest first. */
function heaviest(profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }, top = 12): string[] {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  const perScript = new Map<string, number>();
  for (const [i, id] of profile.samples.entries()) {
    const node = byNode.get(id);
    if (!node) continue;
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    const file = node.callFrame.url.split('/').pop() || '(native)';
    const key = `${node.callFrame.functionName || '(anonymous)'} ${file}:${node.callFrame.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
    perScript.set(file, (perScript.get(file) ?? 0) + dt);
  }
  const lines = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => `  ${ms(v).padStart(8)}  ${k}`);
  return ['by script:', ...lines(perScript), 'by function (self time):', ...lines(self)];
}

async function oneRun(profile: string, origin: string, setSignal: (on: boolean) => Promise<void>, context: { current?: BrowserContext }, profileTo?: string): Promise<RunFigures> {
  await setSignal(false);
  const ctx = await launchPhone(profile, { offline: true });
  context.current = ctx;
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  await page.addInitScript(OBSERVE);
  const cdp = await ctx.newCDPSession(page);
  if (THROTTLE > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
  const made: Record<string, number> = {};
  if (profileTo) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }

  // 1. Offline cold start. A draft of an earlier run would be offered first; there is none (each
  // run sends its form), so the form itself is what appears.
  const usable = whenUsable(page);
  await page.goto(origin + FORM_URL);
  await usable;
  const usableMs = await page.evaluate(() => (window as unknown as { __bench: { usable: number } }).__bench.usable);
  if (profileTo) {
    const { profile: cpu } = await cdp.send('Profiler.stop');
    await writeFile(profileTo, JSON.stringify(cpu));
    console.log(`CPU profile of the cold start written to ${profileTo}`);
    for (const line of heaviest(cpu as unknown as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] })) console.log(line);
    const timing = await page.evaluate(() =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((r) => `  ${Math.round(r.startTime)}–${Math.round(r.responseEnd)} ms  ${r.name.split('/').pop()}`),
    );
    console.log(`resources of the cold start (from the worker's cache):\n${timing.join('\n')}`);
    // Where the navigation's own time went: the worker's start, the page from its cache, the
    // scripts' evaluation until the document was parsed, and the rest until the form was usable.
    const nav = await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      return n && { workerStart: n.workerStart, fetchStart: n.fetchStart, responseStart: n.responseStart, responseEnd: n.responseEnd, domInteractive: n.domInteractive, domContentLoaded: n.domContentLoadedEventEnd };
    });
    const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => `${m.name} ${Math.round(m.startTime)}`));
    if (marks.length > 0) console.log(`marks: ${marks.join(', ')}`);
    if (nav) {
      console.log(
        `navigation: worker started ${ms(nav.workerStart)}, page requested ${ms(nav.fetchStart)}, first byte ${ms(nav.responseStart)}, ` +
          `page in ${ms(nav.responseEnd)}, parsed ${ms(nav.domInteractive)}, DOMContentLoaded (module scripts run) ${ms(nav.domContentLoaded)}, usable ${ms(usableMs)}`,
      );
    }
  }

  // 2. Filling in, still without signal: keys one by one, taps on the choices.
  await setPhase(page, 'typing');
  const answers = sampleAnswers(ppidPermohonanV1);
  for (const [name, text] of Object.entries(TYPED)) {
    const input = page.locator(`[id="${domId(name)}"]`);
    await input.click();
    await input.pressSequentially(text);
    made.typing = (made.typing ?? 0) + 1 + text.length;
  }
  await setPhase(page, 'choices and other fields');
  const rest: FormData = Object.fromEntries(Object.entries(answers).filter(([k]) => !(k in TYPED)));
  await fillForm(page, ppidPermohonanV1, rest);
  made['choices and other fields'] = ppidPermohonanV1.fields.filter((f) => f.type === 'choice' && rest[f.name] !== undefined).length;

  // The signal comes back (pulau-edge), and the person sends.
  await setSignal(true);
  await setPhase(page, 'send');
  const sent = await page.evaluate(() => performance.now());
  await page.getByRole('button', { name: 'Kirim permohonan' }).click();
  await page.getByTestId('request-detail').waitFor({ timeout: 60_000 });
  const sendToReceiptMs = (await page.evaluate(() => performance.now())) - sent;
  made.send = 1;

  // 3. "Permohonan saya" from the tab bar.
  await setPhase(page, 'open my requests');
  const opened = await page.evaluate(() => performance.now());
  await page.locator('nav.tabs a[href="#/permohonan"]').click();
  await page.getByTestId('request-item').first().waitFor({ timeout: 60_000 });
  const openListMs = (await page.evaluate(() => performance.now())) - opened;
  const listed = await page.getByTestId('request-item').count();
  made['open my requests'] = 1;

  // Event Timing reports an interaction when its next frame is presented; one more frame.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 100))));
  const events = await page.evaluate(() => (window as unknown as { __bench: { events: EventRow[] } }).__bench.events);
  await ctx.close();
  context.current = undefined;
  return { usableMs, slow: interactions(events), made, sendToReceiptMs, openListMs, listed };
}

const ms = (v: number) => `${Math.round(v)} ms`;
const verdict = (ok: boolean) => (ok ? '✓' : '✗ MISSED');

function answersFor(i: number): FormData {
  return { ...sampleAnswers(ppidPermohonanV1), nama: `Warga Pulau Lepar ${i}`, rincianInformasi: `Salinan DPT TPS ${i % 60}, permohonan nomor ${i}.` };
}

/** One phone for the paired comparison: its own server (serving one build), link and profile. */
interface PairPhone {
  label: string;
  origin: string;
  setSignal(on: boolean): Promise<void>;
  profile: string;
  close(): Promise<void>;
}

async function preparePhone(label: string, staticDir: string): Promise<PairPhone> {
  const server = await startServerProcess({ port: 0, startTimeoutMs: 90_000, env: { STATIC_DIR: staticDir } });
  // The cold start is offline: the link carries nothing then, so the first visit may go fast.
  const link = await startWeakLinkProxy({ target: { host: '127.0.0.1', port: server.port }, profile: 'loopback' });
  const profile = await mkdtemp(join(tmpdir(), `jangkau-bench-slow-phone-${label}-`));
  const ctx = await launchPhone(profile);
  try {
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    await page.goto(link.url + '/', { timeout: 120_000 });
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 120_000 });
    await page.locator('[data-testid=connection-state][data-state=synced]').waitFor({ timeout: 120_000 });
    link.setOnline(false);
    await ctx.setOffline(true);
    await writeRows(page, queuedRows(answersFor, 0, COUNT, Date.now() - COUNT * 60_000, 60_000));
  } finally {
    await ctx.close();
  }
  return {
    label,
    origin: link.url,
    profile,
    setSignal: async (on) => link.setOnline(on),
    close: async () => {
      await link.close();
      await server.stop();
      await rm(profile, { recursive: true, force: true });
      await rm(server.dataDir, { recursive: true, force: true });
    },
  };
}

/** One offline cold start to the usable form; the start-up marks with it. */
async function coldStart(phone: PairPhone): Promise<{ usableMs: number; marks: Record<string, number>; taskCpuMs: number; scriptCpuMs: number }> {
  await phone.setSignal(false);
  const ctx = await launchPhone(phone.profile, { offline: true });
  try {
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    await page.addInitScript(OBSERVE);
    const cdp = await ctx.newCDPSession(page);
    if (THROTTLE > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: THROTTLE });
    // The page's main-thread work in thread CPU time, which a busy machine inflates far less than
    // the wall clock (the throttle pauses the thread; a pause is no CPU time).
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
    const usable = whenUsable(page);
    await page.goto(phone.origin + FORM_URL);
    await usable;
    const { metrics } = await cdp.send('Performance.getMetrics');
    const cpu = (name: string) => (metrics.find((m) => m.name === name)?.value ?? 0) * 1000;
    const usableMs = await page.evaluate(() => (window as unknown as { __bench: { usable: number } }).__bench.usable);
    const marks = await page.evaluate(() => {
      const out: Record<string, number> = {};
      for (const m of performance.getEntriesByType('mark')) out[m.name] ??= m.startTime;
      const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      if (n) out['(DOMContentLoaded)'] = n.domContentLoadedEventEnd;
      return out;
    });
    return { usableMs, marks, taskCpuMs: cpu('TaskDuration'), scriptCpuMs: cpu('ScriptDuration') };
  } finally {
    await ctx.close();
  }
}

/** --base: the two builds' cold starts alternated (ABBA), so a busy machine weighs on both alike. */
async function pairs(baseDir: string, newDir: string): Promise<void> {
  const loadAtStart = machineLoad();
  const [base, next] = await Promise.all([preparePhone('base', baseDir), preparePhone('new', newDir)]);
  try {
    const rows: string[][] = [];
    const ratios: number[] = [];
    const cpuRatios: number[] = [];
    const appRatios: number[] = [];
    const marks: Record<string, Record<string, number[]>> = { base: {}, new: {} };
    for (let i = 0; i < RUNS; i++) {
      const order = i % 2 === 0 ? [base, next] : [next, base];
      const got: Record<string, number> = {};
      const task: Record<string, number> = {};
      const app: Record<string, number> = {};
      for (const phone of order) {
        const { usableMs, marks: m, taskCpuMs, scriptCpuMs } = await coldStart(phone);
        got[phone.label] = usableMs;
        task[phone.label] = taskCpuMs;
        app[phone.label] = usableMs - (m['jangkau:main'] ?? 0);
        for (const [k, v] of Object.entries({ ...m, '(main-thread CPU, tasks)': taskCpuMs, '(main-thread CPU, script)': scriptCpuMs })) (marks[phone.label]![k] ??= []).push(v);
      }
      const ratio = got.new! / got.base!;
      ratios.push(ratio);
      cpuRatios.push(task.new! / task.base!);
      appRatios.push(app.new! / app.base!);
      rows.push([
        String(i + 1),
        loadavg()[0]!.toFixed(1),
        ms(got.base!),
        ms(got.new!),
        ratio.toFixed(2),
        `${ms(app.base!)} / ${ms(app.new!)}`,
        (app.new! / app.base!).toFixed(2),
        `${ms(task.base!)} / ${ms(task.new!)}`,
        (task.new! / task.base!).toFixed(2),
      ]);
    }
    console.log(`\nOffline cold start → usable form, CPU ÷${THROTTLE}, ${COUNT} requests stored, base ${baseDir} against new ${newDir} (at start: ${loadAtStart}).\n${hostSpeed()}; the throttle is relative to it.\n`);
    // "entry → usable": from the app's entry module running (jangkau:main) to the usable form, the
    // part the app's own start-up decides; before it the browser starts and loads the scripts.
    printTable(['pair', 'load (1 min)', 'base', 'new', 'new ÷ base', 'entry → usable base / new', 'new ÷ base', 'main-thread CPU base / new', 'new ÷ base'], rows);
    console.log(
      `\nmedian of the ${ratios.length} pairs' ratios new ÷ base: cold start ${median(ratios).toFixed(2)}, ` +
        `entry → usable ${median(appRatios).toFixed(2)}, main-thread CPU until usable ${median(cpuRatios).toFixed(2)}`,
    );
    console.log('\nmedian start-up marks (ms after navigation):');
    const names = [...new Set([...Object.keys(marks.base!), ...Object.keys(marks.new!)])].sort((a, b) => median(marks.base![a] ?? marks.new![a]!) - median(marks.base![b] ?? marks.new![b]!));
    printTable(['mark', 'base', 'new'], names.map((n) => [n, marks.base![n] ? ms(median(marks.base![n]!)) : '–', marks.new![n] ? ms(median(marks.new![n]!)) : '–']));
  } finally {
    await base.close();
    await next.close();
  }
}

async function main(): Promise<void> {
  if (!chromiumAvailable()) {
    console.log(`bench:slow-phone skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium).`);
    return;
  }
  if (args.base !== undefined) {
    await pairs(args.base, args.new ?? join(process.cwd(), 'dist'));
    return;
  }
  if (process.env.BENCH_SKIP_BUILD !== '1') {
    execFileSync('npm', ['run', '--silent', 'build', '--', '--logLevel', 'warn'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
  }
  const loadAtStart = machineLoad();
  // Through tsx, a busy machine can take a while to start the server.
  const server = await startServerProcess({ port: 0, startTimeoutMs: 90_000 });
  const link = await startWeakLinkProxy({ target: { host: '127.0.0.1', port: server.port }, profile: 'pulau-edge' });
  const profile = await mkdtemp(join(tmpdir(), 'jangkau-bench-slow-phone-'));
  const context: { current?: BrowserContext } = {};
  const setSignal = async (on: boolean) => {
    link.setOnline(on);
    await context.current?.setOffline(!on);
  };
  try {
    // First visit online over pulau-edge: the worker installs and precaches the app.
    context.current = await launchPhone(profile);
    const page = context.current.pages()[0] ?? (await context.current.newPage());
    const firstVisit = performance.now();
    await page.goto(link.url + '/', { timeout: 120_000 });
    await page.getByRole('heading', { level: 1 }).first().waitFor({ timeout: 120_000 });
    await page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 120_000 });
    await page.locator('[data-testid=connection-state][data-state=synced]').waitFor({ timeout: 120_000 });
    console.log(`first visit over pulau-edge until the worker controls the page and the first sync is done: ${ms(performance.now() - firstVisit)}`);
    await setSignal(false);
    await writeRows(page, queuedRows(answersFor, 0, COUNT, Date.now() - COUNT * 60_000, 60_000));
    await context.current.close();
    context.current = undefined;

    const runs: RunFigures[] = [];
    for (let run = 0; run < RUNS; run++) runs.push(await oneRun(profile, link.url, setSignal, context, run === 0 ? args.profile : undefined));

    console.log(
      `\nSlow phone: Chromium CPU ÷${THROTTLE}, pulau-edge link, ${COUNT} requests stored; median of ${RUNS} run(s) ` +
        `(at start: ${loadAtStart}).\n${hostSpeed()}; the throttle is relative to it.\n`,
    );
    const usable = runs.map((r) => r.usableMs);
    const table: string[][] = [];
    table.push(['offline cold start → usable form', ms(median(usable)), `${Math.round(Math.min(...usable))}–${Math.round(Math.max(...usable))}`, '≤ 1500 ms', verdict(median(usable) <= BUDGET_START_MS)]);
    const phases = ['typing', 'choices and other fields', 'send', 'open my requests'];
    for (const phase of phases) {
      const perRun = runs.map((r) => r.slow.filter((i) => i.phase === phase));
      const inps = perRun.map(inp);
      const over = perRun.map((list) => list.filter((i) => i.duration > BUDGET_INP_MS).length);
      const madeCount = runs[0]?.made[phase] ?? 0;
      table.push([
        `INP: ${phase} (${madeCount} interaction${madeCount === 1 ? '' : 's'})`,
        ms(median(inps)),
        `${Math.round(Math.min(...inps))}–${Math.round(Math.max(...inps))}`,
        '≤ 100 ms',
        `${verdict(median(inps) <= BUDGET_INP_MS)} (${median(over)} over)`,
      ]);
    }
    const all = runs.map((r) => inp(r.slow));
    table.push(['INP: whole visit', ms(median(all)), `${Math.round(Math.min(...all))}–${Math.round(Math.max(...all))}`, '≤ 100 ms', verdict(median(all) <= BUDGET_INP_MS)]);
    printTable(['step', 'median', 'range', 'budget', 'verdict'], table);
    console.log('');
    printTable(['also measured', 'median'], [
      ['"Kirim permohonan" → receipt on screen', ms(median(runs.map((r) => r.sendToReceiptMs)))],
      ['"Permohonan saya" tap → list drawn', ms(median(runs.map((r) => r.openListMs)))],
      ['requests drawn on the list (first page)', String(runs[0]?.listed ?? 0)],
    ]);
    const worst = runs.flatMap((r) => r.slow).sort((a, b) => b.duration - a.duration).slice(0, 5);
    if (worst.length > 0) {
      console.log('\nslowest interactions (event, phase, duration, of which handlers):');
      for (const w of worst) console.log(`  ${w.name.padEnd(12)} ${w.phase.padEnd(26)} ${ms(w.duration).padStart(7)}  ${ms(w.processing).padStart(7)}`);
    }
  } finally {
    await context.current?.close();
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
