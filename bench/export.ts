// Exports of a year of submissions: ~100,000 generated submissions (tests/support/seed/generator.ts,
// sealed at rest as the server stores them) are loaded into SQLite and PostgreSQL, then the real
// server (compiled, with the 192 MB heap cap `npm start` gives it) is asked over HTTP for the year
// as CSV (one file per service: the plain dump, the baseline) and as XLSX (every service in one
// workbook), as the province and as a regency operator. Prints each export's time, size and the
// server's peak RSS during it, with ratios against the CSV baseline of the same run.
//
//   npm run bench:export                              # 100,000 submissions, both dialects
//   npm run bench:export -- --count 20000 --dialects sqlite --tsx
//
// Targets (issue #14): each export under 60 s, the server under 300 MB RSS. Exits 0 whatever the figures.
import './support/bench-kek.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DialectName } from '../server/db/schema.ts';
import { generateSubmissions } from '../tests/support/seed/generator.ts';
import { loadSeed, storedRegion } from '../tests/support/seed/load-db.ts';
import { officer, TEST_AUTH } from '../tests/server/auth-fixtures.ts';
import { openTestApp } from '../tests/server/helpers.ts';
import { startServerProcess, type ServerProcess } from '../tests/support/server-process.ts';
import { buildServer, startCompiledServer } from './support/compiled-server.ts';
import { benchArgs } from './support/args.ts';
import { cleanupAll, onCleanup } from './support/cleanup.ts';
import { fmtBytes, fmtInt, fmtMs, fmtRatio, machineLoad, mark, peakRss, printTable } from './support/report.ts';

const args = benchArgs('bench:export', 'A year of submissions exported as CSV and XLSX by the real server, on both dialects (bench/README.md).', {
  count: { type: 'string', default: '100000' },
  dialects: { type: 'string', default: 'sqlite,postgres' },
  tsx: { type: 'boolean', default: false },
  'database-url': { type: 'string', default: process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
});

const COUNT = Number(args.count);
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
}

async function download(server: ServerProcess, token: string, query: string): Promise<Measured> {
  resetPeak(server.child.pid);
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
  return { ms: performance.now() - start, bytes, rss: peakRss(server.child.pid) };
}

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
    await t.app.close();

    const env: NodeJS.ProcessEnv = dialect === 'sqlite' ? { DATA_DIR: t.dataDir } : { DATABASE_URL: args['database-url'], DATABASE_SCHEMA: t.schema };
    // A loaded machine can take a while to start a server: wait up to 3 minutes.
    const server = args.tsx ? await startServerProcess({ env, startTimeoutMs: 180_000 }) : await startCompiledServer({ env, startTimeoutMs: 180_000 });
    const stop = onCleanup(() => server.stop());
    try {
      const services = [...new Set(records.map((r) => r.formId))].sort();
      const inRegency = records.filter((r) => storedRegion(r).startsWith('19.01')).length;
      let csvMs = 0;
      let csvBytes = 0;
      let csvRss = 0;
      for (const form of services) {
        const m = await download(server, admin.token, `format=csv&form=${form}`);
        csvMs += m.ms;
        csvBytes += m.bytes;
        csvRss = Math.max(csvRss, m.rss);
        console.log(`  ${dialect} CSV ${form}: ${fmtMs(m.ms)}, ${fmtBytes(m.bytes)}, peak RSS ${fmtBytes(m.rss)}`);
      }
      rows.push([dialect, `CSV, ${services.length} files (baseline)`, fmtInt(records.length), fmtBytes(csvBytes), `${fmtMs(csvMs)} ${mark(csvMs < TARGET.ms)}`, '1.00', `${fmtBytes(csvRss)} ${mark(csvRss < TARGET.rssBytes)}`]);
      for (const [label, token, query, count] of [
        ['XLSX, province, every service', admin.token, 'format=xlsx', records.length],
        ['XLSX, one regency', operator.token, 'format=xlsx&region=19.01', inRegency],
      ] as const) {
        const m = await download(server, token, query);
        console.log(`  ${dialect} ${label}: ${fmtMs(m.ms)}, ${fmtBytes(m.bytes)}, peak RSS ${fmtBytes(m.rss)}`);
        rows.push([dialect, label, fmtInt(count), fmtBytes(m.bytes), `${fmtMs(m.ms)} ${mark(m.ms < TARGET.ms)}`, fmtRatio(m.ms / csvMs), `${fmtBytes(m.rss)} ${mark(m.rss < TARGET.rssBytes)}`]);
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
  printTable(['db', 'export', 'submissions', 'size', 'time (< 60 s)', '÷ CSV', 'server peak RSS (< 300 MB)'], rows);
  console.log('peak RSS: VmHWM of the server process, reset before each export (the CSV row: the largest of its files).');
  console.log(machineLoad());
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => cleanupAll());
