// Service KPIs from status histories, against hand-computed cases: first response and completion
// times, SLA outcome in working days (WIB dates), open and overdue counts at an instant.
import { describe, expect, it } from 'vitest';
import {
  completedAt,
  firstResponseAt,
  isOpenAt,
  isOverdueAt,
  requestDueDate,
  requestKpis,
  slaOutcome,
  timeToCompletion,
  timeToFirstResponse,
  type RequestRecord,
  type SlaOf,
  type StatusEvent,
} from '../../../core/kpi/requests.ts';

const H = 3_600_000;
const slaOf: SlaOf = (formId) => (formId === 'ppid-permohonan' ? { workingDays: 10, extensionWorkingDays: 7 } : undefined);

function req(receivedAt: string, events: [StatusEvent['status'], string][], formId = 'ppid-permohonan', extended = false): RequestRecord {
  return {
    formId,
    receivedAt,
    extended,
    statusHistory: [{ status: 'diterima', at: receivedAt }, ...events.map(([status, at]) => ({ status, at }))],
  };
}

// Received Friday 27 Nov 2026, 09:00 WIB. Due after 10 working days: Friday 11 Dec; extended by
// 7: Tuesday 22 Dec.
const RECEIVED = '2026-11-27T02:00:00Z';

describe('times from the status history', () => {
  const r = req(RECEIVED, [
    ['diproses', '2026-11-27T05:00:00Z'],
    ['selesai', '2026-12-11T09:00:00Z'],
  ]);

  it('first response is the first event after diterima; completion the final one', () => {
    expect(firstResponseAt(r.statusHistory)).toBe('2026-11-27T05:00:00Z');
    expect(completedAt(r.statusHistory)).toBe('2026-12-11T09:00:00Z');
    expect(timeToFirstResponse(r)).toBe(3 * H);
    expect(timeToCompletion(r)).toBe((14 * 24 + 7) * H);
  });

  it('an answer given straight away is both first response and completion', () => {
    const direct = req(RECEIVED, [['ditolak', '2026-11-28T02:00:00Z']]);
    expect(timeToFirstResponse(direct)).toBe(24 * H);
    expect(timeToCompletion(direct)).toBe(24 * H);
  });

  it('a request with only diterima has neither', () => {
    const waiting = req(RECEIVED, []);
    expect(timeToFirstResponse(waiting)).toBeUndefined();
    expect(timeToCompletion(waiting)).toBeUndefined();
  });
});

describe('SLA in working days', () => {
  it('due dates, with and without the extension; none for a service without SLA', () => {
    expect(requestDueDate(req(RECEIVED, []), slaOf)).toBe('2026-12-11');
    expect(requestDueDate(req(RECEIVED, [], 'ppid-permohonan', true), slaOf)).toBe('2026-12-22');
    expect(requestDueDate(req(RECEIVED, [], 'pengaduan'), slaOf)).toBeUndefined();
  });

  it.each([
    ['answered on the due day, 16:00 WIB', req(RECEIVED, [['selesai', '2026-12-11T09:00:00Z']]), 'on_time'],
    ['answered 23:59 WIB on the due day', req(RECEIVED, [['selesai', '2026-12-11T16:59:00Z']]), 'on_time'],
    ['answered 00:30 WIB the day after', req(RECEIVED, [['selesai', '2026-12-11T17:30:00Z']]), 'late'],
    ['refused late', req(RECEIVED, [['ditolak', '2026-12-14T02:00:00Z']]), 'late'],
    ['late without, on time with the extension', req(RECEIVED, [['selesai', '2026-12-22T08:00:00Z']], 'ppid-permohonan', true), 'on_time'],
    ['open past its due date', req(RECEIVED, [['diproses', '2026-11-30T02:00:00Z']]), 'overdue_open'],
    ['no SLA', req(RECEIVED, [], 'pengaduan'), 'no_sla'],
  ])('%s', (_, r, outcome) => {
    expect(slaOutcome(r, '2026-12-31T00:00:00Z', slaOf)).toBe(outcome);
  });

  it('an answer after the instant is not seen yet', () => {
    const r = req(RECEIVED, [['selesai', '2026-12-11T09:00:00Z']]);
    expect(slaOutcome(r, '2026-12-01T00:00:00Z', slaOf)).toBe('pending');
    expect(slaOutcome(r, '2026-12-11T08:00:00Z', slaOf)).toBe('pending');
  });
});

describe('open and overdue at an instant', () => {
  const r = req(RECEIVED, [['selesai', '2026-12-15T02:00:00Z']]);

  it('open from receipt until the final answer', () => {
    expect(isOpenAt(r, '2026-11-27T01:59:59Z')).toBe(false);
    expect(isOpenAt(r, RECEIVED)).toBe(true);
    expect(isOpenAt(r, '2026-12-15T01:59:59Z')).toBe(true);
    expect(isOpenAt(r, '2026-12-15T02:00:00Z')).toBe(false);
  });

  it('overdue once the WIB date passes the due date, until answered', () => {
    expect(isOverdueAt(r, '2026-12-11T16:59:59Z', slaOf)).toBe(false); // 23:59:59 WIB on 11 Dec
    expect(isOverdueAt(r, '2026-12-11T17:00:00Z', slaOf)).toBe(true); // 00:00 WIB on 12 Dec
    expect(isOverdueAt(r, '2026-12-15T02:00:00Z', slaOf)).toBe(false); // answered
    expect(isOverdueAt(req(RECEIVED, [], 'pengaduan'), '2027-06-01T00:00:00Z', slaOf)).toBe(false);
  });
});

describe('requestKpis', () => {
  it('a small set, by hand', () => {
    const records: RequestRecord[] = [
      // A: first response after 3 h, answered on time after 343 h.
      req(RECEIVED, [
        ['diproses', '2026-11-27T05:00:00Z'],
        ['selesai', '2026-12-11T09:00:00Z'],
      ]),
      // B: answered straight away but late (due 11 Dec), after 408 h.
      req(RECEIVED, [['selesai', '2026-12-14T02:00:00Z']]),
      // C: received Mon 30 Nov, due 14 Dec, never answered: overdue on 20 Dec.
      req('2026-11-30T02:00:00Z', []),
      // D: a complaint (no SLA), taken up after 1 h, still open.
      req('2026-12-01T00:00:00Z', [['diproses', '2026-12-01T01:00:00Z']], 'pengaduan'),
      // E: received 18 Dec, still within its SLA.
      req('2026-12-18T02:00:00Z', []),
      // F: received after the instant: not counted.
      req('2026-12-21T02:00:00Z', [['selesai', '2026-12-21T03:00:00Z']]),
      // G: answered after the instant: open then, due 31 Dec.
      req('2026-12-15T02:00:00Z', [['selesai', '2026-12-22T02:00:00Z']]),
    ];
    const k = requestKpis(records, '2026-12-20T00:00:00Z', slaOf);
    expect(k.received).toBe(6);
    expect(k.open).toBe(4); // C, D, E, G
    expect(k.overdue).toBe(1); // C
    expect(k.firstResponse).toEqual({ count: 3, median: 3 * H, p90: 408 * H, max: 408 * H }); // 1, 3, 408 h
    expect(k.completion).toEqual({ count: 2, median: 375.5 * H, p90: 408 * H, max: 408 * H }); // 343, 408 h
    expect(k.slaDecided).toBe(3); // A on time, B late, C overdue
    expect(k.slaOnTime).toBe(1);
    expect(k.slaOnTimePct).toBeCloseTo(100 / 3, 10);
  });

  it('nothing received: zero counts and no percentages', () => {
    const k = requestKpis([], '2026-12-20T00:00:00Z', slaOf);
    expect(k).toMatchObject({ received: 0, open: 0, overdue: 0, slaDecided: 0, slaOnTimePct: undefined });
    expect(k.firstResponse.median).toBeUndefined();
  });
});
