// The office's rules in core/office: the SLA clock while a request waits for completion, the
// refusal grounds kept as data, and the keberatan deadline (UU 14/2008 art. 35–36).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../core/calendar/days.ts';
import { addWorkingDays, isWorkingDay, workingDaysBetween } from '../../../core/calendar/working-days.ts';
import { keberatanDeadline, keberatanPrefill } from '../../../core/office/keberatan.ts';
import { needsRefusalGround, REFUSAL_GROUNDS, refusalGround } from '../../../core/office/refusal-grounds.ts';
import { daysLeftAtReturn, dueAfterCompletion } from '../../../core/office/sla-clock.ts';
import { detailJson, parseDetail } from '../../../core/office/status-detail.ts';

// Noon WIB of a date, as an instant.
const at = (date: string) => `${date}T05:00:00Z`;
const day = fc.integer({ min: 0, max: 3 * 365 }).map((n) => addDays('2026-01-01', n));
const scenario = fc.record({ received: day, sla: fc.integer({ min: 1, max: 30 }), toReturn: fc.integer({ min: 0, max: 40 }), waited: fc.integer({ min: 0, max: 60 }) });

describe('SLA clock while a request is returned for completion', () => {
  it('keeps the working days left at the return and runs them from the completion (pause)', () => {
    fc.assert(
      fc.property(scenario, ({ received, sla, toReturn, waited }) => {
        const dueOn = addWorkingDays(received, sla);
        const returnedOn = addDays(received, toReturn);
        const completedOn = addDays(returnedOn, waited);
        const next = dueAfterCompletion({ dueOn, returnedAt: at(returnedOn), completedAt: at(completedOn), workingDays: sla });
        const left = daysLeftAtReturn(dueOn, at(returnedOn));
        expect(workingDaysBetween(completedOn, next)).toBe(left);
        // Waiting never shortens the office's time, nor gives a date before the completion.
        expect(next >= dueOn || left === 0).toBe(true);
        expect(next >= completedOn).toBe(true);
        // Returned and completed on the same working day: nothing changes.
        if (waited === 0 && isWorkingDay(returnedOn) && returnedOn <= dueOn) expect(next).toBe(dueOn);
      }),
    );
  });

  it('gives nothing to an office that returns a request already overdue', () => {
    fc.assert(
      fc.property(scenario, ({ received, sla, waited }) => {
        const dueOn = addWorkingDays(received, sla);
        const returnedOn = addDays(dueOn, 1);
        const completedOn = addDays(returnedOn, waited);
        expect(dueAfterCompletion({ dueOn, returnedAt: at(returnedOn), completedAt: at(completedOn), workingDays: sla })).toBe(completedOn);
      }),
    );
  });

  it('restart (the other reading, kept as data) is never earlier than pause', () => {
    fc.assert(
      fc.property(scenario, ({ received, sla, toReturn, waited }) => {
        const r = { dueOn: addWorkingDays(received, sla), returnedAt: at(addDays(received, toReturn)), completedAt: at(addDays(received, toReturn + waited)), workingDays: sla };
        expect(dueAfterCompletion(r, 'restart') >= dueAfterCompletion(r, 'pause')).toBe(true);
      }),
    );
  });
});

describe('refusal grounds and keberatan', () => {
  it('lists the ten exemptions of art. 17 and the other grounds, each code once, each with a keberatan ground', () => {
    const codes = REFUSAL_GROUNDS.map((g) => g.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.filter((c) => c.startsWith('pasal-17-'))).toHaveLength(10);
    expect(codes).toContain('tidak-dikuasai');
    expect(codes).toContain('bukan-kewenangan');
    for (const g of REFUSAL_GROUNDS) {
      expect(g.label.id.length).toBeGreaterThan(5);
      expect(g.label.en.length).toBeGreaterThan(5);
      expect(['a', 'e']).toContain(g.keberatanAlasan);
    }
    expect(refusalGround('pasal-17-h')?.keberatanAlasan).toBe('a');
    expect(refusalGround('nope')).toBeUndefined();
    expect(needsRefusalGround('ppid-permohonan')).toBe(true);
    expect(needsRefusalGround('pengaduan')).toBe(false);
  });

  it('dates the keberatan 30 working days after the answer (WIB), always a working day after it', () => {
    fc.assert(
      fc.property(day, (d) => {
        const by = keberatanDeadline(at(d));
        expect(workingDaysBetween(d, by)).toBe(30);
        expect(isWorkingDay(by)).toBe(true);
      }),
    );
    // 23:30 WIB on 2026-03-02 is still that day in WIB (16:30 UTC).
    expect(keberatanDeadline('2026-03-02T16:30:00Z')).toBe(addWorkingDays('2026-03-02', 30));
  });

  it('prefills the keberatan from the refused request', () => {
    expect(keberatanPrefill({ id: '01JD2K8F0000000000000000AB', ground: 'pasal-17-c' })).toEqual({ nomorPermohonan: '01JD2K8F0000000000000000AB', alasan: 'a' });
    expect(keberatanPrefill({ id: '01JD2K8F0000000000000000AB', ground: 'tidak-dikuasai' }).alasan).toBe('e');
    expect(keberatanPrefill({ id: '01JD2K8F0000000000000000AB' }).alasan).toBe('e');
  });

  it('round-trips a status detail and reads anything broken as none', () => {
    fc.assert(
      fc.property(
        fc.record({ fields: fc.array(fc.string({ maxLength: 10 })), revision: fc.integer({ min: 1, max: 100 }), ground: fc.string(), keberatanBy: fc.string() }, { requiredKeys: [] }),
        (d) => {
          const json = detailJson(d);
          expect(json === null ? {} : parseDetail(json)).toEqual(d);
        },
      ),
    );
    expect(parseDetail('{not json')).toEqual({});
    expect(parseDetail(null)).toEqual({});
  });
});
