// Practice mode (latihan): an officer's practice submission is stored flagged and never shows in
// an inbox, a KPI figure or a CSV export; a resident's device cannot file one. Regency operators
// see each officer's practice count per form.
import { expect, it } from 'vitest';
import { periodOf } from '../../core/kpi/periods.ts';
import { bearer, coklit, officer, pushAs, REGION, TEST_AUTH } from './auth-fixtures.ts';
import { describeEachDialect, newDevice, pushOk } from './helpers.ts';

describeEachDialect(
  'practice submissions',
  (ctx) => {
    it('never appear in inbox lists, KPI figures or CSV, and only officers may file them', async () => {
      const t = ctx();
      const pantarlih = await officer(t, 'pantarlih', REGION.village);
      const real = coklit(REGION.village);
      const practice = { ...coklit(REGION.village), practice: true as const };
      const pushed = await pushAs(t.app, bearer(pantarlih.token), [real, practice]);
      expect(pushed.statusCode).toBe(200);
      expect(pushed.json<{ results: { outcome: string }[] }>().results.map((r) => r.outcome)).toEqual(['accepted', 'accepted']);
      const stored = await t.db.selectFrom('submissions').select(['id', 'practice']).execute();
      expect(new Map(stored.map((s) => [s.id, Number(s.practice)]))).toEqual(
        new Map([
          [real.id, 0],
          [practice.id, 1],
        ]),
      );

      const operator = await officer(t, 'operator', REGION.regency);
      const listed = await t.app.inject({ url: '/api/v1/inbox?limit=200', headers: bearer(operator.token) });
      const ids = listed.json<{ items: { id: string }[] }>().items.map((i) => i.id);
      expect(ids).toContain(real.id);
      expect(ids).not.toContain(practice.id);
      const opened = await t.app.inject({ url: `/api/v1/inbox/${practice.id}`, headers: bearer(operator.token) });
      expect(opened.statusCode).toBe(404);
      const extended = await t.app.inject({ method: 'POST', url: `/api/v1/inbox/${practice.id}/extend`, headers: bearer(operator.token) });
      expect(extended.statusCode).toBe(404);

      const period = periodOf(new Date().toISOString(), 'year');
      const table = await t.app.inject({ url: `/api/v1/kpi/table?period=${period}&by=service`, headers: bearer(operator.token) });
      expect(table.statusCode).toBe(200);
      // Coklit is not an answered service: it counts in the sync delay (every submission does).
      const rows = table.json<{ rows: { key: string; syncDelay: { count: number } }[] }>().rows;
      expect(rows.find((r) => r.key === 'coklit-pilkada')?.syncDelay.count).toBe(1);
      const csv = await t.app.inject({ url: `/api/v1/kpi/table?period=${period}&by=service&format=csv`, headers: bearer(operator.token) });
      const line = csv.body.split('\r\n').find((l) => l.startsWith('coklit-pilkada,'));
      // Counted from the end: the label before the figures may hold a quoted comma.
      const header = csv.body.split('\r\n')[0]!.split(',');
      const fromEnd = header.length - header.indexOf('sync_delay_count');
      expect(line?.split(',').at(-fromEnd)).toBe('1');

      // Training progress: the operator sees the pantarlih's practice per form; another regency does not.
      await pushAs(t.app, bearer(pantarlih.token), [{ ...coklit(REGION.village), practice: true }]);
      const progress = await t.app.inject({ url: '/api/v1/kpi/practice', headers: bearer(operator.token) });
      expect(progress.statusCode).toBe(200);
      expect(progress.json<{ rows: unknown[] }>().rows).toEqual([
        expect.objectContaining({ accountId: pantarlih.id, formId: 'coklit-pilkada', count: 2, officerScope: REGION.village }),
      ]);
      const elsewhere = await officer(t, 'operator', REGION.otherRegency);
      const theirs = await t.app.inject({ url: '/api/v1/kpi/practice', headers: bearer(elsewhere.token) });
      expect(theirs.json<{ rows: unknown[] }>().rows).toEqual([]);
      const progressCsv = await t.app.inject({ url: '/api/v1/kpi/practice?format=csv', headers: bearer(operator.token) });
      expect(progressCsv.body.trimEnd().split('\r\n')).toHaveLength(2);

      // A resident's device (no officer token) cannot file practice.
      const fromResident = await pushOk(t.app, newDevice(), [{ ...coklit(REGION.village), practice: true }]);
      expect(fromResident.results[0]).toMatchObject({ outcome: 'rejected', reason: 'forbidden' });
    });

    it('refuses a status change of a practice submission, through the inbox and the repository, changing nothing', async () => {
      const t = ctx();
      const pantarlih = await officer(t, 'pantarlih', REGION.village);
      const practice = { ...coklit(REGION.village), practice: true as const };
      expect((await pushAs(t.app, bearer(pantarlih.token), [practice])).statusCode).toBe(200);
      const admin = await officer(t, 'admin_provinsi', REGION.province);
      const changesOf = () => t.db.selectFrom('changes').select(['status']).where('submission_id', '=', practice.id).execute();
      const before = await changesOf();
      const res = await t.app.inject({
        method: 'POST',
        url: `/api/v1/inbox/${practice.id}/status`,
        headers: bearer(admin.token),
        payload: { status: 'selesai', answer: 'Sudah dicek.' },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({ error: 'practice_submission' });
      expect(await t.app.repos.updateStatus(practice.id, 'diproses')).toEqual({ ok: false, error: 'practice' });
      const row = await t.db.selectFrom('submissions').select(['status', 'answer']).where('id', '=', practice.id).executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'diterima', answer: null });
      expect(await changesOf()).toEqual(before);
      const audited = await t.db.selectFrom('audit_log').select('seq').where('subject', '=', practice.id).execute();
      expect(audited).toEqual([]);
    });
  },
  { auth: TEST_AUTH },
);
