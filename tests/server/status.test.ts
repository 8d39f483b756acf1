// Officers move a request diterima → diproses → selesai|ditolak; final answers stay final.
import { expect, it } from 'vitest';
import { SERVER_STATUSES, type ServerStatus } from '../../core/protocol.ts';
import { ulid } from '../../core/ids.ts';
import { updateSubmissionStatus } from '../../server/repositories/status.ts';
import { checkTransition, statusesLeadingTo } from '../../server/services/status-rules.ts';
import { normalizeReceipt } from '../../server/services/receipt.ts';
import { countChanges, describeEachDialect, envelope, newDevice, pushOk } from './helpers.ts';

const ALLOWED: readonly [ServerStatus, ServerStatus][] = [
  ['diterima', 'diproses'],
  ['diterima', 'selesai'],
  ['diterima', 'ditolak'],
  ['diproses', 'selesai'],
  ['diproses', 'ditolak'],
  // Issue #14: return for completion; a returned request may still be refused (its completion
  // comes back by the resident's push, server/services/completion.ts, not by a status change).
  ['diterima', 'perlu_dilengkapi'],
  ['diproses', 'perlu_dilengkapi'],
  ['perlu_dilengkapi', 'ditolak'],
];

it('allows exactly the listed transitions', () => {
  for (const from of SERVER_STATUSES) {
    for (const to of SERVER_STATUSES) {
      const allowed = ALLOWED.some(([f, t]) => f === from && t === to);
      const verdict = checkTransition(from, to);
      expect(verdict, `${from} → ${to}`).toBe(
        allowed ? undefined : from === 'selesai' || from === 'ditolak' ? 'final_status' : 'invalid_transition',
      );
    }
  }
  expect(statusesLeadingTo('selesai')).toEqual(['diterima', 'diproses']);
  expect(statusesLeadingTo('diterima')).toEqual([]);
});

it('normalizes receipts typed in groups or lower case', () => {
  expect(normalizeReceipt('01jd-2k8f-abcd-efgh-jkmn-pqrs-tv')).toBe('01JD2K8FABCDEFGHJKMNPQRSTV');
  expect(normalizeReceipt(' 01JD 2K8F ')).toBe('01JD2K8F');
});

describeEachDialect('status changes', (ctx) => {
  const submit = async () => {
    const item = envelope();
    await pushOk(ctx().app, newDevice(), [item]);
    return item.id;
  };

  it('moves diterima → diproses → selesai, recording each step and the answer', async () => {
    const { db, dialect } = ctx();
    const id = await submit();
    const a = await updateSubmissionStatus(db, dialect, { id, status: 'diproses' });
    expect(a).toMatchObject({ ok: true, status: 'diproses' });
    const b = await updateSubmissionStatus(db, dialect, { id, status: 'selesai', answer: 'Jawaban' });
    expect(b).toMatchObject({ ok: true, status: 'selesai' });
    const row = await db.selectFrom('submissions').select(['status', 'answer', 'status_at']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'selesai', answer: 'Jawaban', status_at: b.ok ? b.at : '' });
    expect(await countChanges(db, id)).toBe(3);
  });

  it('keeps final statuses final and refuses backwards or repeated steps', async () => {
    const { db, dialect } = ctx();
    const done = await submit();
    await updateSubmissionStatus(db, dialect, { id: done, status: 'ditolak', answer: 'Dikecualikan' });
    for (const status of ['diproses', 'selesai', 'ditolak', 'diterima'] as const) {
      expect(await updateSubmissionStatus(db, dialect, { id: done, status })).toEqual({
        ok: false,
        error: 'final_status',
        from: 'ditolak',
        status,
      });
    }
    const working = await submit();
    await updateSubmissionStatus(db, dialect, { id: working, status: 'diproses' });
    expect(await updateSubmissionStatus(db, dialect, { id: working, status: 'diproses' })).toMatchObject({
      ok: false,
      error: 'invalid_transition',
    });
    expect(await updateSubmissionStatus(db, dialect, { id: working, status: 'diterima' })).toMatchObject({
      ok: false,
      error: 'invalid_transition',
    });
    expect(await countChanges(db, done)).toBe(2);
    expect(await countChanges(db, working)).toBe(2);
  });

  it('reports an unknown receipt as not_found', async () => {
    const { db, dialect } = ctx();
    expect(await updateSubmissionStatus(db, dialect, { id: ulid(), status: 'selesai' })).toEqual({ ok: false, error: 'not_found' });
  });

  it('lets only one of two simultaneous final answers win', async () => {
    const { db, dialect } = ctx();
    const id = await submit();
    const results = await Promise.all([
      updateSubmissionStatus(db, dialect, { id, status: 'selesai', answer: 'A' }),
      updateSubmissionStatus(db, dialect, { id, status: 'ditolak', answer: 'B' }),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await countChanges(db, id)).toBe(2);
  });
});
