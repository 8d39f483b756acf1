// The merge rule of voter records (core/voters/merge.ts): an update applies only on the version it
// was made on; anything else that would change the record is a conflict holding both sides; a
// resolution takes each differing field from one side; the recap's sums are exact at every level.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideUpdate, diffStates, overlay, resolveConflict, updateFromCoklit, type RecordUpdate } from '../../../core/voters/merge.ts';
import type { RecordState, VoterData } from '../../../core/voters/record.ts';
import { RECAP_LEVELS, emptyCounts, rollUp } from '../../../core/voters/recap.ts';

const voter: VoterData = {
  desa: '19.01.01.1001',
  tps: '003',
  nik: '1901024501900001',
  kk: '1901020101200001',
  nama: 'Siti Aminah',
  jenisKelamin: 'P',
  tempatLahir: 'Mentok',
  tanggalLahir: '1990-01-05',
  alamat: 'Jl. Pelabuhan No. 4',
  rt: '002',
  rw: '001',
};

const stateArb: fc.Arbitrary<RecordState> = fc.record({
  recordId: fc.constant('a'.repeat(32)),
  version: fc.integer({ min: 1, max: 20 }),
  data: fc.record({ nama: fc.constantFrom('Siti Aminah', 'Siti Aminah Binti Ali', 'Sity Aminah'), alamat: fc.constantFrom('Jl. Pelabuhan No. 4', 'Dusun II'), disabilitas: fc.option(fc.subarray(['1', '2', '6']), { nil: undefined }) }).map((d) => {
    const data: VoterData = { ...voter, nama: d.nama, alamat: d.alamat };
    if (d.disabilitas !== undefined) data.disabilitas = d.disabilitas;
    return data;
  }),
  outcome: fc.constantFrom(null, 'sesuai' as const, 'ubah' as const, 'tms' as const),
  tmsCode: fc.constant(null),
}).map((s) => ({ ...s, tmsCode: s.outcome === 'tms' ? '1' : null }));

const updateArb = (recordId: string): fc.Arbitrary<RecordUpdate> =>
  fc.record({
    recordId: fc.constant(recordId),
    baseVersion: fc.option(fc.integer({ min: 1, max: 21 }), { nil: null }),
    kind: fc.constantFrom('coklit' as const, 'tanggapan' as const, 'staff' as const),
    outcome: fc.option(fc.constantFrom('sesuai' as const, 'ubah' as const, 'tms' as const), { nil: undefined }),
    tmsCode: fc.option(fc.constantFrom('1', '2', '4'), { nil: undefined }),
    changes: fc.option(fc.record({ nama: fc.constantFrom('Siti Aminah', 'Muhammad Yusuf'), alamat: fc.constantFrom('Dusun II', 'Dusun III') }, { requiredKeys: [] }), { nil: undefined }),
  }).map((u) => {
    const out: RecordUpdate = { recordId: u.recordId, baseVersion: u.baseVersion, kind: u.kind };
    if (u.outcome !== undefined) out.outcome = u.outcome;
    if (u.tmsCode !== undefined) out.tmsCode = u.tmsCode;
    if (u.changes !== undefined) out.changes = u.changes;
    return out;
  });

describe('decideUpdate', () => {
  it('never changes the record on a stale base: a stale update is a conflict carrying both sides, or it says what the record says', () => {
    fc.assert(
      fc.property(stateArb, updateArb('a'.repeat(32)), (current, u) => {
        const d = decideUpdate(current, u);
        const onCurrent = u.kind !== 'tanggapan' && u.baseVersion === current.version;
        if (onCurrent) {
          expect(d.kind).toBe('apply');
          if (d.kind === 'apply') {
            expect(d.next.version).toBe(current.version + 1);
            expect(diffStates(d.next, overlay(current, u))).toEqual([]);
          }
          return;
        }
        expect(d.kind).not.toBe('apply');
        if (d.kind === 'conflict') {
          expect(d.fields.length).toBeGreaterThan(0);
          expect(d.incoming.version).toBe(current.version);
        } else expect(diffStates(current, overlay(current, u))).toEqual([]);
      }),
    );
  });

  it('over any order of arrival of updates made on one version, exactly the first applies; every later one is judged against it', () => {
    fc.assert(
      fc.property(stateArb, fc.array(updateArb('a'.repeat(32)), { minLength: 1, maxLength: 6 }), (start, raw) => {
        const updates = raw.map((u) => ({ ...u, kind: 'coklit' as const, baseVersion: start.version }));
        let state = start;
        let applied = 0;
        for (const u of updates) {
          const d = decideUpdate(state, u);
          if (d.kind === 'apply') {
            state = d.next;
            applied += 1;
          }
        }
        expect(applied).toBe(1);
        expect(state.version).toBe(start.version + 1);
        expect(diffStates(state, overlay(start, updates[0]!))).toEqual([]);
      }),
    );
  });
});

describe('diffStates', () => {
  // Two values are the same when they are the same as JSON, a missing one counting as null: the
  // reference spells that out (the rule's own comparison skips serialising where it can).
  const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  const anyValue = fc.oneof(
    fc.constant(undefined),
    fc.constant(null),
    fc.constantFrom('', '1', 'Dusun II', 'null', '0'),
    fc.integer({ min: -1, max: 1 }),
    fc.constantFrom(0, -0, Number.NaN, Number.POSITIVE_INFINITY),
    fc.boolean(),
    fc.array(fc.constantFrom('1', '2', 1), { maxLength: 2 }),
  );
  const anyState = fc.record({ alamat: anyValue, nama: anyValue, disabilitas: anyValue, outcome: anyValue, tmsCode: anyValue }).map(
    (v): RecordState => ({ recordId: 'r', version: 1, data: { alamat: v.alamat, nama: v.nama, disabilitas: v.disabilitas } as unknown as VoterData, outcome: v.outcome as RecordState['outcome'], tmsCode: v.tmsCode as string | null }),
  );

  it('lists exactly the fields whose values differ as JSON (missing = null), whatever their types', () => {
    fc.assert(
      fc.property(anyState, anyState, (a, b) => {
        const listed = new Set(diffStates(a, b).map((d) => d.field));
        const data = (s: RecordState, f: string) => (s.data as unknown as Record<string, unknown>)[f];
        for (const f of ['alamat', 'nama', 'disabilitas']) expect(listed.has(f as never)).toBe(!sameJson(data(a, f), data(b, f)));
        expect(listed.has('hasil')).toBe(!sameJson(a.outcome, b.outcome));
        expect(listed.has('alasanTms')).toBe(!sameJson(a.tmsCode, b.tmsCode));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('resolveConflict', () => {
  it('takes every differing field from the side chosen for it, raises the version, and touches no other field', () => {
    fc.assert(
      fc.property(stateArb, stateArb, fc.dictionary(fc.constantFrom('nama', 'alamat', 'disabilitas', 'hasil', 'alasanTms'), fc.constantFrom('current' as const, 'incoming' as const)), (current, incomingRaw, pick) => {
        const incoming = { ...incomingRaw, version: current.version };
        const whole = (kind: 'current' | 'incoming') => resolveConflict(current, current, incoming, { kind });
        expect(diffStates(whole('current'), current)).toEqual([]);
        const taken = whole('incoming');
        expect(diffStates(taken, { ...incoming, tmsCode: incoming.outcome === 'tms' ? incoming.tmsCode : null })).toEqual([]);
        const merged = resolveConflict(current, current, incoming, { kind: 'merge', pick });
        expect(merged.version).toBe(current.version + 1);
        for (const d of diffStates(current, incoming)) {
          if (d.field === 'hasil' || d.field === 'alasanTms') continue;
          const side = (pick[d.field] ?? 'current') === 'incoming' ? incoming : current;
          expect(merged.data[d.field]).toEqual(side.data[d.field]);
        }
        expect(merged.data.nik).toBe(current.data.nik);
        // Back to the field: unvisited again.
        expect(resolveConflict(current, current, incoming, { kind: 'field' }).outcome).toBeNull();
      }),
    );
  });
});

describe('updateFromCoklit', () => {
  it('sesuai changes no data; ubah sets only what differs from the record the officer started from', () => {
    expect(updateFromCoklit('r', 1, voter, { ...voter, hasil: 'sesuai', nama: 'Lain' })).toEqual({ recordId: 'r', baseVersion: 1, kind: 'coklit', outcome: 'sesuai' });
    expect(updateFromCoklit('r', 1, voter, { ...voter, hasil: 'ubah', nama: 'Siti Aminah Binti Ali' })).toEqual({
      recordId: 'r',
      baseVersion: 1,
      kind: 'coklit',
      outcome: 'ubah',
      changes: { nama: 'Siti Aminah Binti Ali' },
    });
    expect(updateFromCoklit('r', 2, voter, { ...voter, hasil: 'tms', alasanTms: '1' })).toMatchObject({ outcome: 'tms', tmsCode: '1' });
  });
});

describe('rollUp', () => {
  it('sums exactly: every level has the same totals as the TPS rows', () => {
    const tpsArb = fc.record({
      village: fc.constantFrom('19.01.01.1001', '19.01.01.1002', '19.01.02.2001', '19.02.01.2003'),
      tps: fc.constantFrom('001', '002', '003'),
      listed: fc.nat(600),
      visited: fc.nat(600),
      tms: fc.nat(50),
      openConflicts: fc.nat(5),
    });
    fc.assert(
      fc.property(fc.uniqueArray(tpsArb, { selector: (t) => `${t.village}/${t.tps}` }), (tpsRows) => {
        const perTps = tpsRows.map((t) => ({ ...emptyCounts(), ...t, tmsByCode: { '1': t.tms } }));
        const totals = RECAP_LEVELS.map((l) => rollUp(perTps, l).reduce((n, r) => [n[0]! + r.listed, n[1]! + r.tms, n[2]! + (r.tmsByCode['1'] ?? 0), n[3]! + r.openConflicts], [0, 0, 0, 0]));
        for (const t of totals) expect(t).toEqual(totals[0]);
        expect(rollUp(perTps, 'province').length).toBe(perTps.length > 0 ? 1 : 0);
      }),
    );
  });
});
