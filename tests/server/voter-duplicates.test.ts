// Pemilih ganda on the server: blind keys written with the records, the search over the whole
// list (exact NIK, same normalised name + birth date, near names inside small blocks), pairs seen
// only by staff whose region one of the two records lies in, decisions audited and never asked
// twice, and no plaintext NIK or name in the tables the search reads.
import { expect, it } from 'vitest';
import { bearer, officer, REGION, TEST_AUTH, type TestOfficer } from './auth-fixtures.ts';
import { describeEachDialect, type TestApp } from './helpers.ts';
import { prepareMatchRows, searchDuplicates, writeMatchRows, type VoterCard } from '../../server/repositories/voter-duplicates.ts';

const VILLAGE = REGION.village; // 19.01.01.1001
const SIBLING = REGION.siblingVillage; // 19.01.01.1002
const OTHER = REGION.otherVillage; // 19.02.01.2003, another regency

/** Records that make exactly three pairs, and some that must make none. */
const RECORDS: VoterCard[] = [
  // nik: the same NIK in two regencies, the names written differently.
  { key: 'r-nik-1', nik: '1901024501900001', nama: 'Siti Rahmawati', tanggalLahir: '1990-01-05', desa: VILLAGE, tps: '001', kk: '1901020101200001' },
  { key: 'r-nik-2', nik: '1901024501900001', nama: 'Rahmawati', tanggalLahir: '1990-01-05', desa: OTHER, tps: '004', kk: '1902010101200007' },
  // nama-lahir: another NIK, the same person by name and birth date, in two villages.
  { key: 'r-nl-1', nik: '1901021708650003', nama: 'H. Muhammad Yusuf, S.Pd.', tanggalLahir: '1965-08-17', desa: VILLAGE, tps: '002', kk: '1901020101200002' },
  { key: 'r-nl-2', nik: '1901011708650004', nama: 'MOCH. YOESOEF', tanggalLahir: '1965-08-17', desa: SIBLING, tps: '001', kk: '1901020101200003' },
  // mirip: a typo, the same birth date and KK, two villages.
  { key: 'r-mi-1', nik: '1901025203780005', nama: 'Dewi Kurniasih', tanggalLahir: '1978-03-12', desa: VILLAGE, tps: '003', kk: '1901020101200004' },
  { key: 'r-mi-2', nik: '1901025203780006', nama: 'Dewi Kurniasi', tanggalLahir: '1978-03-12', desa: SIBLING, tps: '002', kk: '1901020101200004' },
  // Twins: the same KK and birth date, other names: no pair.
  { key: 'r-tw-1', nik: '1901020905010007', nama: 'Hasan Basri', tanggalLahir: '2001-05-09', desa: VILLAGE, tps: '001', kk: '1901020101200005' },
  { key: 'r-tw-2', nik: '1901020905010008', nama: 'Husin Basri', tanggalLahir: '2001-05-09', desa: VILLAGE, tps: '001', kk: '1901020101200005' },
  // The same name, another birth date: no pair.
  { key: 'r-x-1', nik: '1901021111800009', nama: 'Agus Salim', tanggalLahir: '1980-11-11', desa: VILLAGE, tps: '001', kk: '1901020101200006' },
  { key: 'r-x-2', nik: '1901021211800010', nama: 'Agus Salim', tanggalLahir: '1980-11-12', desa: VILLAGE, tps: '001', kk: '1901020101200006' },
];

interface PairBody {
  id: string;
  kind: string;
  score: number;
  status: string;
  a: VoterCard;
  b: VoterCard;
  tmsKey?: string;
}

describeEachDialect(
  'pemilih ganda',
  (ctx) => {
    const by = { actorId: 'test', actorRole: 'test' };
    async function fresh(t: TestApp, records: readonly VoterCard[] = RECORDS): Promise<void> {
      await t.db.deleteFrom('voter_duplicate_pairs').execute();
      await t.db.deleteFrom('voter_match_keys').execute();
      await t.db.deleteFrom('assignment_voters').execute();
      await writeMatchRows(t.db, await prepareMatchRows(t.app.dataKeys, records, new Date().toISOString()));
    }
    const list = (o: TestOfficer, query = '') => ctx().app.inject({ url: `/api/v1/voters/duplicates${query}`, headers: bearer(o.token) });
    const decide = (o: TestOfficer, id: string, payload: Record<string, unknown>) =>
      ctx().app.inject({ method: 'POST', url: `/api/v1/voters/duplicates/${id}/decision`, headers: bearer(o.token), payload });
    const pairOf = (pairs: PairBody[], kind: string) => pairs.find((p) => p.kind === kind)!;

    it('finds the exact, same-name and near-name pairs, and no twins or namesakes', async () => {
      const t = ctx();
      await fresh(t);
      const summary = await searchDuplicates(t.db, t.dialect, t.app.dataKeys, { by, now: new Date().toISOString() });
      expect(summary).toMatchObject({ records: RECORDS.length, found: 3, byKind: { nik: 1, 'nama-lahir': 1, mirip: 1 }, opened: 3, closed: 0 });
      // Only the cards of blocks with two different names were opened: the twins', the typo's; never all.
      expect(summary.cardsOpened).toBeLessThanOrEqual(4);
      const pairs = await t.db.selectFrom('voter_duplicate_pairs').select(['key_a', 'key_b', 'kind', 'score', 'status']).orderBy('key_a').execute();
      expect(pairs.map((p) => [p.key_a, p.key_b, p.kind, p.status])).toEqual([
        ['r-mi-1', 'r-mi-2', 'mirip', 'terbuka'],
        ['r-nik-1', 'r-nik-2', 'nik', 'terbuka'],
        ['r-nl-1', 'r-nl-2', 'nama-lahir', 'terbuka'],
      ]);
      // A second search finds the same and opens nothing new.
      expect(await searchDuplicates(t.db, t.dialect, t.app.dataKeys, { by, now: new Date().toISOString() })).toMatchObject({ found: 3, opened: 0, closed: 0 });
    });

    it('keeps no plaintext NIK, KK or name in the tables the search reads', async () => {
      const t = ctx();
      await fresh(t);
      await searchDuplicates(t.db, t.dialect, t.app.dataKeys, { by, now: new Date().toISOString() });
      const stored = JSON.stringify([await t.db.selectFrom('voter_match_keys').selectAll().execute(), await t.db.selectFrom('voter_duplicate_pairs').selectAll().execute()]);
      for (const r of RECORDS) {
        expect(stored).not.toContain(r.nik);
        expect(stored).not.toContain(r.kk);
        expect(stored.toLowerCase()).not.toContain(r.nama.toLowerCase());
      }
      expect(stored).not.toMatch(/yusuf|1965-08-17/i);
      const audit = JSON.stringify(await t.db.selectFrom('audit_log').selectAll().where('action', 'like', 'duplicates.%').execute());
      expect(audit).not.toContain(RECORDS[0]!.nik);
    });

    it('shows staff only the pairs touching their region, with both records, and audits the read', async () => {
      const t = ctx();
      await fresh(t);
      await searchDuplicates(t.db, t.dialect, t.app.dataKeys, { by, now: new Date().toISOString() });
      const seen = async (o: TestOfficer) => {
        const res = await list(o);
        expect(res.statusCode, res.body).toBe(200);
        return (res.json<{ pairs: PairBody[] }>().pairs.map((p) => p.kind) as string[]).sort();
      };
      const province = await officer(t, 'admin_provinsi', REGION.province);
      expect(await seen(province)).toEqual(['mirip', 'nama-lahir', 'nik']);
      expect(await seen(await officer(t, 'operator', REGION.regency))).toEqual(['mirip', 'nama-lahir', 'nik']);
      // Another regency sees only the NIK pair, whose second record lies in it.
      expect(await seen(await officer(t, 'operator', REGION.otherRegency))).toEqual(['nik']);
      expect(await seen(await officer(t, 'pps', SIBLING))).toEqual(['mirip', 'nama-lahir']);
      expect(await seen(await officer(t, 'ppk', REGION.otherDistrict))).toEqual([]);
      // Field officers and observers never see them.
      expect((await list(await officer(t, 'pantarlih', VILLAGE))).statusCode).toBe(403);
      expect((await list(await officer(t, 'pengamat', REGION.province))).statusCode).toBe(403);
      expect((await t.app.inject({ url: '/api/v1/voters/duplicates' })).statusCode).toBe(401);

      const body = (await list(province)).json<{ pairs: PairBody[]; open: number }>();
      expect(body.open).toBe(3);
      const nik = pairOf(body.pairs, 'nik');
      expect([nik.a.nama, nik.b.nama].sort()).toEqual(['Rahmawati', 'Siti Rahmawati']);
      expect(body.pairs.map((p) => p.score)).toEqual([...body.pairs.map((p) => p.score)].sort((x, y) => y - x));
      const reads = await t.db.selectFrom('audit_log').select(['actor_id', 'detail_json']).where('action', '=', 'duplicates.list').where('actor_id', '=', province.id).execute();
      expect(reads.length).toBe(2);
      expect(JSON.parse(reads[0]!.detail_json).pairs.split(',').sort()).toEqual(body.pairs.map((p) => p.id).sort());
    });

    it('pages by score without losing or repeating a pair', async () => {
      const t = ctx();
      await fresh(t);
      await searchDuplicates(t.db, t.dialect, t.app.dataKeys, { by, now: new Date().toISOString() });
      const admin = await officer(t, 'admin_provinsi', REGION.province);
      const ids: string[] = [];
      let after: string | undefined;
      for (let i = 0; i < 5; i++) {
        const res = await list(admin, `?limit=1${after ? `&after=${after}` : ''}`);
        const page = res.json<{ pairs: PairBody[]; next?: string }>();
        ids.push(...page.pairs.map((p) => p.id));
        after = page.next;
        if (!after) break;
      }
      expect(ids.length).toBe(3);
      expect(new Set(ids).size).toBe(3);
      expect((await list(admin, '?after=abc')).statusCode).toBe(400);
    });

    it('decides a pair once: audited, the TMS record in scope, never reopened or asked again', async () => {
      const t = ctx();
      await fresh(t);
      await searchDuplicates(t.db, t.dialect, t.app.dataKeys, { by, now: new Date().toISOString() });
      const admin = await officer(t, 'admin_provinsi', REGION.province);
      const pairs = (await list(admin)).json<{ pairs: PairBody[] }>().pairs;
      const nik = pairOf(pairs, 'nik');
      const nl = pairOf(pairs, 'nama-lahir');
      const mi = pairOf(pairs, 'mirip');

      const otherRegency = await officer(t, 'operator', REGION.otherRegency);
      // The other regency's operator may not make the record in 19.01 TMS.
      const inOne = nik.a.desa === VILLAGE ? nik.a.key : nik.b.key;
      const inOther = nik.a.desa === VILLAGE ? nik.b.key : nik.a.key;
      expect((await decide(otherRegency, nik.id, { keputusan: 'ganda', tms: inOne })).statusCode).toBe(403);
      // …nor see or decide a pair wholly outside its region.
      expect((await decide(otherRegency, nl.id, { keputusan: 'bukan_ganda' })).statusCode).toBe(404);
      expect((await decide(otherRegency, nik.id, { keputusan: 'ganda', tms: 'r-nl-1' })).statusCode).toBe(400);
      expect((await decide(otherRegency, nik.id, { keputusan: 'ganda' })).statusCode).toBe(400);
      expect((await decide(otherRegency, nik.id, { keputusan: 'mungkin' })).statusCode).toBe(400);
      const ok = await decide(otherRegency, nik.id, { keputusan: 'ganda', tms: inOther });
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toEqual({ id: nik.id, status: 'ganda', tmsKey: inOther });
      // Asked again, by anyone, either way: 409, the decision stands.
      expect((await decide(admin, nik.id, { keputusan: 'bukan_ganda' })).statusCode).toBe(409);
      expect((await decide(admin, nl.id, { keputusan: 'bukan_ganda' })).statusCode).toBe(200);
      expect((await decide(admin, nl.id, { keputusan: 'bukan_ganda' })).statusCode).toBe(409);

      // The TMS record leaves the search; the bukan-ganda pair, still matching, is not reopened.
      const again = await searchDuplicates(t.db, t.dialect, t.app.dataKeys, { by, now: new Date().toISOString() });
      expect(again).toMatchObject({ found: 2, opened: 0, closed: 0 });
      const rows = await t.db.selectFrom('voter_duplicate_pairs').select(['id', 'status', 'tms_key', 'decided_by']).orderBy('id').execute();
      expect(rows.find((r) => r.id === nik.id)).toMatchObject({ status: 'ganda', tms_key: inOther, decided_by: otherRegency.id });
      expect(rows.find((r) => r.id === nl.id)).toMatchObject({ status: 'bukan_ganda', tms_key: null, decided_by: admin.id });
      expect(rows.find((r) => r.id === mi.id)).toMatchObject({ status: 'terbuka' });
      expect((await list(admin)).json<{ open: number }>().open).toBe(1);
      expect((await list(admin, '?status=ganda')).json<{ pairs: PairBody[] }>().pairs.map((p) => p.id)).toEqual([nik.id]);

      const decisions = await t.db.selectFrom('audit_log').select(['actor_id', 'subject', 'region_code', 'detail_json']).where('action', '=', 'duplicates.decide').orderBy('seq').execute();
      expect(decisions.map((d) => [d.actor_id, d.subject, JSON.parse(d.detail_json).decision])).toEqual([
        [otherRegency.id, nik.id, 'ganda'],
        [admin.id, nl.id, 'bukan_ganda'],
      ]);
      expect(decisions[0]!.region_code).toBe(OTHER);
    });

    it('keys uploaded voter records at upload, finds a duplicate across two villages, and follows a re-upload', async () => {
      const t = ctx();
      await t.db.deleteFrom('voter_duplicate_pairs').execute();
      await t.db.deleteFrom('voter_match_keys').execute();
      const admin = await officer(t, 'admin_provinsi', REGION.province);
      const header = 'desa,tps,nik,kk,nama,jenisKelamin,tempatLahir,tanggalLahir,alamat,rt,rw';
      const line = (desa: string, nik: string, nama: string, kk: string) => `${desa},001,${nik},${kk},${nama},L,Mentok,1965-08-17,Jl. Pelabuhan 4,002,001`;
      const upload = (...lines: string[]) =>
        t.app.inject({ method: 'POST', url: '/api/v1/assignments', headers: { ...bearer(admin.token), 'content-type': 'text/csv' }, payload: [header, ...lines].join('\n') });
      expect((await upload(line(VILLAGE, '1901021708650003', 'H. Muhammad Yusuf', '1901020101200002'), line(VILLAGE, '1901021708650011', 'Bambang Irawan', '1901020101200002'))).statusCode).toBe(200);
      expect((await upload(line(SIBLING, '1901011708650004', 'Moch. Yoesoef', '1901020101200003'))).statusCode).toBe(200);
      // The upload wrote the keys: three records, each at its version.
      const keyed = await t.db.selectFrom('voter_match_keys').select(['record_key', 'record_version', 'village_code']).execute();
      const records = await t.db.selectFrom('assignment_voters').select(['record_id', 'version', 'village_code']).where('village_code', 'in', [VILLAGE, SIBLING]).execute();
      expect(keyed.map((k) => [k.record_key, Number(k.record_version)]).sort()).toEqual(records.map((r) => [r.record_id, Number(r.version)]).sort());
      const first = await searchDuplicates(t.db, t.dialect, t.app.dataKeys, { by, now: new Date().toISOString() });
      expect(first).toMatchObject({ indexed: 0, found: 1, byKind: { 'nama-lahir': 1 } });
      const pair = (await list(admin)).json<{ pairs: PairBody[] }>().pairs[0]!;
      expect([pair.a.desa, pair.b.desa].sort()).toEqual([VILLAGE, SIBLING]);
      expect(records.map((r) => r.record_id)).toEqual(expect.arrayContaining([pair.a.key, pair.b.key]));
      // The sibling village's list is uploaded again with the name corrected: the record keeps its
      // key, gets a new version and new keys, and the open pair closes at the next search.
      expect((await upload(line(SIBLING, '1901011708650004', 'Yusuf Effendi', '1901020101200003'))).statusCode).toBe(200);
      const again = await searchDuplicates(t.db, t.dialect, t.app.dataKeys, { by, now: new Date().toISOString() });
      expect(again).toMatchObject({ indexed: 0, found: 0, closed: 1 });
      // Listed twice after all: the PPS of the sibling village marks its record TMS ganda.
      expect((await upload(line(SIBLING, '1901011708650004', 'M. Yusuf', '1901020101200003'))).statusCode).toBe(200);
      await searchDuplicates(t.db, t.dialect, t.app.dataKeys, { by, now: new Date().toISOString() });
      const pps = await officer(t, 'pps', SIBLING);
      const open = (await list(pps)).json<{ pairs: PairBody[] }>().pairs;
      expect(open.length).toBe(1);
      const mine = open[0]!.a.desa === SIBLING ? open[0]!.a : open[0]!.b;
      const decided = await decide(pps, open[0]!.id, { keputusan: 'ganda', tms: mine.key });
      expect(decided.statusCode, decided.body).toBe(200);
      expect(decided.json()).toMatchObject({ status: 'ganda', record: 'applied' });
      const record = await t.db.selectFrom('assignment_voters').select(['outcome', 'tms_code']).where('record_id', '=', mine.key).executeTakeFirstOrThrow();
      expect(record).toEqual({ outcome: 'tms', tms_code: '2' });
      // The TMS record leaves the search; the decided pair stays decided.
      expect(await searchDuplicates(t.db, t.dialect, t.app.dataKeys, { by, now: new Date().toISOString() })).toMatchObject({ found: 0, opened: 0, closed: 0 });
      expect((await list(pps, '?status=ganda')).json<{ pairs: PairBody[] }>().pairs.map((p) => p.id)).toEqual([open[0]!.id]);
    });

    it('closes an open pair whose records no longer match, and lets only province staff start a search', async () => {
      const t = ctx();
      await fresh(t);
      await searchDuplicates(t.db, t.dialect, t.app.dataKeys, { by, now: new Date().toISOString() });
      // The typo is corrected on one record: the near pair closes at the next search.
      const corrected = RECORDS.map((r) => (r.key === 'r-mi-2' ? { ...r, nama: 'Dewi Lestari' } : r));
      await writeMatchRows(t.db, await prepareMatchRows(t.app.dataKeys, corrected.filter((r) => r.key === 'r-mi-2'), new Date().toISOString()));
      const admin = await officer(t, 'admin_provinsi', REGION.province);
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/voters/duplicates/search', headers: bearer(admin.token) });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ found: 2, opened: 0, closed: 1 });
      const operator = await officer(t, 'operator', REGION.regency);
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/voters/duplicates/search', headers: bearer(operator.token) })).statusCode).toBe(403);
    });
  },
  { auth: TEST_AUTH },
);
