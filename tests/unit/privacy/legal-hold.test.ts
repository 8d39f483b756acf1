// The legal holds and retention rules as a table: each row one record, one purpose, one
// situation, and the holds that must (or must not) stop its removal.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PUBLISHED_FORMS } from '../../../core/forms/catalog/index.ts';
import { checkDefinition } from '../../../core/forms/check-definition.ts';
import { hasOpenKeberatan, holdsOn, type HoldId, type HoldPurpose } from '../../../core/privacy/legal-hold.ts';
import { DEFAULT_RETENTION_DAYS, FALLBACK_RETENTION_DAYS, retentionCutoff, retentionDays, withinRetention } from '../../../core/privacy/retention.ts';
import { niksIn, normaliseNik, subjectClock, subjectRequestDueAt } from '../../../core/privacy/subject-request.ts';
import type { ServerStatus } from '../../../core/protocol.ts';

const NOW = new Date('2026-12-07T00:00:00.000Z');
const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY).toISOString();

type Row = [form: string, status: ServerStatus, ageDays: number, retention: number, openKeberatan: boolean, purpose: HoldPurpose, holds: HoldId[]];

const TABLE: Row[] = [
  // Purge: only what is past retention reaches it; an unanswered request or a pending keberatan stays.
  ['pengaduan', 'selesai', 800, 730, false, 'purge', []],
  ['pengaduan', 'diproses', 800, 730, false, 'purge', ['open_request']],
  ['pengaduan', 'diterima', 800, 730, false, 'purge', ['open_request']],
  ['ppid-permohonan', 'selesai', 800, 730, true, 'purge', ['open_keberatan']],
  ['ppid-permohonan', 'ditolak', 800, 730, false, 'purge', []],
  ['keberatan-informasi', 'diproses', 800, 730, true, 'purge', ['open_request', 'open_keberatan']],
  // A keberatan does not hold records of other services.
  ['pengaduan', 'selesai', 800, 730, true, 'purge', []],
  ['coklit-pilkada', 'diterima', 2000, 1826, false, 'purge', ['open_request']],
  ['coklit-pilkada', 'selesai', 2000, 1826, false, 'purge', []],
  // Erasure: the subject may withdraw an open request; voter-list work is kept for its retention.
  ['pengaduan', 'diterima', 3, 730, false, 'erasure', []],
  ['pengaduan', 'selesai', 3, 730, true, 'erasure', []],
  ['ppid-permohonan', 'selesai', 3, 730, true, 'erasure', ['open_keberatan']],
  ['keberatan-informasi', 'diterima', 3, 730, true, 'erasure', ['open_keberatan']],
  ['ppid-permohonan', 'selesai', 3, 730, false, 'erasure', []],
  ['coklit-pilkada', 'selesai', 3, 1826, false, 'erasure', ['election_retention']],
  ['tanggapan-dps', 'diterima', 100, 1826, false, 'erasure', ['election_retention']],
  ['pindah-memilih', 'selesai', 1000, 1826, false, 'erasure', ['election_retention']],
  ['pindah-memilih', 'selesai', 1900, 1826, false, 'erasure', []],
  ['skm', 'diterima', 1, 730, false, 'erasure', []],
];

describe('legal holds', () => {
  it.each(TABLE)('%s %s, %i days old (retention %i), keberatan open: %s, %s → %j', (formId, status, age, retention, openKeberatan, purpose, expected) => {
    expect(holdsOn({ formId, status, receivedAt: daysAgo(age), retentionDays: retention }, purpose, { now: NOW, openKeberatan })).toEqual(expected);
  });

  it('a keberatan is open until it is answered (selesai or ditolak)', () => {
    expect(hasOpenKeberatan([{ formId: 'keberatan-informasi', status: 'diproses' }])).toBe(true);
    expect(hasOpenKeberatan([{ formId: 'keberatan-informasi', status: 'ditolak' }, { formId: 'ppid-permohonan', status: 'diterima' }])).toBe(false);
  });
});

describe('retention', () => {
  it('every published service has its own default (published versions are never rewritten to add one)', () => {
    for (const form of PUBLISHED_FORMS) {
      expect(DEFAULT_RETENTION_DAYS[form.formId], form.formId).toBeDefined();
      expect(retentionDays(form)).toBe(form.retention?.days ?? DEFAULT_RETENTION_DAYS[form.formId]);
    }
  });

  it('a definition without retention takes its service default, an unknown service the fallback', () => {
    expect(retentionDays({ formId: 'coklit-pilkada' })).toBe(1826);
    expect(retentionDays({ formId: 'layanan-baru' })).toBe(FALLBACK_RETENTION_DAYS);
    expect(retentionDays({ formId: 'pengaduan', retention: { days: 10 } })).toBe(10);
  });

  it('publish checks refuse a retention that is no whole number of days in range', () => {
    const base = PUBLISHED_FORMS[0]!;
    for (const days of [0, -1, 1.5, 3654]) expect(checkDefinition({ ...base, retention: { days } }).join()).toMatch(/retention\.days/);
    expect(checkDefinition({ ...base, retention: { days: 365 } })).toEqual([]);
  });

  it('a record is within retention exactly until its cutoff', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4000 }), fc.integer({ min: 0, max: 5000 }), (days, age) => {
        const receivedAt = daysAgo(age);
        expect(withinRetention(receivedAt, days, NOW)).toBe(age <= days);
        expect(receivedAt < retentionCutoff(NOW, days)).toBe(age > days);
      }),
    );
  });
});

describe('subject requests', () => {
  it('are due 3×24 hours after they are received', () => {
    expect(subjectRequestDueAt('2026-12-07T10:15:00.000Z')).toBe('2026-12-10T10:15:00.000Z');
  });

  it.each([
    ['2026-12-07T00:15:00.000Z', { overdue: false, hours: 72, minutes: 0 }],
    ['2026-12-07T00:15:59.999Z', { overdue: false, hours: 71, minutes: 59 }],
    ['2026-12-09T23:59:00.000Z', { overdue: false, hours: 0, minutes: 16 }],
    ['2026-12-10T00:15:00.000Z', { overdue: false, hours: 0, minutes: 0 }],
    ['2026-12-10T01:45:30.000Z', { overdue: true, hours: 1, minutes: 30 }],
  ])('the clock at %s', (now, clock) => {
    expect(subjectClock(subjectRequestDueAt('2026-12-07T00:15:00.000Z'), new Date(now))).toEqual(clock);
  });

  it('find NIKs in nik fields, also inside repeat groups, normalised', () => {
    const form = {
      fields: [
        { name: 'nik', type: 'nik' as const, label: { id: 'NIK', en: 'NIK' } },
        { name: 'nama', type: 'text' as const, label: { id: 'Nama', en: 'Name' } },
        {
          name: 'anggota',
          type: 'repeat' as const,
          label: { id: 'Anggota', en: 'Members' },
          fields: [{ name: 'nikAnggota', type: 'nik' as const, label: { id: 'NIK', en: 'NIK' } }],
        },
      ],
    };
    const data = { nik: '1971 0101 0101 0001', nama: '1971010101010002', anggota: [{ nikAnggota: '1971010101010003' }, { nikAnggota: '19710101010100031' }] };
    expect(niksIn(form, data)).toEqual(['1971010101010001', '1971010101010003']);
    expect(normaliseNik('1971-0101-0101-0001')).toBe('1971010101010001');
    expect(normaliseNik('197101010101000')).toBeUndefined();
  });
});
