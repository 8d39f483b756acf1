// The downloaded coklit assignment on an officer's device: sealed at rest (a raw scan finds no NIK
// or name), opened through the app, each voter's record started prefilled from the list, progress
// from the device's drafts and receipts, and a re-download that keeps the records already started.
import { afterEach, describe, expect, it } from 'vitest';
import { FAST_KDF } from '../../support/test-kdf.ts';
import type { ListedVoter } from '../../../core/assignments/voter-list.ts';
import { coklitPilkadaV1 } from '../../../core/forms/catalog/coklit-pilkada.ts';
import { ulid } from '../../../core/ids.ts';
import { codecForKey } from '../../../src/auth/at-rest-codec.ts';
import { createPinLock } from '../../../src/auth/device-key.ts';
import { clearSession } from '../../../src/auth/session.ts';
import { clearAssignment, listAssignment, saveAssignment, startVoterRecord, visitedCount, voterStates } from '../../../src/db/assignment.ts';
import { atRestMiddleware, DeviceLockedError, requireAtRestCodec, setAtRestCodec } from '../../../src/db/crypto-at-rest.ts';
import { PRACTICE_DB_SUFFIX } from '../../../src/db/practice.ts';
import { JangkauDb } from '../../../src/db/schema.ts';
import { submitDraft } from '../../../src/db/outbox.ts';
import { applyChanges } from '../../../src/db/receipts.ts';
import { sampleAnswers } from '../../support/form-filler.ts';
import { storeSampleFiles } from '../../support/sample-files.ts';

const VILLAGE = '19.01.01.1001';
const voter = (nik: string, nama: string): ListedVoter => ({
  desa: VILLAGE,
  tps: '003',
  nik,
  kk: '1901020101200001',
  nama,
  jenisKelamin: 'P',
  tempatLahir: 'Mentok',
  tanggalLahir: '1990-01-05',
  alamat: 'Jl. Pelabuhan No. 4',
  rt: '002',
});
const SITI = voter('1901024501900001', 'Siti Aminah');
const RINA = voter('1901026902040001', 'Rina Marlina');

function openPair(): { app: JangkauDb; raw: JangkauDb } {
  const name = `assignment-${ulid()}`;
  return { app: new JangkauDb(name).use(atRestMiddleware) as JangkauDb, raw: new JangkauDb(name) };
}

async function unlocked(app: JangkauDb): Promise<void> {
  setAtRestCodec(codecForKey(await createPinLock(app, '274915', FAST_KDF)));
  requireAtRestCodec(true);
}

afterEach(() => {
  setAtRestCodec(undefined);
  requireAtRestCodec(false);
});

describe('coklit assignment on the device', () => {
  it('stores the voters sealed and opens them through the app in list order', async () => {
    const { app, raw } = openPair();
    await unlocked(app);
    expect(await saveAssignment(app, VILLAGE, [{ tps: '003', voters: [SITI, RINA] }], '2026-11-28T03:00:00Z')).toBe(2);
    const stored = JSON.stringify(await raw.assignment.toArray());
    expect(stored).toContain('~sealed');
    for (const secret of [SITI.nik, SITI.nama, RINA.nik, RINA.nama, SITI.kk]) expect(stored).not.toContain(secret);
    expect((await listAssignment(app)).map((r) => [r.key, r.voter.nama])).toEqual([
      [`${VILLAGE}/003/00000`, 'Siti Aminah'],
      [`${VILLAGE}/003/00001`, 'Rina Marlina'],
    ]);
    // Locked: nothing new is written in the clear.
    setAtRestCodec(undefined);
    await expect(saveAssignment(app, VILLAGE, [{ tps: '004', voters: [SITI] }], '2026-11-28T04:00:00Z')).rejects.toBeInstanceOf(DeviceLockedError);
  });

  it('starts a prefilled draft per voter, counts progress, and keeps it across a re-download', async () => {
    const { app } = openPair();
    await unlocked(app);
    await saveAssignment(app, VILLAGE, [{ tps: '003', voters: [SITI, RINA] }], '2026-11-28T03:00:00Z');
    const [siti, rina] = await listAssignment(app);
    const started = await startVoterRecord(app, app, siti!, coklitPilkadaV1);
    expect(started.kind).toBe('draft');
    if (started.kind !== 'draft') return;
    const draft = await app.drafts.get(started.id);
    expect(draft?.data).toMatchObject({ desa: VILLAGE, tps: '003', nik: SITI.nik, nama: 'Siti Aminah', jenisKelamin: 'P', tanggalLahir: '1990-01-05' });
    // Opening again goes back to the same draft.
    expect(await startVoterRecord(app, app, (await listAssignment(app))[0]!, coklitPilkadaV1)).toEqual(started);

    let rows = await listAssignment(app);
    expect([...(await voterStates(app, rows)).values()]).toEqual(['started', 'todo']);

    // Filed (as submitDraft does once the form is complete): the draft's id becomes the receipt's.
    await app.transaction('rw', app.drafts, app.receipts, async () => {
      await app.drafts.delete(started.id);
      await app.receipts.add({ id: started.id, formId: coklitPilkadaV1.formId, formVersion: 1, title: 'Siti Aminah', createdAt: Date.now(), state: 'queued' });
    });
    rows = await listAssignment(app);
    expect([...(await voterStates(app, rows)).values()]).toEqual(['done', 'todo']);
    expect(await startVoterRecord(app, app, rows[0]!, coklitPilkadaV1)).toEqual({ kind: 'filed', id: started.id });

    // A new download (Rina first now): Siti keeps her filed record.
    await saveAssignment(app, VILLAGE, [{ tps: '003', voters: [RINA, SITI] }], '2026-11-29T03:00:00Z');
    rows = await listAssignment(app);
    expect(rows.map((r) => r.voter.nama)).toEqual(['Rina Marlina', 'Siti Aminah']);
    expect([...(await voterStates(app, rows)).values()]).toEqual(['todo', 'done']);
    expect(rina?.draftId).toBeUndefined();

    await clearAssignment(app);
    expect(await listAssignment(app)).toEqual([]);
  });

  it('keeps practice records apart: a practice draft never takes over the real one', async () => {
    const { app } = openPair();
    const practice = new JangkauDb(app.name + PRACTICE_DB_SUFFIX).use(atRestMiddleware) as JangkauDb;
    await unlocked(app);
    await saveAssignment(app, VILLAGE, [{ tps: '003', voters: [SITI] }], '2026-11-28T03:00:00Z');
    const real = await startVoterRecord(app, app, (await listAssignment(app))[0]!, coklitPilkadaV1);
    const trial = await startVoterRecord(app, practice, (await listAssignment(app))[0]!, coklitPilkadaV1);
    expect(real.kind === 'draft' && trial.kind === 'draft' && real.id !== trial.id).toBe(true);
    if (real.kind !== 'draft' || trial.kind !== 'draft') return;
    expect(await practice.drafts.get(trial.id)).toBeDefined();
    expect(await app.drafts.get(trial.id)).toBeUndefined();
    const rows = await listAssignment(app);
    expect(await startVoterRecord(app, app, rows[0]!, coklitPilkadaV1)).toEqual(real);
    expect(await startVoterRecord(app, practice, rows[0]!, coklitPilkadaV1)).toEqual(trial);
    expect([...(await voterStates(practice, rows)).values()]).toEqual(['started']);
    // The practice database holds no copy of the list.
    expect(await practice.assignment.count()).toBe(0);
  });

  it('is forgotten at logout, while the drafts started from it stay', async () => {
    const { app } = openPair();
    await unlocked(app);
    await saveAssignment(app, VILLAGE, [{ tps: '003', voters: [SITI] }], '2026-11-28T03:00:00Z');
    const started = await startVoterRecord(app, app, (await listAssignment(app))[0]!, coklitPilkadaV1);
    await clearSession(app);
    expect(await app.assignment.count()).toBe(0);
    expect(started.kind === 'draft' && (await app.drafts.get(started.id))?.data.nik).toBe(SITI.nik);
  });
});

describe('voter records on the device (issue #13)', () => {
  it('a coklit draft started from a listed voter keeps its record key and base version, and the queued envelope carries them', async () => {
    const { app } = openPair();
    await unlocked(app);
    const record = { id: 'ab'.repeat(16), version: 3, outcome: null, tmsCode: null };
    await saveAssignment(app, VILLAGE, [{ tps: '003', voters: [{ ...SITI, record }, RINA] }], '2026-11-28T03:00:00Z');
    const [siti, rina] = await listAssignment(app);
    const started = await startVoterRecord(app, app, siti!, coklitPilkadaV1);
    if (started.kind !== 'draft') throw new Error(`expected a draft, got ${started.kind}`);
    expect((await app.drafts.get(started.id))!.record).toEqual({ id: record.id, baseVersion: 3 });
    // A voter from a list without records starts a plain draft.
    const plain = await startVoterRecord(app, app, rina!, coklitPilkadaV1);
    if (plain.kind !== 'draft') throw new Error('expected a draft');
    expect((await app.drafts.get(plain.id))!.record).toBeUndefined();
    const data = { ...sampleAnswers(coklitPilkadaV1), ...(await app.drafts.get(started.id))!.data, hasil: 'sesuai' } as Record<string, unknown>;
    for (const k of ['dataDiubah', 'alasanTms', 'suratDokter']) delete data[k];
    await storeSampleFiles(app, coklitPilkadaV1, data);
    const filed = await submitDraft(app, coklitPilkadaV1, started.id, data);
    expect(filed.ok, JSON.stringify(filed)).toBe(true);
    expect((await app.outbox.get(started.id))!.envelope.record).toEqual({ id: record.id, baseVersion: 3 });
  });

  it('a filed record shows what the office decided at the next pull: conflict pending, resolved by the PPS, or back to the field (not visited, and opening it starts a new visit)', async () => {
    const { app } = openPair();
    await unlocked(app);
    await saveAssignment(app, VILLAGE, [{ tps: '003', voters: [SITI, RINA] }], '2026-11-28T03:00:00Z');
    const ids: string[] = [];
    const at = '2026-11-29T03:00:00Z';
    for (const row of await listAssignment(app)) {
      const started = await startVoterRecord(app, app, row, coklitPilkadaV1);
      if (started.kind !== 'draft') throw new Error('expected a draft');
      await app.transaction('rw', app.drafts, app.receipts, async () => {
        await app.drafts.delete(started.id);
        await app.receipts.add({ id: started.id, formId: coklitPilkadaV1.formId, formVersion: 1, title: row.voter.nama, createdAt: Date.now(), state: 'sent', receivedAt: at });
      });
      ids.push(started.id);
    }
    const states = async () => [...(await voterStates(app, await listAssignment(app))).values()];
    expect(await states()).toEqual(['done', 'done']);
    await applyChanges(app, [{ seq: 1, submissionId: ids[0]!, status: 'diproses', answer: 'Konflik: …', at }], 'c1', 'officer:x');
    expect(await states()).toEqual(['conflict', 'done']);
    await applyChanges(app, [{ seq: 2, submissionId: ids[0]!, status: 'selesai', answer: 'Konflik diselesaikan PPS: …', at }, { seq: 3, submissionId: ids[1]!, status: 'ditolak', answer: 'Konflik: PPS meminta …', at }], 'c2', 'officer:x');
    expect(await states()).toEqual(['resolved', 'revisit']);
    expect(visitedCount(await states())).toBe(1);
    // Opening the resolved voter shows the filed record; the one sent back starts a new visit.
    const [siti, rina] = await listAssignment(app);
    expect(await startVoterRecord(app, app, siti!, coklitPilkadaV1)).toEqual({ kind: 'filed', id: ids[0] });
    const again = await startVoterRecord(app, app, rina!, coklitPilkadaV1);
    expect(again.kind === 'draft' && again.id !== ids[1]).toBe(true);
    expect(await states()).toEqual(['resolved', 'started']);
  });
});
