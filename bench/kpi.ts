// The KPI dashboard's queries on a year of province-wide data: ~100,000 generated submissions
// (tests/support/seed/generator.ts) with their status histories are loaded into SQLite and
// PostgreSQL, and each KPI endpoint is called repeatedly as the province admin and as a regency
// operator. Prints p50 and p90 per query, then the same without migration 005's indexes.
//
//   npm run bench:kpi                      # 100,000 submissions, 11 runs per query, both dialects
//   npm run bench:kpi -- --count 20000 --runs 5 --dialects sqlite
//
// The app is built in-process and called with Fastify's inject (routing, validation, the
// queries, the figures and the JSON serialisation; no socket). Exits 0 whatever the figures.
import './support/bench-kek.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { DialectName } from '../server/db/schema.ts';
import { upsertTpsAssignments } from '../server/repositories/kpi.ts';
import { allTpsSizes, generateSubmissions } from '../tests/support/seed/generator.ts';
import { loadSeed } from '../tests/support/seed/load-db.ts';
import { bearer, officer, TEST_AUTH } from '../tests/server/auth-fixtures.ts';
import { openTestApp, type TestApp } from '../tests/server/helpers.ts';
import { fmtInt, fmtMs, machineLoad, percentile, printTable } from './support/report.ts';
import { benchArgs } from './support/args.ts';

const args = benchArgs('bench:kpi', 'The KPI dashboard\'s queries on a year of generated submissions, on both dialects (bench/README.md).', {
    count: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '11' },
    dialects: { type: 'string', default: 'sqlite,postgres' },
    'database-url': { type: 'string', default: process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
    'skip-without-indexes': { type: 'boolean', default: false },
});

const COUNT = Number(args.count);
const RUNS = Math.max(1, Number(args.runs));
const FROM = '2025-01-01T00:00:00+07:00';
const AT = '2025-12-31T17:00:00.000Z';

/** The dashboard's calls: the first paint is the unit table of the current month and the ranking. */
const QUERIES: readonly (readonly [string, string])[] = [
  ['first paint: units, month', 'table?by=unit&period=2025-11'],
  ['first paint: ranking, month', 'ranking?period=2025-11'],
  ['units, year', 'table?by=unit&period=2025'],
  ['services, quarter', 'table?by=service&period=2025-Q4'],
  ['months of the year', 'table?by=month&period=2025'],
  ['sync delay by district, month', 'sync-delay?by=district&period=2025-11'],
  ['sync delay by island, year', 'sync-delay?by=island&period=2025'],
  ['coklit by district, year', 'coklit?by=district&period=2025'],
  ['ranking, year', 'ranking?period=2025'],
];

const KPI_INDEXES = ['submissions_kpi_idx', 'changes_submission_status_at_idx'] as const;

async function analyze(t: TestApp): Promise<void> {
  if (t.dialect === 'sqlite') await sql`analyze`.execute(t.db);
  else for (const table of ['submissions', 'changes', 'tps_assignments']) await sql`vacuum analyze ${sql.table(table)}`.execute(t.db);
}

interface Measured {
  p50: number;
  p90: number;
  /** Median CPU time of this process per call (user + system): the app's share, without waiting. */
  cpu50: number;
  bytes: number;
}

async function measure(t: TestApp, token: string, path: string): Promise<Measured> {
  const url = `/api/v1/kpi/${path}&at=${AT}`;
  const call = async () => {
    const res = await t.app.inject({ url, headers: bearer(token) });
    if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${res.body.slice(0, 200)}`);
    return res.body.length;
  };
  let bytes = await call(); // warm-up: caches, prepared statements
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    bytes = await call();
    const used = process.cpuUsage(cpuStart);
    times.push(performance.now() - start);
    cpu.push((used.user + used.system) / 1000);
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p90: percentile(times, 90), cpu50: percentile(cpu, 50), bytes };
}

async function benchDialect(dialect: DialectName, records: ReturnType<typeof generateSubmissions>): Promise<string[][]> {
  // The sealing keys in a folder of the run's own, not the repository's ./data/keys (made under
  // whatever KEK ran there last).
  const keysDir = mkdtempSync(join(tmpdir(), 'jangkau-bench-keys-'));
  const t = await openTestApp(dialect, args['database-url'], { auth: TEST_AUTH, handoff: { keysDir } });
  const rows: string[][] = [];
  try {
    let start = performance.now();
    await loadSeed(t.db, records, dialect === 'sqlite' ? 2000 : 1000, t.app.dataKeys);
    await upsertTpsAssignments(t.db, allTpsSizes(), new Date().toISOString());
    await analyze(t);
    console.log(`${dialect}: loaded ${fmtInt(records.length)} submissions with their status histories in ${fmtMs(performance.now() - start)}`);
    const admin = await officer(t, 'admin_provinsi', '19');
    const operator = await officer(t, 'operator', '19.01');

    const results = new Map<string, Measured>();
    for (const [label, path] of QUERIES) {
      for (const [who, token] of [['province', admin.token], ['regency', operator.token]] as const) {
        const m = await measure(t, token, path);
        results.set(`${label}|${who}`, m);
        // Printed as it comes, so a long run cut short still reports what it measured.
        console.log(`  ${dialect} ${label} as ${who}: p50 ${fmtMs(m.p50)}, p90 ${fmtMs(m.p90)}, CPU p50 ${fmtMs(m.cpu50)}`);
      }
    }
    const without = new Map<string, Measured>();
    if (!args['skip-without-indexes']) {
      for (const name of KPI_INDEXES) {
        await (dialect === 'sqlite' ? sql`drop index ${sql.id(name)}` : sql`drop index ${sql.id(t.schema ?? 'public', name)}`).execute(t.db);
      }
      await analyze(t);
      start = performance.now();
      for (const [label, path] of QUERIES) without.set(`${label}|province`, await measure(t, admin.token, path));
      console.log(`${dialect}: measured again without migration 005's indexes (${fmtMs(performance.now() - start)})`);
    }
    for (const [label] of QUERIES) {
      const p = results.get(`${label}|province`)!;
      const r = results.get(`${label}|regency`)!;
      const w = without.get(`${label}|province`);
      rows.push([dialect, label, fmtMs(p.p50), fmtMs(p.p90), fmtMs(p.cpu50), fmtMs(r.p50), fmtMs(r.p90), w ? fmtMs(w.p50) : '–', `${fmtInt(p.bytes / 1000)} kB`]);
    }
  } finally {
    await t.close();
    rmSync(keysDir, { recursive: true, force: true });
  }
  return rows;
}

async function main(): Promise<void> {
  console.log(machineLoad());
  const start = performance.now();
  const records = generateSubmissions({ count: COUNT, seed: 2025, from: FROM, days: 365 });
  console.log(`generated ${fmtInt(COUNT)} submissions (a year, province-wide) in ${fmtMs(performance.now() - start)}; ${RUNS} runs per query after one warm-up`);
  const rows: string[][] = [];
  for (const dialect of args.dialects.split(',') as DialectName[]) {
    rows.push(...(await benchDialect(dialect, records)));
  }
  console.log();
  printTable(['db', 'query', 'province p50', 'province p90', 'node CPU p50', 'regency p50', 'regency p90', 'p50 w/o 005', 'JSON'], rows);
  console.log(machineLoad());
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
