// Coklit assignments: voter lists per TPS uploaded as CSV by the province admin or a regency
// operator, downloaded by the Pantarlih/PPS of the village (audited), each scoped by region.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { bearer, officer, REGION, TEST_AUTH } from './auth-fixtures.ts';
import { voterAad } from '../../server/repositories/assignments.ts';
import { describeEachDialect } from './helpers.ts';

const HEADER = 'desa,tps,nik,kk,nama,jenisKelamin,tempatLahir,tanggalLahir,alamat,rt,rw';
const NIKS = ['1901024501900001', '1971010101850002', '1901022902000001', '1901026902040001'];

function voterLine(nik: string, over: Partial<Record<'desa' | 'tps' | 'nama' | 'rt', string>> = {}): string {
  const v = { desa: REGION.village, tps: '003', nama: `Warga ${nik.slice(-4)}`, rt: '002', ...over };
  return `${v.desa},${v.tps},${nik},1901020101200001,${v.nama},P,Mentok,1990-01-05,Jl. Pelabuhan No. 4,${v.rt},001`;
}

const csv = (...lines: string[]) => [HEADER, ...lines].join('\r\n') + '\r\n';

describeEachDialect(
  'coklit assignments',
  (ctx) => {
    const upload = (token: string, body: string, contentType = 'text/csv') =>
      ctx().app.inject({ method: 'POST', url: '/api/v1/assignments', headers: { ...bearer(token), 'content-type': contentType }, payload: body });

    it('stores a valid upload per TPS, replaces a TPS list on a new upload and sets the coverage counts', async () => {
      const t = ctx();
      const admin = await officer(t, 'admin_provinsi', REGION.province);
      const first = await upload(admin.token, csv(voterLine(NIKS[0]!), voterLine(NIKS[1]!), voterLine(NIKS[2]!, { tps: '4' })));
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json()).toEqual({
        lists: [
          { village: REGION.village, tps: '003', voters: 2 },
          { village: REGION.village, tps: '004', voters: 1 },
        ],
        voters: 3,
      });
      // TPS 003 again, with one voter: 004 keeps its list.
      const again = await upload(admin.token, csv(voterLine(NIKS[3]!)));
      expect(again.statusCode).toBe(200);
      const rows = await t.db.selectFrom('assignment_voters').select(['tps', 'position', 'voter_json']).where('village_code', '=', REGION.village).orderBy('tps').execute();
      for (const r of rows) expect(r.voter_json).not.toMatch(/\d{16}/);
      const niks = await Promise.all(
        rows.map(async (r) => (JSON.parse(await t.app.dataKeys.decryptField(r.voter_json, voterAad(REGION.village, r.tps, r.position))) as { nik: string }).nik),
      );
      expect(rows.map((r, i) => [r.tps, niks[i]])).toEqual([
        ['003', NIKS[3]],
        ['004', NIKS[2]],
      ]);
      const counts = await t.db.selectFrom('tps_assignments').select(['tps', 'voters']).where('village_code', '=', REGION.village).orderBy('tps').execute();
      expect(counts.map((c) => [c.tps, Number(c.voters)])).toEqual([
        ['003', 1],
        ['004', 1],
      ]);
      const audit = await t.db.selectFrom('audit_log').select(['actor_id', 'region_code', 'detail_json']).where('action', '=', 'assignment.upload').orderBy('seq').execute();
      expect(audit.map((a) => [a.actor_id, a.region_code, JSON.parse(a.detail_json)])).toEqual([
        [admin.id, REGION.village, { tps: '003,004', voters: 3 }],
        [admin.id, REGION.village, { tps: '003', voters: 1 }],
      ]);
      // No personal data in the audit log.
      expect(JSON.stringify(audit)).not.toContain(NIKS[0]);
    });

    it('refuses a list with malformed lines whole, naming each line and column in Indonesian', async () => {
      const t = ctx();
      const operator = await officer(t, 'operator', REGION.regency);
      const before = await t.db.selectFrom('assignment_voters').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      const res = await upload(operator.token, csv(voterLine(NIKS[0]!, { tps: '009' }), voterLine('123', { tps: '009' }), voterLine(NIKS[1]!, { tps: '009', rt: 'x' })));
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({
        error: 'invalid_lines',
        problemCount: 2,
        problems: [
          { line: 3, column: 'nik', message: 'NIK harus 16 angka.' },
          { line: 4, column: 'rt', message: 'RT berupa 1–3 angka, contoh 003.' },
        ],
      });
      const after = await t.db.selectFrom('assignment_voters').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
      const semicolons = await upload(operator.token, HEADER.replaceAll(',', ';'));
      expect(semicolons.statusCode).toBe(422);
      const json = await upload(operator.token, JSON.stringify({ csv: 'x' }), 'application/json');
      expect(json.statusCode).toBe(400);
      const other = await upload(operator.token, 'x', 'application/octet-stream');
      expect(other.statusCode).toBe(415);
    });

    it('refuses an oversize body with 413, a role without the right with 403, another region with 422', async () => {
      const t = ctx();
      const admin = await officer(t, 'admin_provinsi', REGION.province);
      const big = csv(...Array.from({ length: 9000 }, () => `${voterLine(NIKS[0]!)},${'x'.repeat(200)}`));
      expect(big.length).toBeGreaterThan(2 * 1024 * 1024);
      const tooBig = await upload(admin.token, big);
      expect(tooBig.statusCode).toBe(413);
      for (const role of ['pps', 'pantarlih', 'ppk', 'pengamat'] as const) {
        const o = await officer(t, role, role === 'ppk' ? REGION.district : role === 'pengamat' ? REGION.regency : REGION.village);
        expect((await upload(o.token, csv(voterLine(NIKS[0]!, { tps: '010' })))).statusCode, role).toBe(403);
      }
      const elsewhere = await officer(t, 'operator', REGION.otherRegency);
      const res = await upload(elsewhere.token, csv(voterLine(NIKS[0]!, { tps: '010' })));
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ problems: [{ line: 2, column: 'desa', message: 'Desa/kelurahan ini di luar wilayah akun Anda.' }] });
      const stored = await t.db.selectFrom('assignment_voters').select('tps').where('tps', '=', '010').execute();
      expect(stored).toEqual([]);
      expect((await t.app.inject({ method: 'POST', url: '/api/v1/assignments', headers: { 'content-type': 'text/csv' }, payload: csv() })).statusCode).toBe(401);
    });

    it('lets the Pantarlih and PPS of the village download its lists, audited; other villages get 404', async () => {
      const t = ctx();
      const admin = await officer(t, 'admin_provinsi', REGION.province);
      expect((await upload(admin.token, csv(voterLine(NIKS[0]!, { tps: '011' }), voterLine(NIKS[1]!, { tps: '011' })))).statusCode).toBe(200);
      const pantarlih = await officer(t, 'pantarlih', REGION.village);
      const res = await t.app.inject({ url: '/api/v1/assignments?tps=011', headers: bearer(pantarlih.token) });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json<{ village: string; lists: { tps: string; voters: { nik: string; nama: string; jenisKelamin: string }[] }[] }>();
      expect(body.village).toBe(REGION.village);
      expect(body.lists.map((l) => [l.tps, l.voters.map((v) => v.nik)])).toEqual([['011', [NIKS[0], NIKS[1]]]]);
      expect(res.headers['cache-control']).toContain('no-store');
      const audit = await t.db
        .selectFrom('audit_log')
        .select(['actor_id', 'actor_role', 'subject', 'region_code', 'detail_json'])
        .where('action', '=', 'assignment.download')
        .execute();
      expect(audit.map((a) => [a.actor_id, a.actor_role, a.subject, a.region_code, JSON.parse(a.detail_json)])).toEqual([
        [pantarlih.id, 'pantarlih', `${REGION.village}/011`, REGION.village, { tps: '011', voters: 2 }],
      ]);

      const pps = await officer(t, 'pps', REGION.village);
      const whole = await t.app.inject({ url: `/api/v1/assignments?village=${REGION.village}`, headers: bearer(pps.token) });
      expect(whole.json<{ lists: { tps: string }[] }>().lists.map((l) => l.tps)).toContain('011');

      const sibling = await officer(t, 'pantarlih', REGION.siblingVillage);
      const theirs = await t.app.inject({ url: `/api/v1/assignments?village=${REGION.village}`, headers: bearer(sibling.token) });
      expect(theirs.statusCode).toBe(404);
      const own = await t.app.inject({ url: '/api/v1/assignments', headers: bearer(sibling.token) });
      expect(own.json()).toMatchObject({ village: REGION.siblingVillage, lists: [] });
      const kpps = await officer(t, 'kpps', REGION.village);
      expect((await t.app.inject({ url: '/api/v1/assignments', headers: bearer(kpps.token) })).statusCode).toBe(403);
      const district = await t.app.inject({ url: `/api/v1/assignments?village=${REGION.district}`, headers: bearer(pps.token) });
      expect(district.statusCode).toBe(400);
      // Neither the refused nor the empty reads wrote an audit entry.
      const downloads = await t.db.selectFrom('audit_log').select('actor_id').where('action', '=', 'assignment.download').execute();
      expect(downloads.map((d) => d.actor_id).sort()).toEqual([pantarlih.id, pps.id].sort());
    });

    it('answers arbitrary CSV bodies and queries with 4xx, storing nothing', async () => {
      const t = ctx();
      const admin = await officer(t, 'admin_provinsi', REGION.province);
      const pps = await officer(t, 'pps', REGION.village);
      const count = async () => Number((await t.db.selectFrom('assignment_voters').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      const before = await count();
      const cell = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('"', '""', '"a,b"', '\u0000', '=cmd()', REGION.village, '003', NIKS[0]!));
      const body = fc.oneof(
        fc.string({ maxLength: 400 }),
        fc.array(fc.array(cell, { maxLength: 13 }).map((cells) => cells.join(',')), { maxLength: 6 }).map((lines) => [HEADER, ...lines].join('\n')),
      );
      await fc.assert(
        fc.asyncProperty(body, async (csvBody) => {
          const res = await upload(admin.token, csvBody);
          if (res.statusCode < 400 || res.statusCode >= 500) throw new Error(`${res.statusCode} for ${JSON.stringify(csvBody).slice(0, 120)}`);
        }),
        { numRuns: 150 },
      );
      await fc.assert(
        fc.asyncProperty(fc.string({ maxLength: 30 }), fc.string({ maxLength: 6 }), async (village, tps) => {
          const res = await t.app.inject({ url: `/api/v1/assignments?village=${encodeURIComponent(village)}&tps=${encodeURIComponent(tps)}`, headers: bearer(pps.token) });
          if (res.statusCode < 400 || res.statusCode >= 500) throw new Error(`${res.statusCode} for ${village} ${tps}`);
        }),
        { numRuns: 100 },
      );
      expect(await count()).toBe(before);
    });
  },
  { auth: TEST_AUTH },
);
