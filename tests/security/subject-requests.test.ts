// Attacks on the data-subject flow (UU 27/2022, #12 finding 6): a regency officer reaching a NIK's
// records in another regency, a resident's device or a field officer using the flow at all, and
// an erasure that leaves the person's bytes in the SQLite file. Before this flow existed nothing
// could be erased at all: the name stayed in the database file for ever.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { SQLITE_FILE_NAME } from '../../server/db/sqlite.ts';
import { bearer, formEnvelope, officer, REGION, TEST_AUTH, type TestOfficer } from '../server/auth-fixtures.ts';
import { describeEachDialect, newDevice, pushOk } from '../server/helpers.ts';
import { freshName, freshNik, TEST_SUBJECT_INDEX } from '../server/retention-fixtures.ts';

describeEachDialect(
  'attack: data subject requests across regions and roles',
  (ctx) => {
    const device = newDevice();
    const nik = freshNik();
    const there = formEnvelope('ppid-permohonan', { nik, nama: freshName(), ditujukanKepada: REGION.otherRegency });
    let admin: TestOfficer;
    let intruder: TestOfficer;
    let provinceRequest = '';

    it('setup: the NIK is on a request to another regency; the province opens an erasure request for it', async () => {
      const t = ctx();
      await pushOk(t.app, device, [there]);
      admin = await officer(t, 'admin_provinsi', REGION.province);
      intruder = await officer(t, 'operator', REGION.regency);
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/subject-requests', headers: bearer(admin.token), payload: { kind: 'erasure', nik } });
      expect(res.statusCode).toBe(201);
      provinceRequest = res.json<{ id: string }>().id;
    });

    it('a regency officer cannot export, correct or erase through a request outside its region', async () => {
      const t = ctx();
      const h = bearer(intruder.token);
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/subject-requests/${provinceRequest}/export`, headers: h })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'POST', url: `/api/v1/subject-requests/${provinceRequest}/erase`, headers: h })).statusCode).toBe(404);
      expect(
        (await t.app.inject({ method: 'POST', url: `/api/v1/subject-requests/${provinceRequest}/correct`, headers: h, payload: { submissionId: there.id, field: 'nama', value: 'Orang Lain' } }))
          .statusCode,
      ).toBe(404);
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/subject-requests', headers: h, payload: { kind: 'erasure', nik, regionCode: REGION.province } })).statusCode).toBe(403);
    });

    it('a regency officer’s own request for the NIK reaches nothing in the other regency', async () => {
      const t = ctx();
      const h = bearer(intruder.token);
      const own = (await t.app.inject({ method: 'POST', url: '/api/v1/subject-requests', headers: h, payload: { kind: 'erasure', nik } })).json<{ id: string }>();
      const exported = await t.app.inject({ method: 'GET', url: `/api/v1/subject-requests/${own.id}/export`, headers: h });
      expect(exported.json<{ submissions: unknown[] }>().submissions).toEqual([]);
      const erased = await t.app.inject({ method: 'POST', url: `/api/v1/subject-requests/${own.id}/erase`, headers: h });
      expect(erased.json<{ erased: string[] }>().erased).toEqual([]);
      expect(await t.db.selectFrom('submissions').select('id').where('id', '=', there.id).execute()).toHaveLength(1);
    });

    it('a resident’s device, no credential, and field roles cannot use the flow', async () => {
      const t = ctx();
      const paths = [
        { method: 'GET' as const, url: '/api/v1/subject-requests' },
        { method: 'POST' as const, url: '/api/v1/subject-requests', payload: { kind: 'access', nik } },
        { method: 'GET' as const, url: `/api/v1/subject-requests/${provinceRequest}/export` },
        { method: 'POST' as const, url: `/api/v1/subject-requests/${provinceRequest}/erase` },
      ];
      for (const p of paths) {
        expect((await t.app.inject({ ...p })).statusCode).toBe(401);
        expect((await t.app.inject({ ...p, headers: { authorization: device.authorization } })).statusCode).toBe(401);
      }
      for (const [role, scope] of [['pps', REGION.village], ['ppk', REGION.district], ['pengamat', REGION.province], ['pantarlih', REGION.village]] as const) {
        const who = await officer(t, role, scope);
        for (const p of paths) expect((await t.app.inject({ ...p, headers: bearer(who.token) })).statusCode, `${role} ${p.method} ${p.url}`).toBe(403);
      }
      expect(await t.db.selectFrom('submissions').select('id').where('id', '=', there.id).execute()).toHaveLength(1);
    });
  },
  { auth: TEST_AUTH, subjectIndex: TEST_SUBJECT_INDEX, purgeEveryMs: 0 },
);

describeEachDialect(
  'attack: reading an erased person back out of the database file',
  (ctx, dialect) => {
    it.runIf(dialect === 'sqlite')('after erasure the name and NIK are in neither the SQLite file nor its WAL', async () => {
      const t = ctx();
      const nik = freshNik();
      const name = freshName();
      const item = formEnvelope('ppid-permohonan', { nik, nama: name, alamat: `${name} Jl. Uji`, ditujukanKepada: REGION.regency });
      await pushOk(t.app, newDevice(), [item]);
      await t.app.repos.updateStatus(item.id, 'selesai', 'Informasi terlampir.');
      const files = [SQLITE_FILE_NAME, `${SQLITE_FILE_NAME}-wal`].map((f) => join(t.dataDir, f));
      const holds = (needle: string) => files.some((f) => existsSync(f) && readFileSync(f).includes(Buffer.from(needle)));
      await sql`pragma wal_checkpoint(TRUNCATE)`.execute(t.db);
      const stored = await t.db.selectFrom('submissions').select('payload_json').where('id', '=', item.id).executeTakeFirstOrThrow();
      // Stored in the clear (before encryption at rest), the name is on disk: the erasure must take it off.
      if (stored.payload_json.startsWith('{')) expect(holds(name)).toBe(true);

      const admin = await officer(t, 'admin_provinsi', REGION.province);
      const req = (await t.app.inject({ method: 'POST', url: '/api/v1/subject-requests', headers: bearer(admin.token), payload: { kind: 'erasure', nik } })).json<{ id: string }>();
      const erased = await t.app.inject({ method: 'POST', url: `/api/v1/subject-requests/${req.id}/erase`, headers: bearer(admin.token) });
      expect(erased.json<{ erased: string[] }>().erased).toEqual([item.id]);
      expect(holds(name)).toBe(false);
      expect(holds(nik)).toBe(false);
    });
  },
  { auth: TEST_AUTH, subjectIndex: TEST_SUBJECT_INDEX, purgeEveryMs: 0 },
);
