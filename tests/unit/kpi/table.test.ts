// KPI rows per group: requests only from answered services, the IKM only from SKM answers, the
// sync delay from everything received by the instant.
import { describe, expect, it } from 'vitest';
import { PUBLISHED_FORMS } from '../../../core/forms/catalog/index.ts';
import { SKM_ELEMENTS } from '../../../core/forms/catalog/skm.ts';
import { computeIkm } from '../../../core/kpi/ikm.ts';
import type { SlaOf } from '../../../core/kpi/requests.ts';
import { isAnsweredService, kpiTable, type KpiRecord } from '../../../core/kpi/table.ts';
import { generateSubmissions } from '../../support/seed/generator.ts';

const H = 3_600_000;
const slaOf: SlaOf = (formId) => PUBLISHED_FORMS.find((f) => f.formId === formId)?.sla;
const answered = new Set(PUBLISHED_FORMS.filter(isAnsweredService).map((f) => f.formId));
const isRequest = (formId: string) => answered.has(formId);

function rec(formId: string, regionCode: string, createdAt: string, receivedAt: string, data: Record<string, unknown> = {}): KpiRecord {
  return { formId, regionCode, createdAt, receivedAt, statusHistory: [{ status: 'diterima', at: receivedAt }], data };
}

const skmAll = (s: number) => Object.fromEntries(SKM_ELEMENTS.map((e) => [e, String(s)]));

describe('kpiTable', () => {
  it('answered services are the public forms but the SKM', () => {
    expect([...answered].sort()).toEqual(['akreditasi-pemantau', 'keberatan-informasi', 'pengaduan', 'pindah-memilih', 'ppid-permohonan', 'tanggapan-dps']);
  });

  it('a small case by hand', () => {
    const records = [
      rec('ppid-permohonan', '19.03.02.2001', '2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z'),
      rec('coklit-pilkada', '19.03.02.2001', '2026-11-01T00:00:00Z', '2026-11-01T04:00:00Z'),
      rec('skm', '19.03.02.2001', '2026-11-01T00:00:00Z', '2026-11-01T02:00:00Z', skmAll(3)),
      rec('skm', '19.71.01.1001', '2026-11-01T00:00:00Z', '2026-11-01T00:30:00Z', skmAll(4)),
      rec('ppid-permohonan', '19.71.01.1001', '2026-11-01T00:00:00Z', '2027-01-05T00:00:00Z'), // after the instant
    ];
    const rows = kpiTable(records, { keyOf: (r) => r.regionCode.slice(0, 5), at: '2026-12-01T00:00:00Z', slaOf, isRequest });
    expect(rows.map((r) => r.key)).toEqual(['19.03', '19.71']);
    const [bangkaSelatan, pangkalpinang] = rows;
    // The coklit record is no request: one received, one open, and that one overdue (due 16 Nov).
    expect(bangkaSelatan?.requests).toMatchObject({ received: 1, open: 1, overdue: 1, slaDecided: 1, slaOnTime: 0, slaOnTimePct: 0 });
    expect(bangkaSelatan?.ikm).toMatchObject({ respondents: 1, ikm: 75, grade: 'C' });
    expect(bangkaSelatan?.syncDelay).toEqual({ count: 3, median: 4 * H, p90: 24 * H, max: 24 * H });
    expect(pangkalpinang?.requests.received).toBe(0);
    expect(pangkalpinang?.ikm).toMatchObject({ ikm: 100, grade: 'A' });
    expect(pangkalpinang?.syncDelay.count).toBe(1);
  });

  it('over seeded data, the rows add up to the whole', () => {
    const at = '2026-10-01T00:00:00Z';
    const records = generateSubmissions({ count: 4000, seed: 11 });
    const rows = kpiTable(records, { keyOf: (r) => r.regionCode.slice(0, 5), at, slaOf, isRequest });
    expect(rows).toHaveLength(7);
    const seen = records.filter((r) => r.receivedAt <= at);
    expect(rows.reduce((n, r) => n + r.requests.received, 0)).toBe(seen.filter((r) => isRequest(r.formId)).length);
    expect(rows.reduce((n, r) => n + r.syncDelay.count, 0)).toBe(seen.length);
    for (const row of rows) {
      const skm = seen.filter((r) => r.formId === 'skm' && r.regionCode.startsWith(row.key)).map((r) => r.data);
      expect(row.ikm).toEqual(computeIkm(skm));
      expect(row.requests.open).toBeLessThanOrEqual(row.requests.received);
    }
  });
});
