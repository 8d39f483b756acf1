// The inbox's search by the requester's name (a keyed index of the name's words, migration 065),
// the "assigned to me" filter, the returned-for-completion status, and bad filter values: a clear
// 400 naming the field, never a 5xx. A property: whatever filters and search an officer sends,
// nothing outside their region is ever listed. SQLite and PostgreSQL.
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { formatReceipt } from '../../core/ids.ts';
import { covers } from '../../core/auth/scope.ts';
import { buildApp } from '../../server/app.ts';
import { writeMeta } from '../../server/repositories/subjects.ts';
import type { SubmissionEnvelope } from '../../core/protocol.ts';
import { bearer, officer, REGION, TEST_AUTH, type TestOfficer } from './auth-fixtures.ts';
import { describeEachDialect, envelope, newDevice, pushOk, validPpidData, type TestApp } from './helpers.ts';

const NIK = '1901024702910004';

function list(t: TestApp, who: TestOfficer, query: string) {
  return t.app.inject({ url: `/api/v1/inbox?limit=200&${query}`, headers: bearer(who.token) });
}

async function ids(t: TestApp, who: TestOfficer, query: string): Promise<string[]> {
  const res = await list(t, who, query);
  if (res.statusCode !== 200) throw new Error(`inbox answered ${res.statusCode}: ${res.body}`);
  return res.json<{ items: { id: string }[] }>().items.map((i) => i.id).sort();
}

const named = (nama: string, region: string) => envelope({ data: validPpidData({ ditujukanKepada: region, nama, nik: NIK }) });

describeEachDialect(
  'inbox search by name, assigned to me, bad filter values',
  (ctx) => {
    let province: TestOfficer;
    let regency: TestOfficer;
    let colleague: TestOfficer;
    let siti: SubmissionEnvelope;
    let muhammad: SubmissionEnvelope;
    let sitiElsewhere: SubmissionEnvelope;
    let other: SubmissionEnvelope;
    let all: SubmissionEnvelope[];

    beforeAll(async () => {
      const t = ctx();
      province = await officer(t, 'admin_provinsi', REGION.province);
      regency = await officer(t, 'operator', REGION.regency);
      colleague = await officer(t, 'operator', REGION.regency);
      siti = named('Hj. Siti Aminah, S.Pd.', REGION.regency);
      muhammad = named('Muhammad Rizki Pratama', REGION.regency);
      sitiElsewhere = named('Siti Aminah', REGION.otherRegency);
      other = named('Budi Santoso', REGION.regency);
      all = [siti, muhammad, sitiElsewhere, other];
      await pushOk(t.app, newDevice(), all);
    });

    it('finds a requester by any word of the name, every word required, spelling and titles aside; only in scope', async () => {
      const t = ctx();
      expect(await ids(t, regency, 'q=siti')).toEqual([siti.id]);
      expect(await ids(t, regency, `q=${encodeURIComponent('AMINAH siti')}`)).toEqual([siti.id]);
      expect(await ids(t, regency, `q=${encodeURIComponent('Siti Budi')}`)).toEqual([]);
      expect(await ids(t, regency, `q=${encodeURIComponent('Moh. Rizky')}`)).toEqual([muhammad.id]);
      expect(await ids(t, province, 'q=Siti')).toEqual([siti.id, sitiElsewhere.id].sort());
      expect(await ids(t, regency, 'q=Siti&status=selesai')).toEqual([]);
    });

    it('a name search is audited by its kind, the name never written to the audit log', async () => {
      const t = ctx();
      await ids(t, colleague, 'q=Aminah');
      const rows = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'submission.search').where('actor_id', '=', colleague.id).execute();
      expect(rows).toHaveLength(1);
      expect(JSON.parse(rows[0]!.detail_json)).toMatchObject({ by: 'name', count: 1 });
      expect(JSON.stringify(rows[0]).toLowerCase()).not.toContain('aminah');
    });

    it('the name index holds keyed hashes only, never a word of the name', async () => {
      const t = ctx();
      const rows = await t.db.selectFrom('submission_names').selectAll().where('submission_id', '=', siti.id).execute();
      expect(rows.length).toBe(2);
      for (const r of rows) expect(r.word_index).toMatch(/^[0-9a-f]{64}$/);
    });

    it('requests stored before the name index (migration 065) are indexed once, at start, and then found', async () => {
      const t = ctx();
      await t.db.deleteFrom('submission_names').execute();
      await writeMeta(t.db, 'name_index_backfill', 'pending');
      expect(await ids(t, regency, 'q=Budi')).toEqual([]);
      const again = buildApp({ db: t.db, dialect: t.dialect, auth: TEST_AUTH, purgeEveryMs: 0 });
      await again.ready();
      await again.close();
      expect(await ids(t, regency, 'q=Budi')).toEqual([other.id]);
      expect(await ids(t, province, 'q=Siti')).toEqual([siti.id, sitiElsewhere.id].sort());
      expect((await t.db.selectFrom('server_meta').select('value').where('key', '=', 'name_index_backfill').executeTakeFirstOrThrow()).value).toBe('done');
    });

    it('with the NIK and the name index both pending, the one start-up pass writes both again and marks both done', async () => {
      const t = ctx();
      const indexed = async () => ({
        subjects: (await t.db.selectFrom('submission_subjects').selectAll().orderBy(['submission_id', 'nik_index']).execute()).map((r) => `${r.submission_id} ${r.nik_index}`),
        names: (await t.db.selectFrom('submission_names').selectAll().orderBy(['submission_id', 'word_index']).execute()).map((r) => `${r.submission_id} ${r.word_index}`),
      });
      const before = await indexed();
      expect(before.subjects.length).toBeGreaterThan(0);
      expect(before.names.length).toBeGreaterThan(0);
      await t.db.deleteFrom('submission_subjects').execute();
      await t.db.deleteFrom('submission_names').execute();
      await writeMeta(t.db, 'subject_index_backfill', 'pending');
      await writeMeta(t.db, 'name_index_backfill', 'pending');
      const again = buildApp({ db: t.db, dialect: t.dialect, auth: TEST_AUTH, purgeEveryMs: 0 });
      await again.ready();
      await again.close();
      expect(await indexed()).toEqual(before);
      const flags = await t.db.selectFrom('server_meta').select(['key', 'value']).where('key', 'in', ['subject_index_backfill', 'name_index_backfill']).orderBy('key').execute();
      expect(flags).toEqual([
        { key: 'name_index_backfill', value: 'done' },
        { key: 'subject_index_backfill', value: 'done' },
      ]);
    });

    it('assigned to me, and to nobody', async () => {
      const t = ctx();
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/inbox/${muhammad.id}/assign`, headers: bearer(regency.token), payload: { accountId: regency.id } });
      expect(res.statusCode, res.body).toBe(200);
      expect(await ids(t, regency, 'assigned=me')).toEqual([muhammad.id]);
      expect(await ids(t, colleague, 'assigned=me')).toEqual([]);
      expect(await ids(t, regency, 'assigned=none')).toEqual([siti.id, other.id].sort());
    });

    it('returned for completion (perlu dilengkapi) is a status to filter by', async () => {
      const t = ctx();
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/inbox/${other.id}/return`,
        headers: bearer(regency.token),
        payload: { reason: 'Pekerjaan belum diisi.', fields: ['pekerjaan'] },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(await ids(t, regency, 'status=perlu_dilengkapi')).toEqual([other.id]);
    });

    it('bad filter values are a 400 naming the field, never a 5xx', async () => {
      const t = ctx();
      const bad: [string, string][] = [
        ['receivedFrom=2026-02-30', 'receivedFrom'],
        ['receivedTo=2026-13-01', 'receivedTo'],
        ['receivedFrom=2026-12-07&receivedTo=2026-12-01', 'receivedTo'],
        ['status=hilang', 'status'],
        ['assigned=kamu', 'assigned'],
        ['dueWithin=-1', 'dueWithin'],
        [`q=${encodeURIComponent('!! ??')}`, 'q'],
        ['q=a', 'q'],
      ];
      for (const [query, field] of bad) {
        const res = await list(t, regency, query);
        expect(res.statusCode, `${query}: ${res.body}`).toBe(400);
        expect(res.json<{ message: string }>().message, query).toContain(field);
      }
    });

    it('property: whatever filters and search, a regency officer lists nothing outside the regency and never gets a 5xx', async () => {
      const t = ctx();
      const terms = [
        NIK,
        'Siti',
        'Aminah',
        'Budi Santoso',
        'Muhammad',
        ...all.map((s) => s.id),
        ...all.map((s) => formatReceipt(s.id)),
      ];
      const param = fc.oneof(
        fc.constantFrom(...Object.values(REGION)).map((v) => `region=${v}`),
        fc.constantFrom('diterima', 'diproses', 'selesai', 'ditolak', 'perlu_dilengkapi').map((v) => `status=${v}`),
        fc.constantFrom('me', 'none').map((v) => `assigned=${v}`),
        fc.constantFrom(...terms).map((v) => `q=${encodeURIComponent(v)}`),
        fc.string({ maxLength: 20 }).map((v) => `q=${encodeURIComponent(v)}`),
        fc.constantFrom('ppid-permohonan', 'tanggapan-dps').map((v) => `form=${v}`),
        fc.constantFrom('2020-01-01', '2026-12-07', '2099-12-31', '2026-02-29', '2026-04-31').map((v) => `receivedFrom=${v}`),
        fc.constantFrom('2020-01-01', '2099-12-31', '2026-06-31').map((v) => `receivedTo=${v}`),
        fc.constantFrom('overdue=true', 'dueWithin=7', 'sort=due'),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(param, { maxLength: 5 }), async (params) => {
          const res = await list(t, regency, params.join('&'));
          if (res.statusCode >= 500) throw new Error(`${res.statusCode} for ${params.join('&')}`);
          if (res.statusCode !== 200) return;
          for (const item of res.json<{ items: { regionCode: string }[] }>().items) {
            if (!covers(REGION.regency, item.regionCode)) throw new Error(`${item.regionCode} listed for ${params.join('&')}`);
          }
        }),
        { numRuns: 120 },
      );
    });
  },
  { auth: TEST_AUTH },
);
