// Voter records (issue #13) on SQLite and PostgreSQL: coklit as updates of records with a base
// version, conflicts instead of overwrites, the Konflik queue and its resolution heard by both
// officers, a tanggapan DPS linked by NIK, scope on every path, a re-upload keeping record keys,
// the recap and the updated list; and a property over interleavings of updates on one version.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { SubmissionEnvelope } from '../../core/protocol.ts';
import { bearer, formEnvelope, officer, pushAs, REGION, TEST_AUTH, type TestOfficer } from './auth-fixtures.ts';
import { describeEachDialect, newDevice, pushOk, type TestApp } from './helpers.ts';

const HEADER = 'desa,tps,nik,kk,nama,jenisKelamin,tempatLahir,tanggalLahir,alamat,rt,rw';
const line = (village: string, nik: string, nama: string, tps = '003') => `${village},${tps},${nik},1901020101200001,${nama},P,Mentok,1990-01-05,Jl. Pelabuhan No. 4,002,001`;
const csv = (...lines: string[]) => [HEADER, ...lines].join('\r\n') + '\r\n';

interface Listed {
  nik: string;
  nama: string;
  record: { id: string; version: number; outcome: string | null };
}

async function upload(t: TestApp, admin: TestOfficer, body: string) {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/assignments', headers: { ...bearer(admin.token), 'content-type': 'text/csv' }, payload: body });
  expect(res.statusCode, res.body).toBe(200);
}

async function download(t: TestApp, who: TestOfficer, village: string): Promise<Listed[]> {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/assignments?village=${village}`, headers: bearer(who.token) });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ lists: { voters: Listed[] }[] }>().lists.flatMap((l) => l.voters);
}

/** A coklit record of a listed voter, as the phone files it: the list's data, the outcome, the record and its base version. */
function visit(village: string, v: Listed, baseVersion: number, outcome: Record<string, unknown>): SubmissionEnvelope {
  const e = formEnvelope('coklit-pilkada', {
    desa: village,
    tps: '003',
    nik: v.nik,
    kk: '1901020101200001',
    nama: v.nama,
    tempatLahir: 'Mentok',
    tanggalLahir: '1990-01-05',
    jenisKelamin: 'P',
    alamat: 'Jl. Pelabuhan No. 4',
    rt: '002',
    rw: '001',
  });
  for (const k of ['hasil', 'dataDiubah', 'alasanTms', 'suratDokter']) delete (e.data as Record<string, unknown>)[k];
  return { ...e, data: { ...e.data, ...outcome } as SubmissionEnvelope['data'], record: { id: v.record.id, baseVersion } };
}

function tanggapan(nik: string, jenis: string): SubmissionEnvelope {
  const e = formEnvelope('tanggapan-dps', { nikBersangkutan: nik, jenisTanggapan: jenis });
  delete (e.data as Record<string, unknown>).dataBenar;
  return e;
}

async function record(t: TestApp, id: string) {
  return t.db.selectFrom('assignment_voters').select(['version', 'outcome', 'tms_code']).where('record_id', '=', id).executeTakeFirstOrThrow();
}

async function statusOf(t: TestApp, id: string) {
  return (await t.db.selectFrom('submissions').select(['status', 'answer']).where('id', '=', id).executeTakeFirstOrThrow());
}

describeEachDialect('voter records', (ctx) => {
  it('two officers on one voter and a tanggapan DPS: the second and the tanggapan open conflicts, the PPS resolves, both officers hear it', async () => {
    const t = ctx();
    const admin = await officer(t, 'admin_provinsi', REGION.province);
    await upload(t, admin, csv(line(REGION.village, '1901024501900001', 'Siti Aminah'), line(REGION.village, '1971010101850002', 'Budi Santoso')));
    const a = await officer(t, 'pantarlih', REGION.village);
    const b = await officer(t, 'pantarlih', REGION.village);
    const pps = await officer(t, 'pps', REGION.village);
    const stranger = await officer(t, 'pantarlih', REGION.siblingVillage);
    const strangerPps = await officer(t, 'pps', REGION.siblingVillage);
    const listA = await download(t, a, REGION.village);
    const siti = listA.find((v) => v.nik === '1901024501900001')!;
    expect(siti.record).toMatchObject({ version: 1, outcome: null });

    // A changes the name (ubah) on version 1: applied, version 2.
    const byA = visit(REGION.village, siti, 1, { hasil: 'ubah', dataDiubah: ['nama'], nama: 'Siti Aminah Binti Ali' });
    expect((await pushAs(t.app, bearer(a.token), [byA])).json().results[0].outcome).toBe('accepted');
    expect(await record(t, siti.record.id)).toMatchObject({ version: 2, outcome: 'ubah' });
    // B, offline since the same download, records her as dead on version 1: kept as a conflict, not written over A.
    const byB = visit(REGION.village, siti, 1, { hasil: 'tms', alasanTms: '1' });
    const pushedB = await pushAs(t.app, bearer(b.token), [byB]);
    expect(pushedB.statusCode, pushedB.body).toBe(200);
    expect(pushedB.json().results[0].outcome).toBe('accepted');
    expect(await record(t, siti.record.id)).toMatchObject({ version: 2, outcome: 'ubah' });
    // A stranger from the next village cannot touch the record, whatever version it names.
    const byStranger = visit(REGION.village, siti, 2, { hasil: 'sesuai' });
    await pushAs(t.app, bearer(stranger.token), [byStranger]);
    expect(await record(t, siti.record.id)).toMatchObject({ version: 2, outcome: 'ubah' });
    // A resident reports the same NIK as moved away: linked to the record, a second conflict.
    const resident = tanggapan('1901024501900001', 'pindah');
    expect((await pushOk(t.app, newDevice(), [resident])).results[0]!.outcome).toBe('accepted');

    const queue = await t.app.inject({ method: 'GET', url: '/api/v1/voters/conflicts', headers: bearer(pps.token) });
    expect(queue.statusCode, queue.body).toBe(200);
    const conflicts = queue.json<{ conflicts: { id: string; recordId: string; incomingKind: string; fields: { field: string; current: unknown; incoming: unknown }[] }[] }>().conflicts;
    expect(conflicts.map((c) => [c.recordId, c.incomingKind])).toEqual([
      [siti.record.id, 'coklit'],
      [siti.record.id, 'tanggapan'],
    ]);
    // Field by field: B never saw A's new name, so only the outcome differs; the TMS code with it.
    expect(conflicts[0]!.fields).toEqual([
      { field: 'hasil', current: 'ubah', incoming: 'tms' },
      { field: 'alasanTms', current: null, incoming: '1' },
    ]);
    // Both officers were told a conflict waits for the PPS.
    expect(await statusOf(t, byA.id)).toMatchObject({ status: 'diproses' });
    expect(await statusOf(t, byB.id)).toMatchObject({ status: 'diproses' });
    // Staff of another village see nothing and cannot resolve.
    const strangerQueue = await t.app.inject({ method: 'GET', url: '/api/v1/voters/conflicts', headers: bearer(strangerPps.token) });
    expect(strangerQueue.json().conflicts).toEqual([]);
    const strangerResolve = await t.app.inject({ method: 'POST', url: `/api/v1/voters/conflicts/${conflicts[0]!.id}/resolve`, headers: bearer(strangerPps.token), payload: { resolution: 'incoming' } });
    expect(strangerResolve.statusCode).toBe(404);
    // A Pantarlih has no Konflik queue.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/voters/conflicts', headers: bearer(a.token) })).statusCode).toBe(403);

    // The PPS takes B's side: the record is TMS 1 at version 3; asked again, 409.
    const resolved = await t.app.inject({ method: 'POST', url: `/api/v1/voters/conflicts/${conflicts[0]!.id}/resolve`, headers: bearer(pps.token), payload: { resolution: 'incoming' } });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(await record(t, siti.record.id)).toMatchObject({ version: 3, outcome: 'tms', tms_code: '1' });
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/voters/conflicts/${conflicts[0]!.id}/resolve`, headers: bearer(pps.token), payload: { resolution: 'current' } });
    expect(again.statusCode).toBe(409);
    expect(await statusOf(t, byA.id)).toMatchObject({ status: 'selesai' });
    expect(await statusOf(t, byB.id)).toMatchObject({ status: 'selesai' });
    const audit = await t.db.selectFrom('audit_log').select(['actor_id', 'subject', 'detail_json']).where('action', '=', 'voters.resolve').execute();
    expect(audit.map((r) => [r.actor_id, r.subject])).toEqual([[pps.id, conflicts[0]!.id]]);
    expect(JSON.stringify(audit)).not.toContain('1901024501900001');

    // The history shows the upload, A's change, B's conflict, the tanggapan and the resolution.
    const history = await t.app.inject({ method: 'GET', url: `/api/v1/voters/records/${siti.record.id}/history`, headers: bearer(pps.token) });
    const kinds = history.json<{ history: { kind: string; submissionId: string | null }[] }>().history;
    // In the order it happened: the upload's snapshot, written in the same instant as A's change, comes first.
    expect(kinds.map((h) => h.kind)).toEqual(['upload', 'coklit', 'conflict', 'tanggapan', 'resolve']);
    expect(kinds.find((h) => h.kind === 'tanggapan')!.submissionId).toBe(resident.id);

    // Recap: two listed, one visited, TMS code 1, one conflict still open (the tanggapan's).
    const recap = await t.app.inject({ method: 'GET', url: `/api/v1/voters/recap?scope=${REGION.village}&level=village`, headers: bearer(pps.token) });
    expect(recap.statusCode, recap.body).toBe(200);
    expect(recap.json().rows).toEqual([
      expect.objectContaining({ key: REGION.village, listed: 2, visited: 1, tms: 1, tmsByCode: { '1': 1 }, female: 2, openConflicts: 1, openDuplicates: 0 }),
    ]);
    const recapCsv = await t.app.inject({ method: 'GET', url: `/api/v1/voters/recap?scope=${REGION.district}&level=district&format=csv`, headers: bearer(pps.token) });
    expect(recapCsv.statusCode).toBe(404);
    // The updated list: the upload's columns plus the outcome, with A's name kept (B's side took only the outcome).
    const list = await t.app.inject({ method: 'GET', url: `/api/v1/voters/list.csv?village=${REGION.village}&tps=003`, headers: bearer(pps.token) });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.body).toContain('Siti Aminah Binti Ali');
    expect(list.body.split('\r\n')[0]).toBe('desa,tps,nik,kk,nama,jenisKelamin,tempatLahir,tanggalLahir,alamat,rt,rw,hasil,kode_tms,asal,versi,record_id');
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/voters/list.csv?village=${REGION.village}&tps=003`, headers: bearer(strangerPps.token) })).statusCode).toBe(404);
    // Nothing personal in the clear in the conflict rows.
    const rawConflicts = await t.db.selectFrom('voter_conflicts').selectAll().execute();
    expect(JSON.stringify(rawConflicts)).not.toMatch(/1901024501900001|Siti/);
  });

  it('a re-upload keeps each still-listed voter’s record key and version; an update of a record not in scope never lands', async () => {
    const t = ctx();
    const admin = await officer(t, 'admin_provinsi', REGION.province);
    const village = REGION.siblingVillage;
    await upload(t, admin, csv(line(village, '1901022902000001', 'Ahmad Yani'), line(village, '1901026902040001', 'Rina Wati')));
    const pps = await officer(t, 'pps', village);
    const before = await download(t, pps, village);
    await upload(t, admin, csv(line(village, '1901026902040001', 'Rina Wati'), line(village, '1901022902000001', 'Ahmad Yani')));
    const after = await download(t, pps, village);
    const id = (l: Listed[], nik: string) => l.find((v) => v.nik === nik)!.record;
    expect(id(after, '1901022902000001')).toEqual(id(before, '1901022902000001'));
    expect(id(after, '1901026902040001')).toEqual(id(before, '1901026902040001'));
    // A changed name in the list raises the version, same key.
    await upload(t, admin, csv(line(village, '1901026902040001', 'Rina Wati Lestari'), line(village, '1901022902000001', 'Ahmad Yani')));
    const third = await download(t, pps, village);
    expect(id(third, '1901026902040001')).toMatchObject({ id: id(before, '1901026902040001').id, version: 2 });
  });

  it('any interleaving of updates made on one version applies exactly the first to arrive; every other one is a conflict or already said', async () => {
    const t = ctx();
    const admin = await officer(t, 'admin_provinsi', REGION.province);
    const village = REGION.otherVillage;
    const pantarlih: TestOfficer[] = [];
    for (let i = 0; i < 3; i++) pantarlih.push(await officer(t, 'pantarlih', village));
    const outcomes = [{ hasil: 'sesuai' }, { hasil: 'tms', alasanTms: '1' }, { hasil: 'tms', alasanTms: '4' }, { hasil: 'ubah', dataDiubah: ['nama'], nama: 'Nama Lain Sekali' }];
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...outcomes), { minLength: 2, maxLength: 3 }), async (chosen) => {
        run += 1;
        const nik = `190102290200${String(run).padStart(4, '0')}`;
        await upload(t, admin, csv(line(village, nik, `Warga ${run}`, '007')));
        const listed = (await download(t, pantarlih[0]!, village)).find((v) => v.nik === nik)!;
        const envelopes = chosen.map((o) => ({ ...visit(village, listed, 1, o), data: { ...visit(village, listed, 1, o).data, tps: '007' } }));
        // Each officer pushes one; they arrive in the array's order.
        for (const [i, e] of envelopes.entries()) await pushAs(t.app, bearer(pantarlih[i]!.token), [e]);
        const row = await record(t, listed.record.id);
        const first = chosen[0]!;
        expect(Number(row.version)).toBe(2);
        expect(row.outcome).toBe(first.hasil);
        const conflicts = await t.db.selectFrom('voter_conflicts').select('incoming_submission_id').where('record_id', '=', listed.record.id).execute();
        const differing = chosen.slice(1).filter((o) => JSON.stringify(o) !== JSON.stringify(first)).length;
        expect(conflicts.length).toBe(differing);
      }),
      { numRuns: 6 },
    );
  });
}, { auth: TEST_AUTH });
