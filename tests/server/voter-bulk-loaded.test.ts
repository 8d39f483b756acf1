// Voter records loaded in bulk (loadRecords: the province's first load, bench:server's coklit
// cases) have no history row for their first version. A record's first coklit update then seals
// one event, whose sealed state also says what the update replaced, instead of a second sealed
// copy of the state before it. Later updates made on that first version are still judged against
// the state the officer saw: the same pushes on a bulk-loaded record and on an uploaded one (whose
// upload event keeps version 1) end in the same record, the same conflicts and the same answers.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { ListedVoter } from '../../core/assignments/voter-list.ts';
import type { SubmissionEnvelope } from '../../core/protocol.ts';
import { listConflicts } from '../../server/repositories/voter-updates.ts';
import { loadRecords, openRecord, readRecord } from '../../server/repositories/voter-records.ts';
import { bearer, formEnvelope, officer, pushAs, REGION, type TestOfficer } from './auth-fixtures.ts';
import { describeEachDialect, type TestApp } from './helpers.ts';

const HEADER = 'desa,tps,nik,kk,nama,jenisKelamin,tempatLahir,tanggalLahir,alamat,rt,rw';
const listed = (tps: string, nik: string, nama: string): ListedVoter => ({
  desa: REGION.village,
  tps,
  nik,
  kk: '1901020101200001',
  nama,
  jenisKelamin: 'P',
  tempatLahir: 'Mentok',
  tanggalLahir: '1991-07-02',
  alamat: 'Jl. Pelabuhan No. 4',
  rt: '002',
  rw: '001',
});

interface Listed {
  nik: string;
  nama: string;
  record: { id: string; version: number };
}

async function uploaded(t: TestApp, admin: TestOfficer, pps: TestOfficer, voters: ListedVoter[]): Promise<Listed[]> {
  const body = [HEADER, ...voters.map((v) => [v.desa, v.tps, v.nik, v.kk, v.nama, v.jenisKelamin, v.tempatLahir, v.tanggalLahir, v.alamat, v.rt, v.rw].join(','))].join('\r\n') + '\r\n';
  const up = await t.app.inject({ method: 'POST', url: '/api/v1/assignments', headers: { ...bearer(admin.token), 'content-type': 'text/csv' }, payload: body });
  expect(up.statusCode, up.body).toBe(200);
  return listedNow(t, pps, voters);
}

async function listedNow(t: TestApp, pps: TestOfficer, voters: ListedVoter[]): Promise<Listed[]> {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/assignments?village=${REGION.village}`, headers: bearer(pps.token) });
  expect(res.statusCode, res.body).toBe(200);
  const all = res.json<{ lists: { voters: Listed[] }[] }>().lists.flatMap((l) => l.voters);
  return voters.map((v) => all.find((x) => x.nik === v.nik)!);
}

function visit(v: ListedVoter, record: Listed['record'], baseVersion: number, outcome: Record<string, unknown>): SubmissionEnvelope {
  const e = formEnvelope('coklit-pilkada', { ...v });
  for (const k of ['hasil', 'dataDiubah', 'alasanTms', 'suratDokter']) delete (e.data as Record<string, unknown>)[k];
  return { ...e, data: { ...e.data, ...outcome } as SubmissionEnvelope['data'], record: { id: record.id, baseVersion } };
}

let seq = 0;
const nextNik = () => `190102690191${String(++seq).padStart(4, "0")}`;

describeEachDialect('voter records loaded in bulk', (ctx) => {
  it('one sealed event per update, and updates on the first version are judged as on an uploaded record', async () => {
    const t = ctx();
    const admin = await officer(t, 'admin_provinsi', REGION.province);
    const pps = await officer(t, 'pps', REGION.village);
    const pantarlih = await officer(t, 'pantarlih', REGION.village);
    const outcomes = [
      { hasil: 'sesuai' },
      { hasil: 'tms', alasanTms: '1' },
      { hasil: 'ubah', dataDiubah: ['alamat'], alamat: 'Jl. Depati Amir 12' },
      { hasil: 'ubah', dataDiubah: ['nama', 'alamat'], nama: 'Nama Baru', alamat: 'Jl. Sudirman 3' },
    ];
    // Each step: which voter, what the officer found, on which version (1: stale after the first), alone or with the next.
    const step = fc.record({ voter: fc.nat(1), outcome: fc.nat(outcomes.length - 1), stale: fc.boolean(), withNext: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
        const bulk = [listed('006', nextNik(), 'Warga Curah A'), listed('006', nextNik(), 'Warga Curah B')];
        const upload = [listed('007', nextNik(), 'Warga Unggah A'), listed('007', nextNik(), 'Warga Unggah B')];
        await loadRecords(t.db, t.dialect, t.app.dataKeys, bulk, { actorId: 'test', actorRole: 'system' }, new Date().toISOString());
        const bulkListed = await listedNow(t, pps, bulk);
        const uploadListed = await uploaded(t, admin, pps, upload);
        const run = async (voters: ListedVoter[], records: Listed[]) => {
          const filed = new Map<number, number>();
          const envelopes = steps.map((s) => {
            const base = s.stale ? 1 : 1 + (filed.get(s.voter) ?? 0);
            filed.set(s.voter, (filed.get(s.voter) ?? 0) + 1);
            // The answers name the voter as the list did, whatever was changed since.
            return visit(voters[s.voter]!, records[s.voter]!.record, base, outcomes[s.outcome]!);
          });
          const answers: string[] = [];
          let batch: SubmissionEnvelope[] = [];
          for (const [i, e] of envelopes.entries()) {
            batch.push(e);
            if (steps[i]!.withNext && i < envelopes.length - 1) continue;
            const res = await pushAs(t.app, bearer(pantarlih.token), batch);
            expect(res.statusCode, res.body).toBe(200);
            answers.push(...res.json<{ results: { outcome: string }[] }>().results.map((r) => r.outcome));
            batch = [];
          }
          const statuses = [];
          for (const e of envelopes) statuses.push((await t.db.selectFrom('submissions').select(['status', 'voter_pending']).where('id', '=', e.id).executeTakeFirstOrThrow()));
          const states = [];
          for (const r of records) {
            const row = (await readRecord(t.db, r.record.id))!;
            const data = await openRecord(t.app.dataKeys, row);
            const conflicts = await t.db.selectFrom('voter_conflicts').select(['base_version', 'current_version', 'status']).where('record_id', '=', r.record.id).orderBy('current_version').execute();
            const { nik: _n, nama: _m, tps: _t, ...rest } = data;
            // Both sides of each conflict as staff see them: what the record said, what the update would make of it.
            const sides = (await listConflicts(t.db, t.app.dataKeys, { scope: REGION.village, status: 'open', limit: 1000 }))
              .filter((c) => c.recordId === r.record.id)
              .map((c) => [c.current, c.incoming].map((x) => ({ version: x.version, outcome: x.outcome, tmsCode: x.tmsCode, alamat: x.data.alamat, renamed: x.data.nama === 'Nama Baru' })));
            // Conflicts opened in one push share their time, and their order among themselves is
            // not part of the rule: compared as sets (each in a canonical order).
            const canonical = <T,>(items: T[]) => items.map((x) => JSON.stringify(x)).sort();
            states.push({
              version: row.version,
              outcome: row.outcome,
              tmsCode: row.tmsCode,
              rest,
              renamed: data.nama === 'Nama Baru',
              conflicts: conflicts
                .map((c) => ({ ...c, base_version: Number(c.base_version), current_version: Number(c.current_version) }))
                .sort((x, y) => x.current_version - y.current_version || x.base_version - y.base_version || x.status.localeCompare(y.status)),
              sides: canonical(sides),
            });
          }
          return { answers, statuses, states };
        };
        const a = await run(bulk, bulkListed);
        const b = await run(upload, uploadListed);
        expect(a).toEqual(b);
        // On the bulk-loaded records, each version after the first has its one sealed event; the
        // first version is sealed on its own only when a conflict was opened on it (its resolution
        // moves the record on).
        for (const [i, r] of bulkListed.entries()) {
          const events = await t.db.selectFrom('voter_record_events').select(['kind', 'version', 'change_json']).where('record_id', '=', r.record.id).execute();
          const onFirst = a.states[i]!.conflicts.some((c) => c.current_version === 1);
          const sealed = events.filter((e) => e.change_json !== null).map((e) => Number(e.version)).sort((x, y) => x - y);
          const versions = Array.from({ length: a.states[i]!.version - 1 }, (_, k) => k + 2);
          expect(sealed).toEqual(onFirst ? [1, ...versions] : versions);
          // Sealed at rest: no clear personal data in what was stored.
          expect(JSON.stringify(events)).not.toContain(bulk[i]!.nik);
          expect(JSON.stringify(events)).not.toContain('Depati');
        }
      }),
      { numRuns: 8 },
    );
  }, 240_000);
});
