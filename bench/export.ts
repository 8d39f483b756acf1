// Exports of a year of submissions: ~100,000 generated submissions (tests/support/seed/generator.ts,
// sealed at rest as the server stores them) are loaded into SQLite and PostgreSQL, then the real
// server (compiled, with the 192 MB heap cap `npm start` gives it) is asked over HTTP for the year
// as CSV (one file per service) and as XLSX (every service in one workbook), as the province and as
// a regency operator. Prints each export's time to the last byte, size, the server's CPU time and
// peak RSS during it, and the machine's load. The baseline, from the same run and the same
// database: the bare read of the same rows with the export's own paged query (the physical bound
// of any export), and that read with each row's answers opened (decrypted and parsed), both timed
// in the bench process before the server starts. Ratios are each export's time over the bare read.
//
//   npm run bench:export                              # 100,000 submissions, both dialects
//   npm run bench:export -- --quick                   # 10,000 submissions, both dialects
//   npm run bench:export -- --count 20000 --dialects sqlite --tsx
//
// Targets (issue #14): each export under 60 s, the server under 300 MB RSS. Exits 0 whatever the
// figures. On a loaded machine the times (and the ratios) are pessimistic; RSS and CPU time hold.
import './support/bench-kek.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DialectName } from '../server/db/schema.ts';
import { generateSubmissions } from '../tests/support/seed/generator.ts';
import { loadSeed, storedRegion } from '../tests/support/seed/load-db.ts';
import { officer, TEST_AUTH } from '../tests/server/auth-fixtures.ts';
import { openTestApp, type TestApp } from '../tests/server/helpers.ts';
import { startServerProcess, type ServerProcess } from '../tests/support/server-process.ts';
import { buildServer, startCompiledServer } from './support/compiled-server.ts';
import { benchArgs } from './support/args.ts';
import { cleanupAll, onCleanup } from './support/cleanup.ts';
import { periodRange } from '../core/kpi/periods.ts';
import { submissionPages, type ExportWindow } from '../server/repositories/exports.ts';
import { openPayload } from '../server/repositories/submission-fields.ts';
import { fmtBytes, fmtInt, fmtMs, fmtRatio, machineLoad, mark, peakRss, printTable, processCpuMs } from './support/report.ts';

const args = benchArgs('bench:export', 'A year of submissions exported as CSV and XLSX by the real server, on both dialects (bench/README.md).', {
  count: { type: 'string' },
  quick: { type: 'boolean', default: false },
  dialects: { type: 'string', default: 'sqlite,postgres' },
  tsx: { type: 'boolean', default: false },
  'database-url': { type: 'string', default: process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
});

const COUNT = Number(args.count ?? (args.quick ? 10_000 : 100_000));
const FROM = '2025-01-01T00:00:00+07:00';
const PERIOD = '2025';
const TARGET = { ms: 60_000, rssBytes: 300 * 1024 * 1024 };

/** Resets the process's peak RSS (VmHWM) so the next reading is this export's; Linux, own children only. */
function resetPeak(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // Not Linux or not allowed: the peak then covers the server's life so far, which only overstates.
  }
}

interface Measured {
  ms: number;
  bytes: number;
  rss: number;
  /** The server's CPU time (user + system) during the export. */
  cpuMs: number;
  /** The 1-minute load average at the end. */
  load: number;
}

const load1 = () => loadavg()[0] ?? Number.NaN;

async function download(server: ServerProcess, token: string, query: string): Promise<Measured> {
  resetPeak(server.child.pid);
  const cpu0 = processCpuMs(server.child.pid);
  const start = performance.now();
  // node:http, not fetch: fetch gives up on an answer whose first bytes take over 300 s.
  const bytes = await new Promise<number>((resolve, reject) => {
    const req = http.get(`${server.url}/api/v1/exports/submissions?period=${PERIOD}&${query}`, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      let n = 0;
      res.on('data', (chunk: Buffer) => (n += chunk.length));
      res.on('end', () => (res.statusCode === 200 ? resolve(n) : reject(new Error(`export ${query} answered ${res.statusCode}`))));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
  return { ms: performance.now() - start, bytes, rss: peakRss(server.child.pid), cpuMs: processCpuMs(server.child.pid) - cpu0, load: load1() };
}

/**
 * The baseline: every service's rows of the year read with the export's own query and page size
 * (and, with `open`, each row's answers decrypted and parsed), in this process, nothing written.
 */
async function readAll(t: TestApp, services: readonly string[], open: boolean): Promise<{ ms: number; cpuMs: number; rows: number; load: number }> {
  const w: ExportWindow = { scope: '19', ...periodRange(PERIOD) };
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  let rows = 0;
  for (const formId of services) {
    for await (const page of submissionPages(t.db, w, { formId })) {
      rows += page.length;
      if (open) for (const row of page) await openPayload(t.app.dataKeys, row.id, row.payload);
    }
  }
  const cpu = process.cpuUsage(cpu0);
  return { ms: performance.now() - start, cpuMs: (cpu.user + cpu.system) / 1000, rows, load: load1() };
}

const fmtLoad = (x: number) => x.toFixed(1);

async function benchDialect(dialect: DialectName, records: ReturnType<typeof generateSubmissions>): Promise<string[][]> {
  const keysDir = mkdtempSync(join(tmpdir(), 'jangkau-bench-keys-'));
  const t = await openTestApp(dialect, args['database-url'], { auth: TEST_AUTH, handoff: { keysDir } });
  const done = onCleanup(async () => {
    await t.close();
    rmSync(keysDir, { recursive: true, force: true });
  });
  const rows: string[][] = [];
  try {
    const start = performance.now();
    await loadSeed(t.db, records, 500, t.app.dataKeys);
    console.log(`${dialect}: loaded ${fmtInt(records.length)} sealed submissions in ${fmtMs(performance.now() - start)}`);
    const admin = await officer(t, 'admin_provinsi', '19');
    const operator = await officer(t, 'operator', '19.01');
    const services = [...new Set(records.map((r) => r.formId))].sort();
    const inRegency = records.filter((r) => storedRegion(r).startsWith('19.01')).length;
    // The baseline, read twice each so the second finds the database as warm as the exports will.
    await readAll(t, services, false);
    const bare = await readAll(t, services, false);
    const opened = await readAll(t, services, true);
    if (bare.rows !== records.length) throw new Error(`the bare read found ${bare.rows} rows, not ${records.length}`);
    const base = (label: string, m: { ms: number; cpuMs: number; load: number }) =>
      [dialect, label, fmtInt(records.length), '–', fmtMs(m.ms), fmtRatio(m.ms / bare.ms), `${fmtMs(m.cpuMs)} (bench)`, '–', fmtLoad(m.load)];
    rows.push(base('bare read of the rows (baseline)', bare), base('read + open answers (decrypt, parse)', opened));
    console.log(`  ${dialect} bare read: ${fmtMs(bare.ms)} (CPU ${fmtMs(bare.cpuMs)}); with answers opened: ${fmtMs(opened.ms)} (CPU ${fmtMs(opened.cpuMs)})`);
    await t.app.close();

    const env: NodeJS.ProcessEnv = dialect === 'sqlite' ? { DATA_DIR: t.dataDir } : { DATABASE_URL: args['database-url'], DATABASE_SCHEMA: t.schema };
    // A loaded machine can take a while to start a server: wait up to 3 minutes.
    const server = args.tsx ? await startServerProcess({ env, startTimeoutMs: 180_000 }) : await startCompiledServer({ env, startTimeoutMs: 180_000 });
    const stop = onCleanup(() => server.stop());
    const row = (label: string, count: number, m: Measured) =>
      [dialect, label, fmtInt(count), fmtBytes(m.bytes), `${fmtMs(m.ms)} ${mark(m.ms < TARGET.ms)}`, fmtRatio(m.ms / bare.ms), fmtMs(m.cpuMs), `${fmtBytes(m.rss)} ${mark(m.rss < TARGET.rssBytes)}`, fmtLoad(m.load)];
    try {
      const csv: Measured = { ms: 0, bytes: 0, rss: 0, cpuMs: 0, load: 0 };
      for (const form of services) {
        const m = await download(server, admin.token, `format=csv&form=${form}`);
        csv.ms += m.ms;
        csv.bytes += m.bytes;
        csv.cpuMs += m.cpuMs;
        csv.rss = Math.max(csv.rss, m.rss);
        csv.load = m.load;
        console.log(`  ${dialect} CSV ${form}: ${fmtMs(m.ms)}, ${fmtBytes(m.bytes)}, CPU ${fmtMs(m.cpuMs)}, peak RSS ${fmtBytes(m.rss)}, load ${fmtLoad(m.load)}`);
      }
      rows.push(row(`CSV, ${services.length} files`, records.length, csv));
      for (const [label, token, query, count] of [
        ['XLSX, province, every service', admin.token, 'format=xlsx', records.length],
        ['XLSX, one regency', operator.token, 'format=xlsx&region=19.01', inRegency],
      ] as const) {
        const m = await download(server, token, query);
        console.log(`  ${dialect} ${label}: ${fmtMs(m.ms)}, ${fmtBytes(m.bytes)}, CPU ${fmtMs(m.cpuMs)}, peak RSS ${fmtBytes(m.rss)}, load ${fmtLoad(m.load)}`);
        rows.push(row(label, count, m));
      }
    } finally {
      await stop();
    }
  } finally {
    await done();
  }
  return rows;
}

async function main(): Promise<void> {
  console.log(machineLoad());
  if (!args.tsx) {
    const start = performance.now();
    await buildServer();
    console.log(`server: compiled JavaScript with the 192 MB heap cap, as npm start runs it (built in ${fmtMs(performance.now() - start)})`);
  }
  const records = generateSubmissions({ count: COUNT, seed: 2025, from: FROM, days: 365 });
  const rows: string[][] = [];
  for (const dialect of args.dialects.split(',') as DialectName[]) rows.push(...(await benchDialect(dialect, records)));
  console.log();
  printTable(['db', 'export', 'submissions', 'size', 'time (< 60 s)', '÷ bare read', 'CPU time', 'server peak RSS (< 300 MB)', 'load (1 min)'], rows);
  console.log('bare read: the same rows through the export\'s own paged query, in the bench process (the physical bound); ÷ bare read: time over it.');
  console.log('CPU time: the server process\'s user + system time during the export (compression runs on its thread pool and counts).');
  console.log('peak RSS: VmHWM of the server process, reset before each export (the CSV row: the largest of its files).');
  console.log(machineLoad());
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => cleanupAll());
