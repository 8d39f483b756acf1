// The voter record a push updates (issue #13) is written after the push is durable, in its own
// transactions. Two risks of that, on SQLite and PostgreSQL:
//  - a push whose record update was lost (the process died between, or the update failed) is
//    found again: the stored submission keeps a "record update pending" mark, written in the push's
//    own transaction, and a sweep (at start and on a timer, server/plugins/retention.ts) applies what is marked, exactly once,
//    however many sweeps run at once;
//  - a sealed coklit names its record inside the seal: the server reads the record from the opened
//    envelope, and refuses one whose clear `record` says another than the sealed one.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import type { PushResponse, SubmissionEnvelope } from '../../core/protocol.ts';
import { sealSubmission } from '../../core/sealed/sealed-submission.ts';
import { buildApp } from '../../server/app.ts';
import { sweepVoterUpdates } from '../../server/services/voter-ingest.ts';
import type { InTransactionStep } from '../../server/repositories/submissions.ts';
import { payloadHash, secretHash } from '../../server/services/hashing.ts';
import { canonicalJson } from '../../core/hash.ts';
import { bearer, formEnvelope, officer, pushAs, REGION, TEST_AUTH, type TestOfficer } from './auth-fixtures.ts';
import { describeEachDialect, newDevice, pushOk, type TestApp } from './helpers.ts';
import { publishedKey } from './sealing-fixtures.ts';

const keyDirs: string[] = [];
afterAll(() => {
  for (const d of keyDirs) rmSync(d, { recursive: true, force: true });
});

const HEADER = 'desa,tps,nik,kk,nama,jenisKelamin,tempatLahir,tanggalLahir,alamat,rt,rw';
const line = (village: string, nik: string, nama: string) => `${village},005,${nik},1901020101200001,${nama},L,Mentok,1988-03-09,Jl. Pelabuhan No. 4,002,001`;

interface Listed {
  nik: string;
  nama: string;
  record: { id: string; version: number };
}

async function listVoters(t: TestApp, admin: TestOfficer, pps: TestOfficer, village: string, voters: [string, string][]): Promise<Listed[]> {
  const body = [HEADER, ...voters.map(([nik, nama]) => line(village, nik, nama))].join('\r\n') + '\r\n';
  const up = await t.app.inject({ method: 'POST', url: '/api/v1/assignments', headers: { ...bearer(admin.token), 'content-type': 'text/csv' }, payload: body });
  expect(up.statusCode, up.body).toBe(200);
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/assignments?village=${village}`, headers: bearer(pps.token) });
  expect(res.statusCode, res.body).toBe(200);
  const all = res.json<{ lists: { voters: Listed[] }[] }>().lists.flatMap((l) => l.voters);
  return voters.map(([nik]) => all.find((v) => v.nik === nik)!);
}

function visit(village: string, v: Listed, baseVersion: number, outcome: Record<string, unknown>): SubmissionEnvelope {
  const e = formEnvelope('coklit-pilkada', {
    desa: village,
    tps: '005',
    nik: v.nik,
    kk: '1901020101200001',
    nama: v.nama,
    tempatLahir: 'Mentok',
    tanggalLahir: '1988-03-09',
    jenisKelamin: 'L',
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

const recordOf = (t: TestApp, id: string) => t.db.selectFrom('assignment_voters').select(['version', 'outcome', 'tms_code']).where('record_id', '=', id).executeTakeFirstOrThrow();
const eventsOf = (t: TestApp, submissionId: string) => t.db.selectFrom('voter_record_events').select(['record_id', 'kind']).where('submission_id', '=', submissionId).execute();
const pendingOf = async (t: TestApp, id: string) => (await t.db.selectFrom('submissions').select('voter_pending').where('id', '=', id).executeTakeFirstOrThrow()).voter_pending;

/** The record updates fail while `body` runs, after each push is durable (a crash between, as the route sees it). */
async function withUpdatesFailing<T>(t: TestApp, body: () => Promise<T>): Promise<T> {
  await sql`alter table voter_record_events rename to voter_record_events_away`.execute(t.db);
  try {
    return await body();
  } finally {
    await sql`alter table voter_record_events_away rename to voter_record_events`.execute(t.db);
  }
}

/** Who lists a village's voters (the province admin uploads, its PPS reads) and who visits them. */
async function villageStaff(t: TestApp): Promise<{ admin: TestOfficer; pps: TestOfficer; pantarlih: TestOfficer }> {
  return {
    admin: await officer(t, 'admin_provinsi', REGION.province),
    pps: await officer(t, 'pps', REGION.village),
    pantarlih: await officer(t, 'pantarlih', REGION.village),
  };
}

let seq = 0;
const nextNik = () => `19010229010${String(++seq).padStart(5, '0')}`;

describeEachDialect(
  'voter record updates after the push',
  (ctx) => {
    it('a coklit and a tanggapan whose record updates were lost are applied by the sweep, once, however many sweeps run', async () => {
      const t = ctx();
      const { admin, pps, pantarlih } = await villageStaff(t);
      const [ani, budi] = await listVoters(t, admin, pps, REGION.village, [[nextNik(), 'Ani Lestari'], [nextNik(), 'Budi Hartono']]);
      const byOfficer = visit(REGION.village, ani!, 1, { hasil: 'tms', alasanTms: '1' });
      const byResident = tanggapan(budi!.nik, 'pindah');
      await withUpdatesFailing(t, async () => {
        expect((await pushAs(t.app, bearer(pantarlih.token), [byOfficer])).json<PushResponse>().results[0]).toMatchObject({ outcome: 'accepted' });
        expect((await pushOk(t.app, newDevice(), [byResident])).results[0]).toMatchObject({ outcome: 'accepted' });
      });
      // Stored, not applied, and marked as such in the push's own transaction.
      expect(await recordOf(t, ani!.record.id)).toMatchObject({ version: 1, outcome: null });
      expect(await eventsOf(t, byResident.id)).toEqual([]);
      expect(await pendingOf(t, byOfficer.id)).not.toBeNull();
      expect(await pendingOf(t, byResident.id)).not.toBeNull();

      const swept = await Promise.all([0, 1, 2].map(() => sweepVoterUpdates(t.db, t.dialect, t.app.dataKeys, { now: new Date().toISOString() })));
      expect(swept.reduce((n, s) => n + s.applied, 0)).toBeGreaterThanOrEqual(2);
      expect(await recordOf(t, ani!.record.id)).toMatchObject({ version: 2, outcome: 'tms', tms_code: '1' });
      expect(await eventsOf(t, byOfficer.id)).toEqual([{ record_id: ani!.record.id, kind: 'coklit' }]);
      expect(await eventsOf(t, byResident.id)).toEqual([{ record_id: budi!.record.id, kind: 'tanggapan' }]);
      // Nothing of it became a conflict with itself.
      expect(await t.db.selectFrom('voter_conflicts').select('id').where('record_id', '=', ani!.record.id).execute()).toEqual([]);
      expect(await pendingOf(t, byOfficer.id)).toBeNull();
      expect(await pendingOf(t, byResident.id)).toBeNull();
      // A later sweep finds nothing to do.
      expect(await sweepVoterUpdates(t.db, t.dialect, t.app.dataKeys, { now: new Date().toISOString() })).toMatchObject({ applied: 0 });
      expect(await recordOf(t, ani!.record.id)).toMatchObject({ version: 2 });
    });

    it('the server applies what stays marked when it starts, even with the retention purge off', async () => {
      const t = ctx();
      const { admin, pps, pantarlih } = await villageStaff(t);
      const [v] = await listVoters(t, admin, pps, REGION.village, [[nextNik(), 'Dewi Anggraini']]);
      const lost = visit(REGION.village, v!, 1, { hasil: 'tms', alasanTms: '2' });
      await withUpdatesFailing(t, async () => {
        expect((await pushAs(t.app, bearer(pantarlih.token), [lost])).json<PushResponse>().results[0]).toMatchObject({ outcome: 'accepted' });
      });
      expect(await pendingOf(t, lost.id)).not.toBeNull();
      const restarted = buildApp({ db: t.db, dialect: t.dialect, auth: TEST_AUTH, purgeEveryMs: 0 });
      await restarted.ready();
      await restarted.close();
      expect(await pendingOf(t, lost.id)).toBeNull();
      expect(await recordOf(t, v!.record.id)).toMatchObject({ version: 2, outcome: 'tms', tms_code: '2' });
    });

    it('an applied push leaves no mark; practice and forms that update no record are never marked', async () => {
      const t = ctx();
      const { admin, pps, pantarlih } = await villageStaff(t);
      const [v] = await listVoters(t, admin, pps, REGION.village, [[nextNik(), 'Citra Dewi']]);
      const real = visit(REGION.village, v!, 1, { hasil: 'sesuai' });
      const practice = { ...visit(REGION.village, v!, 1, { hasil: 'tms', alasanTms: '4' }), practice: true as const };
      const plain = formEnvelope('coklit-pilkada', { desa: REGION.village });
      const res = await pushAs(t.app, bearer(pantarlih.token), [real, practice, plain]);
      expect(res.json<PushResponse>().results.map((r) => r.outcome)).toEqual(['accepted', 'accepted', 'accepted']);
      expect(await recordOf(t, v!.record.id)).toMatchObject({ version: 2, outcome: 'sesuai' });
      for (const e of [real, practice, plain]) expect(await pendingOf(t, e.id)).toBeNull();
    });

    it('whichever pushes lose their record update, sweeping leaves every record as if none had', async () => {
      const t = ctx();
      const { admin, pps, pantarlih } = await villageStaff(t);
      const outcomes = [{ hasil: 'sesuai' }, { hasil: 'tms', alasanTms: '1' }, { hasil: 'tms', alasanTms: '4' }];
      await fc.assert(
        fc.asyncProperty(fc.array(fc.record({ outcome: fc.nat(2), lost: fc.boolean() }), { minLength: 1, maxLength: 3 }), async (steps) => {
          const [v] = await listVoters(t, admin, pps, REGION.village, [[nextNik(), 'Dedi Kurniawan']]);
          // Each step an update on the version the officer saw: the first applies, the rest are conflicts or the same.
          for (const s of steps) {
            const e = visit(REGION.village, v!, 1, outcomes[s.outcome]!);
            const push = () => pushAs(t.app, bearer(pantarlih.token), [e]);
            if (s.lost) await withUpdatesFailing(t, push);
            else await push();
            // A lost update is swept before the next push arrives (as the start-up sweep would).
            await sweepVoterUpdates(t.db, t.dialect, t.app.dataKeys, { now: new Date().toISOString() });
          }
          const row = await recordOf(t, v!.record.id);
          expect(Number(row.version)).toBe(2);
          expect(row.outcome).toBe(outcomes[steps[0]!.outcome]!.hasil);
          const conflicts = await t.db.selectFrom('voter_conflicts').select('id').where('record_id', '=', v!.record.id).execute();
          expect(conflicts.length).toBe(steps.slice(1).filter((s) => s.outcome !== steps[0]!.outcome).length);
        }),
        { numRuns: 5 },
      );
    });

    it('a push of many coklit records leaves the records as the same records pushed one by one would', async () => {
      const t = ctx();
      const { admin, pps, pantarlih } = await villageStaff(t);
      const outcomes = [{ hasil: 'sesuai' }, { hasil: 'tms', alasanTms: '1' }, { hasil: 'ubah', dataDiubah: ['alamat'], alamat: 'Jl. Depati Amir 12' }];
      const step = fc.record({ voter: fc.nat(2), outcome: fc.nat(2), stale: fc.boolean() });
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
          const listed = await listVoters(t, admin, pps, REGION.village, Array.from({ length: 6 }, (_, i) => [nextNik(), `Warga Uji ${i}`] as [string, string]));
          const together = listed.slice(0, 3);
          const alone = listed.slice(3);
          // Each update on the version the officer would have seen: 1, or 2 when it follows its own earlier one (stale: 1 anyway).
          const envelopes = (voters: Listed[]) => {
            const filed = new Map<number, number>();
            return steps.map((s) => {
              const base = s.stale ? 1 : 1 + (filed.get(s.voter) ?? 0);
              filed.set(s.voter, (filed.get(s.voter) ?? 0) + 1);
              return visit(REGION.village, voters[s.voter]!, base, outcomes[s.outcome]!);
            });
          };
          expect((await pushAs(t.app, bearer(pantarlih.token), envelopes(together))).statusCode).toBe(200);
          for (const e of envelopes(alone)) await pushAs(t.app, bearer(pantarlih.token), [e]);
          const stateOf = async (v: Listed) => ({
            ...(await recordOf(t, v.record.id)),
            conflicts: (await t.db.selectFrom('voter_conflicts').select('id').where('record_id', '=', v.record.id).execute()).length,
          });
          for (let i = 0; i < 3; i++) {
            const a = await stateOf(together[i]!);
            const b = await stateOf(alone[i]!);
            expect({ ...a, version: Number(a.version) }).toEqual({ ...b, version: Number(b.version) });
          }
          const marked = await t.db.selectFrom('submissions').select('id').where('voter_pending', 'is not', null).execute();
          expect(marked).toEqual([]);
        }),
        { numRuns: 6 },
      );
    }, 180_000);

    it('pushes racing on the same records settle as the same updates one by one would: one applies per version, every other is a conflict or already said, each once', async () => {
      const t = ctx();
      const { admin, pps, pantarlih } = await villageStaff(t);
      const second = await officer(t, 'pantarlih', REGION.village);
      const officers = [pantarlih, second];
      const outcomes = [{ hasil: 'sesuai' }, { hasil: 'tms', alasanTms: '1' }, { hasil: 'ubah', dataDiubah: ['alamat'], alamat: 'Jl. Depati Amir 12' }];
      const item = fc.record({ voter: fc.nat(2), outcome: fc.nat(2) });
      const push = fc.record({ by: fc.nat(1), items: fc.array(item, { minLength: 1, maxLength: 4 }) });
      await fc.assert(
        fc.asyncProperty(fc.array(push, { minLength: 2, maxLength: 4 }), fc.nat(3), async (pushes, resent) => {
          const listed = await listVoters(t, admin, pps, REGION.village, Array.from({ length: 6 }, (_, i) => [nextNik(), `Warga Balapan ${i}`] as [string, string]));
          const raced = listed.slice(0, 3);
          const alone = listed.slice(3);
          // Every officer saw the list as loaded (version 1); the pushes go at once.
          const filed = pushes.map((p) => ({ by: p.by, envelopes: p.items.map((i) => ({ i, e: visit(REGION.village, raced[i.voter]!, 1, outcomes[i.outcome]!) })) }));
          const answers = await Promise.all(filed.map((p) => pushAs(t.app, bearer(officers[p.by]!.token), p.envelopes.map((x) => x.e))));
          for (const a of answers) expect(a.json<PushResponse>().results.every((r) => r.outcome === 'accepted'), a.body).toBe(true);
          // A resend of one push changes nothing.
          const again = filed[resent % filed.length]!;
          const re = await pushAs(t.app, bearer(officers[again.by]!.token), again.envelopes.map((x) => x.e));
          expect(re.json<PushResponse>().results.every((r) => r.outcome === 'duplicate')).toBe(true);
          // Each submission settled once: one event of its own, no mark left.
          const all = filed.flatMap((p) => p.envelopes);
          for (const { e } of all) expect((await eventsOf(t, e.id)).length, e.id).toBe(1);
          expect(await t.db.selectFrom('submissions').select('id').where('voter_pending', 'is not', null).execute()).toEqual([]);
          // The same updates one by one, the one that won on each record first: the same records and conflicts.
          for (let v = 0; v < 3; v++) {
            const mine = all.filter((x) => x.i.voter === v);
            if (mine.length === 0) continue;
            const events = await t.db.selectFrom('voter_record_events').select(['submission_id', 'version']).where('record_id', '=', raced[v]!.record.id).where('kind', '=', 'coklit').execute();
            const won = mine.find((x) => events.some((ev) => ev.submission_id === x.e.id && ev.version !== null));
            expect(won, 'one update applied').toBeDefined();
            for (const x of [won!, ...mine.filter((m) => m !== won)]) await pushAs(t.app, bearer(pantarlih.token), [visit(REGION.village, alone[v]!, 1, outcomes[x.i.outcome]!)]);
            const conflictsOf = async (l: Listed) => (await t.db.selectFrom('voter_conflicts').select('id').where('record_id', '=', l.record.id).execute()).length;
            const a = await recordOf(t, raced[v]!.record.id);
            const b = await recordOf(t, alone[v]!.record.id);
            expect({ ...a, version: Number(a.version), conflicts: await conflictsOf(raced[v]!) }).toEqual({ ...b, version: Number(b.version), conflicts: await conflictsOf(alone[v]!) });
            expect(Number(a.version)).toBe(2);
          }
        }),
        { numRuns: 6 },
      );
    }, 240_000);

    // Without `covers` the submission is stored with its mark and keeps it; with `covers` (the step
    // says it settles it) it is stored unmarked, and the failed step's savepoint leaves it marked.
    it.each([
      ['its mark stays for the sweep', false],
      ['marked for the sweep though stored unmarked for the step', true],
    ])('a voter step that fails inside the push transaction is undone alone: the push is stored and acknowledged, %s', async (_name, covering) => {
      const t = ctx();
      const { admin, pps, pantarlih } = await villageStaff(t);
      const [v] = await listVoters(t, admin, pps, REGION.village, [[nextNik(), 'Hadi Santoso']]);
      const e = visit(REGION.village, v!, 1, { hasil: 'tms', alasanTms: '1' });
      const payloadJson = canonicalJson(e.data);
      const device = newDevice();
      const failing = async (trx: Parameters<InTransactionStep>[0], inserted: ReadonlySet<string>) => {
        // Writes something, then fails: the write must not survive.
        await trx.updateTable('assignment_voters').set({ version: 99 }).where('record_id', '=', v!.record.id).execute();
        expect([...inserted]).toEqual([e.id]);
        if (covering) expect(await pendingOf({ ...t, db: trx }, e.id)).toBeNull();
        throw new Error('voter step failed');
      };
      const result = await t.app.repos.ingest(
        { kind: 'phone', deviceId: device.deviceId, secret: device.secret },
        [{ envelope: e, payloadJson, payloadHash: payloadHash(e, payloadJson), secretHash: secretHash(e.secret), accountId: pantarlih.id, regionCode: REGION.village, voterPending: JSON.stringify({ id: v!.record.id, baseVersion: 1 }) }],
        new Date().toISOString(),
        covering ? Object.assign(failing, { covers: new Set([e.id]) }) : failing,
      );
      expect(result).toMatchObject({ ok: true, outcomes: [{ outcome: 'accepted' }] });
      expect(result.ok && result.voterSettled).toBeFalsy();
      expect(await recordOf(t, v!.record.id)).toMatchObject({ version: 1, outcome: null });
      expect(await pendingOf(t, e.id)).not.toBeNull();
      await sweepVoterUpdates(t.db, t.dialect, t.app.dataKeys, { now: new Date().toISOString() });
      expect(await recordOf(t, v!.record.id)).toMatchObject({ version: 2, outcome: 'tms', tms_code: '1' });
      expect(await pendingOf(t, e.id)).toBeNull();
    });

    it('a sealed coklit updates the record named inside the seal, even with no record in the clear', async () => {
      const t = ctx();
      const { admin, pps, pantarlih } = await villageStaff(t);
      const [v] = await listVoters(t, admin, pps, REGION.village, [[nextNik(), 'Eka Putri']]);
      const key = await publishedKey(t.app);
      const sealed = await sealSubmission(key, visit(REGION.village, v!, 1, { hasil: 'tms', alasanTms: '4' }));
      const { record: _clear, ...withoutClearRecord } = sealed;
      expect(JSON.stringify(withoutClearRecord)).not.toContain(v!.nik);
      expect((await pushAs(t.app, bearer(pantarlih.token), [withoutClearRecord])).json<PushResponse>().results[0]).toMatchObject({ outcome: 'accepted' });
      expect(await recordOf(t, v!.record.id)).toMatchObject({ version: 2, outcome: 'tms', tms_code: '4' });
    });

    it('a sealed coklit whose clear record names another voter than its seal is refused, and neither record moves', async () => {
      const t = ctx();
      const { admin, pps, pantarlih } = await villageStaff(t);
      const [sealedFor, named] = await listVoters(t, admin, pps, REGION.village, [[nextNik(), 'Fajar Siddiq'], [nextNik(), 'Gita Ayu']]);
      const key = await publishedKey(t.app);
      const sealed = await sealSubmission(key, visit(REGION.village, sealedFor!, 1, { hasil: 'tms', alasanTms: '1' }));
      const swapped: SubmissionEnvelope = { ...sealed, record: { id: named!.record.id, baseVersion: 1 } };
      expect((await pushAs(t.app, bearer(pantarlih.token), [swapped])).json<PushResponse>().results[0]).toEqual({ id: sealed.id, outcome: 'rejected', reason: 'invalid_envelope' });
      expect(await recordOf(t, sealedFor!.record.id)).toMatchObject({ version: 1, outcome: null });
      expect(await recordOf(t, named!.record.id)).toMatchObject({ version: 1, outcome: null });
    });
  },
  () => {
    const keysDir = mkdtempSync(join(tmpdir(), 'jangkau-keys-'));
    keyDirs.push(keysDir);
    return { auth: TEST_AUTH, handoff: { keysDir } };
  },
);
