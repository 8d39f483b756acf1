// The province's voter list at its real size (Pilkada 2024: 1,084,999 voters over 2,197 TPS),
// generated with Indonesian names, NIKs, KK and birth dates and ~0.5 % planted duplicates of each
// kind (bench/support/voter-generator.ts), on SQLite and PostgreSQL:
//   - load: the voter records (server/repositories/voter-records.ts loadRecords), then their blind
//     keys and sealed cards (voter-duplicates.ts syncMatchKeys, which opens each record once);
//   - the duplicate search over the whole province (target < 60 s on 2 cores), with recall per
//     planted kind and precision against the planted set (targets: ≥ 99 % exact, ≥ 95 % likely);
//   - a second search (what a nightly re-run costs: nothing new to open);
//   - coklit update ingest with conflict checking on: pantarlih of the largest villages push their
//     coklit records back at once (each device its next batch as soon as the previous is answered,
//     as bench:server's herd), every record naming its voter record and base version, 5 % a second,
//     stale update of a voter already visited (a conflict when it says otherwise); its baseline, in
//     the same run and the same way, the same records without a voter record (stored, no update);
//   - the recap's query (recapPerTps) for the province and for one regency, p50 of several runs.
// Baseline from the same run: core's in-memory search over the plaintext (findPairsInMemory), the
// lower bound without SQL, blind keys or sealed cards; the table prints each search ÷ it.
//
//   npm run bench:voters                    # the province, both dialects (several minutes; run it on a quiet machine)
//   npm run bench:voters -- --quick         # 100,000 voters over 203 TPS
//   npm run bench:voters -- --dialects postgres --updates 40000 --devices 80
//   npm run bench:voters -- --voters 300000 --tps 607 --dialects sqlite
//
// Prints the figures; exits 0 whatever they are.
import './support/bench-kek.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { findPairsInMemory, type DuplicateKind } from '../core/duplicates/rules.ts';
import type { DialectName } from '../server/db/schema.ts';
import { searchDuplicates, syncMatchKeys } from '../server/repositories/voter-duplicates.ts';
import { loadRecords } from '../server/repositories/voter-records.ts';
import { recapPerTps } from '../server/repositories/voter-recap.ts';
import type { PushResponse, SubmissionEnvelope } from '../core/protocol.ts';
import { bearer, officer, pushAs, TEST_AUTH } from '../tests/server/auth-fixtures.ts';
import { openTestApp, type TestApp } from '../tests/server/helpers.ts';
import { benchArgs } from './support/args.ts';
import { fmtInt, fmtMs, fmtRatio, machineLoad, median, percentile, printTable } from './support/report.ts';
import { coklitOf, conflictsWith, OUTCOMES, recordIdsOf, STALE_SHARE, toListed } from './support/coklit-payloads.ts';
import { generateVoterList, scoreFound, type GeneratedList, type GeneratedVoter } from './support/voter-generator.ts';

const args = benchArgs('bench:voters', 'The province’s voter list at real size: load, duplicate search with recall/precision, on both dialects (bench/README.md).', {
  quick: { type: 'boolean', default: false },
  voters: { type: 'string' },
  tps: { type: 'string' },
  share: { type: 'string', default: '0.005' },
  seed: { type: 'string', default: '2024' },
  dialects: { type: 'string', default: 'sqlite,postgres' },
  batch: { type: 'string', default: '20000' },
  /** Coklit updates pushed back (default: 20,000; --quick 5,000), and as many again for the baseline. */
  updates: { type: 'string' },
  /** Pantarlih devices pushing at once, one per village (the largest villages). */
  devices: { type: 'string', default: '40' },
  /** Records per push (a phone's queue goes in batches). */
  'push-batch': { type: 'string', default: '25' },
  /** Runs of each recap query; the p50 is reported. */
  'recap-runs': { type: 'string', default: '7' },
  /** Leave out the duplicate search (to measure only load, ingest and recap). */
  'no-search': { type: 'boolean', default: false },
  'database-url': { type: 'string', default: process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
});

/** Pilkada 2024 in the province (DOMAIN.md). */
const PROVINCE = { voters: 1_084_999, tps: 2_197 };
const QUICK = { voters: 100_000, tps: 203 };
const VOTERS = Number(args.voters ?? (args.quick ? QUICK.voters : PROVINCE.voters));
const TPS = Number(args.tps ?? (args.quick ? QUICK.tps : Math.round((PROVINCE.tps * VOTERS) / PROVINCE.voters)));
const BATCH = Math.max(100, Number(args.batch));
const UPDATES = Number(args.updates ?? (args.quick ? 5_000 : 20_000));
const DEVICES = Math.max(1, Number(args.devices));
const PUSH_BATCH = Math.max(1, Number(args['push-batch']));
const RECAP_RUNS = Math.max(1, Number(args['recap-runs']));
const by = { actorId: 'bench', actorRole: 'bench' };

interface DialectFigures {
  dialect: DialectName;
  recordsMs: number;
  keysMs: number;
  searchMs: number;
  /** This process's CPU during the search (on SQLite the database's work too; on PostgreSQL only the node side). */
  searchCpuMs: number;
  againMs: number;
  score: ReturnType<typeof scoreFound>;
  cardsOpened: number;
  blocks: number;
  tableMb?: number;
  ingest: IngestFigures;
  recap: RecapFigures;
}

interface IngestFigures {
  /** Coklit records without a voter record, pushed the same way: stored, no record update. */
  baselinePerS: number;
  perS: number;
  pushP50Ms: number;
  pushP99Ms: number;
  applied: number;
  conflicts: number;
  expectedConflicts: number;
  stillPending: number;
}

interface RecapFigures {
  regency: string;
  provinceP50Ms: number;
  regencyP50Ms: number;
  provinceTps: number;
  regencyTps: number;
}

/** Every device pushes its queue at once, each batch as soon as the previous is answered (bench:server's herd). */
async function herdPush(t: TestApp, queues: readonly { token: string; items: SubmissionEnvelope[] }[]): Promise<{ perS: number; latencies: number[]; accepted: number }> {
  const latencies: number[] = [];
  let accepted = 0;
  const start = performance.now();
  await Promise.all(
    queues.map(async (q) => {
      for (let i = 0; i < q.items.length; i += PUSH_BATCH) {
        const sent = performance.now();
        const res = await pushAs(t.app, bearer(q.token), q.items.slice(i, i + PUSH_BATCH));
        latencies.push(performance.now() - sent);
        if (res.statusCode !== 200) throw new Error(`push answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
        const results = res.json<PushResponse>().results;
        const refused = results.find((r) => r.outcome === 'rejected');
        if (refused) throw new Error(`a coklit record was refused: ${JSON.stringify(refused)}`);
        accepted += results.length;
      }
    }),
  );
  const elapsed = performance.now() - start;
  return { perS: (accepted / elapsed) * 1000, latencies: latencies.sort((a, b) => a - b), accepted };
}

async function benchIngest(t: TestApp, list: GeneratedList, recordOf: ReadonlyMap<string, string>): Promise<IngestFigures> {
  const byVillage = new Map<string, GeneratedVoter[]>();
  for (const v of list.voters) (byVillage.get(v.desa) ?? byVillage.set(v.desa, []).get(v.desa)!).push(v);
  const villages = [...byVillage.entries()].sort((a, b) => b[1].length - a[1].length).slice(0, DEVICES);
  const perDevice = Math.ceil(UPDATES / villages.length);
  const fresh = Math.round(perDevice * (1 - STALE_SHARE));
  const baselineQueues: { token: string; items: SubmissionEnvelope[] }[] = [];
  const queues: { token: string; items: SubmissionEnvelope[] }[] = [];
  let expectedConflicts = 0;
  let k = 0;
  for (const [village, voters] of villages) {
    const who = await officer(t, 'pantarlih', village);
    // The baseline visits the back of the village's list, the measured run its front: no voter twice across the two.
    const front = voters.slice(0, fresh);
    const back = voters.slice(-perDevice);
    baselineQueues.push({ token: who.token, items: back.map((v) => coklitOf(v, OUTCOMES[k++ % OUTCOMES.length]!)) });
    const items: SubmissionEnvelope[] = [];
    const first = new Map<string, Record<string, unknown>>();
    for (const v of front) {
      const outcome = OUTCOMES[k++ % OUTCOMES.length]!;
      first.set(v.key, outcome);
      items.push(coklitOf(v, outcome, { id: recordOf.get(v.key)!, baseVersion: 1 }));
    }
    // A second officer's update of a voter already visited, on the version both saw: a conflict when it says otherwise.
    for (let i = 0; items.length < perDevice && i < front.length; i += 7) {
      const v = front[i]!;
      const outcome = OUTCOMES[(k++ * 3) % OUTCOMES.length]!;
      if (conflictsWith(first.get(v.key)!, outcome)) expectedConflicts += 1;
      items.push(coklitOf(v, outcome, { id: recordOf.get(v.key)!, baseVersion: 1 }));
    }
    queues.push({ token: who.token, items });
  }
  const baseline = await herdPush(t, baselineQueues);
  const measured = await herdPush(t, queues);
  const applied = await t.db.selectFrom('voter_record_events').select((eb) => eb.fn.countAll<string | number>().as('n')).where('kind', '=', 'coklit').executeTakeFirstOrThrow();
  const conflicts = await t.db.selectFrom('voter_conflicts').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
  const pending = await t.db.selectFrom('submissions').select((eb) => eb.fn.countAll<string | number>().as('n')).where('voter_pending', 'is not', null).executeTakeFirstOrThrow();
  return {
    baselinePerS: baseline.perS,
    perS: measured.perS,
    pushP50Ms: percentile(measured.latencies, 50),
    pushP99Ms: percentile(measured.latencies, 99),
    applied: Number(applied.n),
    conflicts: Number(conflicts.n),
    expectedConflicts,
    stillPending: Number(pending.n),
  };
}

async function benchRecap(t: TestApp, list: GeneratedList): Promise<RecapFigures> {
  // The regency with the most voters.
  const count = new Map<string, number>();
  for (const v of list.voters) {
    const r = v.desa.split('.').slice(0, 2).join('.');
    count.set(r, (count.get(r) ?? 0) + 1);
  }
  const regency = [...count.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  const time = async (scope: string) => {
    const ms: number[] = [];
    let tps = 0;
    for (let i = 0; i < RECAP_RUNS; i++) {
      const start = performance.now();
      tps = (await recapPerTps(t.db, scope)).length;
      ms.push(performance.now() - start);
    }
    return { p50: median(ms), tps };
  };
  const province = await time('19');
  const one = await time(regency);
  return { regency, provinceP50Ms: province.p50, regencyP50Ms: one.p50, provinceTps: province.tps, regencyTps: one.tps };
}

async function analyze(t: TestApp): Promise<void> {
  if (t.dialect === 'sqlite') await sql`analyze`.execute(t.db);
  else await sql`vacuum analyze voter_match_keys`.execute(t.db);
}

async function tableSize(t: TestApp): Promise<number | undefined> {
  if (t.dialect !== 'postgres') return undefined;
  const row = await sql<{ bytes: string }>`select pg_total_relation_size(${`${t.schema}.voter_match_keys`}) as bytes`.execute(t.db);
  return Number(row.rows[0]?.bytes ?? 0) / 1e6;
}

async function benchDialect(dialect: DialectName, list: GeneratedList): Promise<DialectFigures> {
  const keysDir = mkdtempSync(join(tmpdir(), 'jangkau-bench-keys-'));
  const t = await openTestApp(dialect, args['database-url'], { auth: TEST_AUTH, handoff: { keysDir } });
  try {
    // The records as h3's bulk load writes them (sealed, versioned), then their blind keys.
    let start = performance.now();
    await loadRecords(t.db, t.dialect, t.app.dataKeys, list.voters.map(toListed), by, new Date().toISOString(), { batch: BATCH });
    const recordsMs = performance.now() - start;
    start = performance.now();
    const synced = await syncMatchKeys(t.db, t.app.dataKeys, new Date().toISOString());
    await analyze(t);
    const keysMs = performance.now() - start;
    console.log(
      `${dialect}: loaded ${fmtInt(list.voters.length)} voter records in ${fmtMs(recordsMs)} (${fmtInt((list.voters.length / recordsMs) * 1000)}/s); ` +
        `their blind keys (${fmtInt(synced.indexed)} opened and keyed) in ${fmtMs(keysMs)}`,
    );
    // The generator's keys → the stored record ids, and back.
    const recordOf = await recordIdsOf(t.db, list.voters);
    const idOf = new Map([...recordOf].map(([key, id]) => [id, key]));
    let searchMs = NaN;
    let searchCpuMs = NaN;
    let againMs = NaN;
    let score = scoreFound(list.planted, []);
    let summary: { cardsOpened: number; blocksCompared: number } = { cardsOpened: 0, blocksCompared: 0 };
    if (!args['no-search']) {
      start = performance.now();
      const cpuStart = process.cpuUsage();
      const found = await searchDuplicates(t.db, t.dialect, t.app.dataKeys, { by, now: new Date().toISOString() });
      searchMs = performance.now() - start;
      const cpu = process.cpuUsage(cpuStart);
      searchCpuMs = (cpu.user + cpu.system) / 1000;
      const pairs = await t.db.selectFrom('voter_duplicate_pairs').select(['key_a', 'key_b', 'kind']).execute();
      score = scoreFound(list.planted, pairs.map((p) => ({ a: idOf.get(p.key_a)!, b: idOf.get(p.key_b)!, kind: p.kind as DuplicateKind })));
      console.log(
        `${dialect}: search ${fmtMs(searchMs)}: ${fmtInt(found.found)} pairs (nik ${fmtInt(found.byKind.nik)}, nama-lahir ${fmtInt(found.byKind['nama-lahir'])}, mirip ${fmtInt(found.byKind.mirip)}), ` +
          `${fmtInt(found.cardsOpened)} cards opened in ${fmtInt(found.blocksCompared)} blocks`,
      );
      summary = found;
      start = performance.now();
      await searchDuplicates(t.db, t.dialect, t.app.dataKeys, { by, now: new Date().toISOString() });
      againMs = performance.now() - start;
    }
    const tableMb = await tableSize(t);
    // The recap before any coklit (the list as loaded), then the coklit coming back, then the recap again.
    await analyze(t);
    const recapBefore = await benchRecap(t, list);
    console.log(`${dialect}: recap (list as loaded): province p50 ${fmtMs(recapBefore.provinceP50Ms)} (${fmtInt(recapBefore.provinceTps)} TPS), regency ${recapBefore.regency} p50 ${fmtMs(recapBefore.regencyP50Ms)} (${fmtInt(recapBefore.regencyTps)} TPS)`);
    const ingest = await benchIngest(t, list, recordOf);
    console.log(
      `${dialect}: coklit ingest ${fmtInt(ingest.perS)}/s with record updates and conflict checking (baseline, the same records without a voter record: ${fmtInt(ingest.baselinePerS)}/s); ` +
        `push p50 ${fmtMs(ingest.pushP50Ms)}, p99 ${fmtMs(ingest.pushP99Ms)}; ${fmtInt(ingest.applied)} applied, ${fmtInt(ingest.conflicts)} conflicts (expected ${fmtInt(ingest.expectedConflicts)}), ${fmtInt(ingest.stillPending)} still marked pending`,
    );
    await analyze(t);
    const recap = await benchRecap(t, list);
    console.log(`${dialect}: recap (after the coklit): province p50 ${fmtMs(recap.provinceP50Ms)}, regency ${recap.regency} p50 ${fmtMs(recap.regencyP50Ms)}`);
    return { dialect, recordsMs, keysMs, searchMs, searchCpuMs, againMs, score, cardsOpened: summary.cardsOpened, blocks: summary.blocksCompared, ...(tableMb !== undefined ? { tableMb } : {}), ingest, recap };
  } finally {
    await t.close();
    rmSync(keysDir, { recursive: true, force: true });
  }
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

async function main(): Promise<void> {
  console.log(machineLoad());
  let start = performance.now();
  const list = generateVoterList({ voters: VOTERS, tps: TPS, share: Number(args.share), seed: Number(args.seed) });
  console.log(
    `generated ${fmtInt(list.voters.length)} voters over ${fmtInt(list.tps)} TPS in ${fmtInt(list.villages)} villages, ` +
      `${fmtInt(list.planted.length)} planted pairs, in ${fmtMs(performance.now() - start)}`,
  );
  start = performance.now();
  const baseline = args['no-search'] ? new Map() : findPairsInMemory(list.voters, 40);
  const baselineMs = performance.now() - start;
  const baseScore = scoreFound(list.planted, [...baseline.values()]);
  if (!args['no-search']) console.log(`baseline (core in memory, plaintext): ${fmtMs(baselineMs)}, ${fmtInt(baseline.size)} pairs`);

  const figures: DialectFigures[] = [];
  for (const dialect of args.dialects.split(',') as DialectName[]) figures.push(await benchDialect(dialect, list));

  if (args['no-search']) {
    console.log();
    printTable(['run', 'records load', 'blind keys'], figures.map((f) => [f.dialect, fmtMs(f.recordsMs), fmtMs(f.keysMs)]));
  } else {
    console.log();
    printTable(
      ['run', 'records load', 'blind keys', 'search', 'node CPU', 'search ÷ baseline', 're-run', 'recall exact', 'recall likely', 'precision', 'pairs', 'cards opened'],
      [
        ['baseline: core in memory', '–', '–', fmtMs(baselineMs), '–', '1.00', '–', pct(baseScore.recallExact), pct(baseScore.recallLikely), pct(baseScore.precision), fmtInt(baseScore.found), '(all plaintext)'],
        ...figures.map((f) => [
          f.dialect,
          fmtMs(f.recordsMs),
          fmtMs(f.keysMs),
          fmtMs(f.searchMs),
          fmtMs(f.searchCpuMs),
          fmtRatio(f.searchMs / baselineMs),
          fmtMs(f.againMs),
          pct(f.score.recallExact),
          pct(f.score.recallLikely),
          pct(f.score.precision),
          fmtInt(f.score.found),
          `${fmtInt(f.cardsOpened)} in ${fmtInt(f.blocks)} blocks`,
        ]),
      ],
    );
    for (const f of figures) {
      const missed = f.score.missed.slice(0, 6).map(([v, n]) => `${v} ${n}`).join(', ');
      console.log(`${f.dialect}: search ${f.searchMs < 60_000 ? 'within' : 'OVER'} the 60 s target; missed planted pairs by variant: ${missed || 'none'}${f.tableMb ? `; voter_match_keys ${f.tableMb.toFixed(0)} MB with indexes` : ''}`);
    }
  }
  console.log();
  printTable(
    ['run', 'coklit ingest (records updated, conflicts checked)', 'baseline: same records, no record update', 'ingest ÷ baseline', 'push p50 / p99', 'conflicts (expected)', 'left pending', 'recap p50: province', 'recap p50: regency'],
    figures.map((f) => [
      f.dialect,
      `${fmtInt(f.ingest.perS)}/s`,
      `${fmtInt(f.ingest.baselinePerS)}/s`,
      fmtRatio(f.ingest.perS / f.ingest.baselinePerS),
      `${fmtMs(f.ingest.pushP50Ms)} / ${fmtMs(f.ingest.pushP99Ms)}`,
      `${fmtInt(f.ingest.conflicts)} (${fmtInt(f.ingest.expectedConflicts)})`,
      fmtInt(f.ingest.stillPending),
      `${fmtMs(f.recap.provinceP50Ms)} (${fmtInt(f.recap.provinceTps)} TPS)`,
      `${fmtMs(f.recap.regencyP50Ms)} (${f.recap.regency}, ${fmtInt(f.recap.regencyTps)} TPS)`,
    ]),
  );
  console.log(`Ingest: ${DEVICES} pantarlih devices at once, ${fmtInt(UPDATES)} coklit records each run in pushes of ${PUSH_BATCH}; compare with bench:server's herd (bench/README.md), the target being within 20 % of it.`);
  console.log(machineLoad());
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
