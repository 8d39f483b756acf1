// Issue #14, the office side of a request: return for completion (the completion is revision n of
// the same id, idempotent on (id, revision), the first version kept), reasoned refusals (a ground
// from the list, required for PPID), internal notes never pulled by the resident, assignment in
// scope; a regency officer cannot act on another regency's request. SQLite and PostgreSQL.
import { expect, it } from 'vitest';
import type { Change, SubmissionEnvelope } from '../../core/protocol.ts';
import { keberatanDeadline } from '../../core/office/keberatan.ts';
import { openPayload } from '../../server/repositories/submission-fields.ts';
import { versionAad } from '../../server/services/completion.ts';
import { bearer, officer, REGION, type TestOfficer } from './auth-fixtures.ts';
import { describeEachDialect, envelope, newDevice, pull, push, pushOk, validPpidData, type TestApp, type TestDevice } from './helpers.ts';

function act(t: TestApp, who: TestOfficer, id: string, what: 'return' | 'status' | 'notes' | 'assign', payload: object) {
  return t.app.inject({ method: 'POST', url: `/api/v1/inbox/${id}/${what}`, headers: bearer(who.token), payload });
}

async function pulled(t: TestApp, device: TestDevice): Promise<Change[]> {
  const res = await pull(t.app, device);
  expect(res.statusCode).toBe(200);
  return res.json<{ changes: Change[] }>().changes;
}

async function filed(t: TestApp, regency: string = REGION.regency): Promise<{ item: SubmissionEnvelope; device: TestDevice }> {
  const item = envelope({ data: validPpidData({ ditujukanKepada: regency }) });
  const device = newDevice();
  expect((await pushOk(t.app, device, [item])).results[0]!.outcome).toBe('accepted');
  return { item, device };
}

describeEachDialect('a request’s life cycle at the office', (ctx) => {
  it('returns a request with a reason and fields; the completion is revision 1 of the same id, idempotent, the first version kept', async () => {
    const t = ctx();
    const staff = await officer(t, 'operator', REGION.regency);
    const { item, device } = await filed(t);

    // A field the form does not have, or no reason, is refused.
    expect((await act(t, staff, item.id, 'return', { reason: 'x', fields: ['tidakAda'] })).statusCode).toBe(400);
    expect((await act(t, staff, item.id, 'return', { reason: '', fields: ['pekerjaan'] })).statusCode).toBe(400);
    const returned = await act(t, staff, item.id, 'return', { reason: 'Pekerjaan belum diisi.', fields: ['pekerjaan'] });
    expect(returned.statusCode, returned.body).toBe(200);
    expect(returned.json()).toMatchObject({ status: 'perlu_dilengkapi' });

    const changes = await pulled(t, device);
    expect(changes.at(-1)).toMatchObject({ submissionId: item.id, status: 'perlu_dilengkapi', answer: 'Pekerjaan belum diisi.', fields: ['pekerjaan'], revision: 1 });

    // Fields outside the returned ones are refused; a wrong secret is forbidden; the wrong revision conflicts.
    const completion = { ...item, createdAt: new Date().toISOString(), revision: 1, data: { pekerjaan: 'Nelayan' } };
    const outside = (await pushOk(t.app, device, [{ ...completion, data: { pekerjaan: 'Nelayan', nama: 'Orang Lain' } }])).results[0]!;
    expect(outside).toMatchObject({ outcome: 'rejected', reason: 'invalid_data', errors: [{ field: 'nama', code: 'not_returned' }] });
    expect((await pushOk(t.app, newDevice(), [{ ...completion, secret: 'rahasia-yang-salah-0123456789' }])).results[0]).toMatchObject({ reason: 'forbidden' });
    expect((await pushOk(t.app, device, [{ ...completion, revision: 2 }])).results[0]).toMatchObject({ reason: 'id_conflict' });

    const first = (await pushOk(t.app, device, [completion])).results[0]!;
    expect(first.outcome).toBe('accepted');
    // The same completion again: the original acknowledgement. Other answers under the same revision: a conflict.
    expect((await pushOk(t.app, device, [completion])).results[0]).toEqual({ id: item.id, outcome: 'duplicate', receivedAt: first.receivedAt });
    expect((await pushOk(t.app, device, [{ ...completion, data: { pekerjaan: 'Petani' } }])).results[0]).toMatchObject({ reason: 'id_conflict' });
    // A late resend of the first filing is still its duplicate.
    expect((await pushOk(t.app, device, [item])).results[0]!.outcome).toBe('duplicate');

    const back = await pulled(t, device);
    expect(back.at(-1)).toMatchObject({ status: 'diproses', revision: 1 });
    const versions = await t.db.selectFrom('submission_versions').selectAll().where('submission_id', '=', item.id).orderBy('revision').execute();
    expect(versions.map((v) => Number(v.revision))).toEqual([0, 1]);
    // The first version is kept as filed (and sealed at rest), the row holds the completed answers.
    expect(versions[0]!.payload_json).not.toContain('Siti');
    const firstKept = JSON.parse(await t.app.dataKeys.decryptField(versions[0]!.payload_json, versionAad(item.id, 0))) as Record<string, unknown>;
    expect(firstKept.pekerjaan).toBe('Guru');
    const row = await t.db.selectFrom('submissions').select(['payload_json', 'revision', 'status']).where('id', '=', item.id).executeTakeFirstOrThrow();
    expect((await openPayload(t.app.dataKeys, item.id, row.payload_json)).pekerjaan).toBe('Nelayan');
    expect(Number(row.revision)).toBe(1);

    // The office sees the history and answers it.
    const opened = (await t.app.inject({ url: `/api/v1/inbox/${item.id}`, headers: bearer(staff.token) })).json<{ revisions: { revision: number }[]; data: Record<string, unknown> }>();
    expect(opened.revisions.map((r) => r.revision)).toEqual([0, 1]);
    expect(opened.data.pekerjaan).toBe('Nelayan');
    expect((await act(t, staff, item.id, 'status', { status: 'selesai', answer: 'Informasi terlampir.' })).statusCode).toBe(200);
    expect((await pulled(t, device)).at(-1)).toMatchObject({ status: 'selesai', answer: 'Informasi terlampir.' });
  });

  it('refuses a PPID request only with a ground from the list, and tells the phone the keberatan deadline', async () => {
    const t = ctx();
    const staff = await officer(t, 'operator', REGION.regency);
    const { item, device } = await filed(t);
    expect((await act(t, staff, item.id, 'status', { status: 'ditolak', answer: 'Dikecualikan.' })).json()).toMatchObject({ error: 'ground_required' });
    expect((await act(t, staff, item.id, 'status', { status: 'ditolak', answer: 'Dikecualikan.', ground: 'karena-saya-mau' })).json()).toMatchObject({
      error: 'unknown_ground',
    });
    const refused = await act(t, staff, item.id, 'status', { status: 'ditolak', answer: 'Memuat data pribadi pemilih.', ground: 'pasal-17-h' });
    expect(refused.statusCode, refused.body).toBe(200);
    const change = (await pulled(t, device)).at(-1)!;
    expect(change).toMatchObject({ status: 'ditolak', ground: 'pasal-17-h', keberatanBy: keberatanDeadline(refused.json<{ at: string }>().at) });
    // The repositories' updateStatus and the CLI go through the same rule.
    const other = await filed(t);
    expect(await t.app.repos.updateStatus(other.item.id, 'ditolak', 'Tidak ada.')).toEqual({ ok: false, error: 'ground_required' });
    expect((await t.app.repos.updateStatus(other.item.id, 'ditolak', 'Tidak ada.', 'tidak-dikuasai')).ok).toBe(true);
  });

  it('keeps internal notes from the resident: sealed at rest, never in the pull', async () => {
    const t = ctx();
    const staff = await officer(t, 'operator', REGION.regency);
    const { item, device } = await filed(t);
    const secretNote = 'Catatan internal: pemohon pernah meminta hal serupa';
    const noted = await act(t, staff, item.id, 'notes', { text: secretNote });
    expect(noted.statusCode, noted.body).toBe(200);
    await act(t, staff, item.id, 'status', { status: 'diproses' });
    const res = await pull(t.app, device);
    expect(res.body).not.toContain('Catatan internal');
    const stored = await t.db.selectFrom('request_notes').select('body').where('submission_id', '=', item.id).execute();
    expect(stored.length).toBe(1);
    expect(stored[0]!.body).not.toContain('Catatan');
    const opened = (await t.app.inject({ url: `/api/v1/inbox/${item.id}`, headers: bearer(staff.token) })).json<{ notes: { text: string }[] }>();
    expect(opened.notes.map((n) => n.text)).toEqual([secretNote]);
    const audit = await t.db.selectFrom('audit_log').select(['action', 'detail_json']).where('subject', '=', item.id).where('action', '=', 'submission.note').execute();
    expect(audit.length).toBe(1);
    expect(audit[0]!.detail_json).not.toContain('Catatan');
  });

  it('assigns only to staff whose scope covers the request, audited', async () => {
    const t = ctx();
    const staff = await officer(t, 'operator', REGION.regency);
    const colleague = await officer(t, 'operator', REGION.regency);
    const stranger = await officer(t, 'operator', REGION.otherRegency);
    const observer = await officer(t, 'pengamat', REGION.regency);
    const { item } = await filed(t);
    expect((await act(t, staff, item.id, 'assign', { accountId: stranger.id })).statusCode).toBe(400);
    expect((await act(t, staff, item.id, 'assign', { accountId: observer.id })).statusCode).toBe(400);
    expect((await act(t, staff, item.id, 'assign', { accountId: colleague.id })).statusCode).toBe(200);
    const opened = (await t.app.inject({ url: `/api/v1/inbox/${item.id}`, headers: bearer(staff.token) })).json<{ assignedTo: { id: string } | null }>();
    expect(opened.assignedTo?.id).toBe(colleague.id);
    const audit = await t.db.selectFrom('audit_log').select('action').where('subject', '=', item.id).where('action', '=', 'submission.assign').execute();
    expect(audit.length).toBe(1);
    // Four logins (scrypt each): on a loaded machine this takes longer than the default.
  }, 120_000);

  it('a regency officer cannot return, refuse, note or assign another regency’s request', async () => {
    const t = ctx();
    const stranger = await officer(t, 'operator', REGION.otherRegency);
    const { item } = await filed(t);
    const answers = [
      await act(t, stranger, item.id, 'return', { reason: 'Lengkapi.', fields: ['pekerjaan'] }),
      await act(t, stranger, item.id, 'status', { status: 'ditolak', answer: 'Tidak.', ground: 'tidak-dikuasai' }),
      await act(t, stranger, item.id, 'notes', { text: 'Catatan.' }),
      await act(t, stranger, item.id, 'assign', { accountId: stranger.id }),
    ];
    expect(answers.map((a) => a.statusCode)).toEqual([404, 404, 404, 404]);
    const row = await t.db.selectFrom('submissions').select(['status', 'assigned_to']).where('id', '=', item.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'diterima', assigned_to: null });
    expect((await t.db.selectFrom('request_notes').selectAll().where('submission_id', '=', item.id).execute()).length).toBe(0);
    // Malformed bodies are 4xx, never 5xx.
    const bad = await t.app.inject({ method: 'POST', url: `/api/v1/inbox/${item.id}/return`, headers: bearer(stranger.token), payload: '{"reason":1}' , });
    expect(bad.statusCode).toBeGreaterThanOrEqual(400);
    expect(bad.statusCode).toBeLessThan(500);
    expect((await push(t.app, newDevice(), { items: [{ ...item, revision: 0 }] })).json<{ results: { reason: string }[] }>().results[0]!.reason).toBe('invalid_envelope');
  });

  it('returns a request for a photo too (the completion carries the new file, completion-files.test.ts)', async () => {
    const t = ctx();
    const staff = await officer(t, 'operator', REGION.province);
    const item = envelope({
      formId: 'pengaduan',
      formVersion: 1,
      data: { jenis: 'pengaduan', ditujukanKepada: REGION.province, nik: '1901024501900001', nama: 'Siti Aminah', telepon: '081234567890', isi: 'Antrean terlalu panjang.' },
    });
    expect((await pushOk(t.app, newDevice(), [item])).results[0]!.outcome).toBe('accepted');
    const returned = await act(t, staff, item.id, 'return', { reason: 'Lampirkan foto bukti.', fields: ['isi', 'bukti'] });
    expect(returned.statusCode, returned.body).toBe(200);
    expect((await t.db.selectFrom('submissions').select('status').where('id', '=', item.id).executeTakeFirstOrThrow()).status).toBe('perlu_dilengkapi');
  });
});
