// Form and SOP versions across levels (issue #7): the province admin publishes SOPs, devices get
// them with the forms, and each officer's device reports on its pulls which versions it holds,
// so the KPI table "Versi formulir" lists who still works from an old one, scoped by region.
import { expect, it } from 'vitest';
import { latestForms, PUBLISHED_FORMS } from '../../core/forms/catalog/index.ts';
import { ppidPermohonanV1 } from '../../core/forms/catalog/ppid-permohonan.ts';
import type { FormDef } from '../../core/forms/definition.ts';
import { formsTagOf } from '../../core/forms/forms-tag.ts';
import { encodeHeld } from '../../core/forms/held-versions.ts';
import { HELD_VERSIONS_HEADER } from '../../core/protocol.ts';
import type { SopDoc } from '../../core/forms/sop.ts';
import { publishForm } from '../../server/repositories/forms.ts';
import { bearer, officer, REGION, TEST_AUTH, type TestOfficer } from './auth-fixtures.ts';
import { describeEachDialect, newDevice, type TestApp } from './helpers.ts';

const ppidV2: FormDef = {
  ...ppidPermohonanV1,
  version: 2,
  effectiveDate: '2026-12-01',
  changeNotes: { id: 'Kolom instansi ditambahkan.', en: 'An institution field was added.' },
  fields: [...ppidPermohonanV1.fields, { name: 'instansi', type: 'text', label: { id: 'Instansi', en: 'Institution' }, maxLength: 100 }],
};

function sop(version: number, overrides: Partial<SopDoc> = {}): SopDoc {
  return {
    sopId: 'sop-coklit',
    version,
    title: { id: 'SOP Coklit', en: 'Coklit SOP' },
    effectiveDate: '2026-12-01',
    changeNotes: { id: `Perubahan versi ${version}.`, en: `Changes of version ${version}.` },
    body: 'Langkah 1: datangi rumah pemilih.\n\nLangkah 2: cocokkan data dengan KTP-el.',
    ...overrides,
  };
}

/** What a device holding the bundled catalogue reports, with some items at other versions. */
function holding(versions: Record<string, number>): string {
  const bundled = latestForms(PUBLISHED_FORMS).map((f) => ({ item: f.formId, version: f.version }));
  return encodeHeld([...bundled.filter((b) => !(b.item in versions)), ...Object.entries(versions).map(([item, version]) => ({ item, version }))]);
}

function pullHolding(t: TestApp, o: TestOfficer, held: string) {
  return t.app.inject({ url: '/api/v1/changes?since=0', headers: { ...bearer(o.token), [HELD_VERSIONS_HEADER]: held } });
}

interface VersionRow {
  deviceId: string;
  username: string;
  item: string;
  kind: string;
  version: number;
  current: number;
  officerScope: string;
  reportedAt: string;
}

async function versionRows(t: TestApp, viewer: TestOfficer, query = ''): Promise<VersionRow[]> {
  const res = await t.app.inject({ url: `/api/v1/kpi/form-versions${query}`, headers: bearer(viewer.token) });
  expect(res.statusCode).toBe(200);
  return res.json<{ rows: VersionRow[] }>().rows;
}

describeEachDialect(
  'form and SOP versions held by devices',
  (ctx) => {
    it('publishes SOPs for the province admin only, serves the current one with the forms, and moves the forms tag', async () => {
      const t = ctx();
      const admin = await officer(t, 'admin_provinsi', REGION.province);
      const operator = await officer(t, 'operator', REGION.regency);
      const publish = (o: TestOfficer, doc: unknown) => t.app.inject({ method: 'POST', url: '/api/v1/admin/sops', headers: bearer(o.token), payload: doc as object });
      const tagBefore = (await t.app.inject({ url: '/api/v1/changes', headers: { authorization: newDevice().authorization } })).json<{ formsTag: string }>().formsTag;

      expect((await publish(operator, sop(1))).statusCode).toBe(403);
      expect((await publish(admin, sop(1))).statusCode).toBe(201);
      expect((await publish(admin, sop(1))).statusCode).toBe(200);
      expect((await publish(admin, sop(1, { body: 'Teks lain.' }))).statusCode).toBe(409);
      expect((await publish(admin, sop(2))).statusCode).toBe(201);
      expect((await publish(admin, sop(1, { sopId: 'sop-coklit', version: 1, body: 'x' }))).statusCode).toBe(409);
      expect((await publish(admin, sop(3, { effectiveDate: '2026-02-30' }))).statusCode).toBe(400);
      expect((await publish(admin, sop(3, { body: 'x'.repeat(50_001) }))).statusCode).toBe(400);
      expect((await publish(admin, { ...sop(3), extra: true })).statusCode).toBe(400);

      const stored = await t.db.selectFrom('sop_documents').select(['sop_id', 'version', 'published_by']).orderBy('version').execute();
      expect(stored.map((r) => [r.sop_id, Number(r.version), r.published_by])).toEqual([
        ['sop-coklit', 1, admin.id],
        ['sop-coklit', 2, admin.id],
      ]);
      const audit = await t.db.selectFrom('audit_log').select(['action', 'subject']).where('action', '=', 'sop.publish').execute();
      expect(audit.map((a) => a.subject)).toEqual(['sop:sop-coklit@1', 'sop:sop-coklit@2']);

      const forms = (await t.app.inject({ url: '/api/v1/forms' })).json<{ forms: FormDef[]; retired: { formId: string; version: number }[]; sops: SopDoc[] }>();
      expect(forms.sops).toEqual([sop(2)]);
      const pulled = (await t.app.inject({ url: '/api/v1/changes', headers: { authorization: newDevice().authorization } })).json<{ formsTag: string }>();
      expect(pulled.formsTag).not.toBe(tagBefore);
      // The device computes the tag over what it was served: forms, retired versions and SOPs.
      expect(pulled.formsTag).toBe(
        formsTagOf([
          ...forms.forms.map((f) => ({ formId: f.formId, version: f.version, retired: false })),
          ...forms.retired.map((r) => ({ ...r, retired: true })),
          { formId: 'sop:sop-coklit', version: 2, retired: false },
        ]),
      );
    });

    it('lists a device holding an old form or SOP version as outdated until it reports the new one', async () => {
      const t = ctx();
      const province = await officer(t, 'admin_provinsi', REGION.province);
      const pantarlih = await officer(t, 'pantarlih', REGION.village);
      await publishForm(t.db, ppidV2, new Date().toISOString());

      // Before any report, nothing is listed for this officer.
      expect((await versionRows(t, province)).filter((r) => r.username === pantarlih.username)).toEqual([]);

      expect((await pullHolding(t, pantarlih, holding({ 'sop:sop-coklit': 1 }))).statusCode).toBe(200);
      const stored = await t.db.selectFrom('device_versions').select(['item_id', 'version']).where('device_id', '=', pantarlih.deviceId).execute();
      expect(new Map(stored.map((r) => [r.item_id, Number(r.version)]))).toEqual(
        new Map([...latestForms(PUBLISHED_FORMS).map((f): [string, number] => [f.formId, f.version]), ['sop:sop-coklit', 1]]),
      );
      const outdated = (await versionRows(t, province)).filter((r) => r.username === pantarlih.username);
      expect(outdated.map((r) => [r.item, r.kind, r.version, r.current])).toEqual([
        ['ppid-permohonan', 'form', 1, 2],
        ['sop:sop-coklit', 'sop', 1, 2],
      ]);
      expect(outdated[0]).toMatchObject({ deviceId: pantarlih.deviceId, officerScope: REGION.village });

      const csv = await t.app.inject({ url: '/api/v1/kpi/form-versions?format=csv', headers: bearer(province.token) });
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.body.split('\r\n').filter((l) => l.includes(pantarlih.username))).toHaveLength(2);

      // A device that lacks a current item altogether is behind for it too (version 0).
      await pullHolding(t, pantarlih, holding({ 'ppid-permohonan': 2 }));
      expect((await versionRows(t, province)).filter((r) => r.username === pantarlih.username).map((r) => [r.item, r.version, r.current])).toEqual([
        ['sop:sop-coklit', 0, 2],
      ]);

      // The device syncs and now holds the new versions: it leaves the table.
      await pullHolding(t, pantarlih, holding({ 'ppid-permohonan': 2, 'sop:sop-coklit': 2 }));
      expect((await versionRows(t, province)).filter((r) => r.username === pantarlih.username)).toEqual([]);
      const after = await t.db.selectFrom('device_versions').select(['item_id', 'version']).where('device_id', '=', pantarlih.deviceId).execute();
      expect(new Map(after.map((r) => [r.item_id, Number(r.version)])).get('ppid-permohonan')).toBe(2);
    });

    it('shows a regency operator the officers of their regency only, and the province all', async () => {
      const t = ctx();
      const here = await officer(t, 'pps', REGION.village);
      const there = await officer(t, 'pps', REGION.otherVillage);
      await publishForm(t.db, ppidV2, new Date().toISOString());
      await pullHolding(t, here, holding({}));
      await pullHolding(t, there, holding({}));

      const names = (rows: VersionRow[]) => [...new Set(rows.map((r) => r.username).filter((u) => u === here.username || u === there.username))].sort();
      const operator = await officer(t, 'operator', REGION.regency);
      expect(names(await versionRows(t, operator))).toEqual([here.username]);
      const otherOperator = await officer(t, 'operator', REGION.otherRegency);
      expect(names(await versionRows(t, otherOperator))).toEqual([there.username]);
      // The province admin (usernames are for account managers only; observers get none).
      const province = await officer(t, 'admin_provinsi', REGION.province);
      expect(names(await versionRows(t, province))).toEqual([here.username, there.username].sort());
      // Narrowed inside the scope, refused outside it.
      expect(names(await versionRows(t, province, `?region=${REGION.otherRegency}`))).toEqual([there.username]);
      const outside = await t.app.inject({ url: `/api/v1/kpi/form-versions?region=${REGION.otherRegency}`, headers: bearer(operator.token) });
      expect(outside.statusCode).toBe(403);
      // A pantarlih may not read KPIs at all.
      const field = await officer(t, 'pantarlih', REGION.village);
      expect((await t.app.inject({ url: '/api/v1/kpi/form-versions', headers: bearer(field.token) })).statusCode).toBe(403);
    });

    it('ignores a malformed report and never stores residents’ devices', async () => {
      const t = ctx();
      const o = await officer(t, 'kpps', REGION.village);
      await pullHolding(t, o, 'ppid-permohonan@1');
      for (const bad of ['ppid-permohonan@0', 'ppid-permohonan', '@1', 'Bad Id@1', 'a@1,a@2', `${'x'.repeat(9000)}@1`]) {
        const res = await pullHolding(t, o, bad);
        expect(res.statusCode).toBe(200);
      }
      const kept = await t.db.selectFrom('device_versions').select(['item_id', 'version']).where('device_id', '=', o.deviceId).execute();
      expect(kept.map((r) => [r.item_id, Number(r.version)])).toEqual([['ppid-permohonan', 1]]);

      const resident = newDevice();
      const before = await t.db.selectFrom('device_versions').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
      const res = await t.app.inject({ url: '/api/v1/changes', headers: { authorization: resident.authorization, [HELD_VERSIONS_HEADER]: 'ppid-permohonan@1' } });
      expect(res.statusCode).toBe(200);
      const after = await t.db.selectFrom('device_versions').select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
    });
  },
  { auth: TEST_AUTH },
);
