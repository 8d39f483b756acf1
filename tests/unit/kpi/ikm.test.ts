// The IKM against hand-computed cases and the PermenPANRB 14/2017 grade boundaries. Answer sets
// are built so the exact index is known: with every element answered, IKM = 25 × T / (9 × n),
// where T is the sum of all scores and n the number of respondents.
import { describe, expect, it } from 'vitest';
import { SKM_ELEMENTS } from '../../../core/forms/catalog/skm.ts';
import { computeIkm, gradeIkm, roundIkm } from '../../../core/kpi/ikm.ts';

/** An SKM data object as the form stores it, from nine scores in the regulation's order. */
function answers(scores: readonly number[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const data: Record<string, unknown> = { layanan: 'informasi', jenisKelamin: 'P', umur: '26-35', ...extra };
  SKM_ELEMENTS.forEach((e, i) => (data[e] = String(scores[i])));
  return data;
}

/** n respondents whose scores add up to `total` (each respondent 9–36). */
function respondentsWithTotal(n: number, total: number): Record<string, unknown>[] {
  const base = Math.floor(total / n);
  const extra = total - base * n;
  return Array.from({ length: n }, (_, i) => {
    let left = base + (i < extra ? 1 : 0);
    const scores = SKM_ELEMENTS.map(() => 1);
    left -= 9;
    for (let e = 0; e < scores.length && left > 0; e++) {
      const add = Math.min(3, left);
      scores[e]! += add;
      left -= add;
    }
    if (left !== 0) throw new Error('total out of range');
    return answers(scores);
  });
}

describe('gradeIkm: the bands of PermenPANRB 14/2017', () => {
  it.each([
    [25, 'D', 'Tidak Baik'],
    [64.99, 'D', 'Tidak Baik'],
    [65.0, 'C', 'Kurang Baik'],
    [76.6, 'C', 'Kurang Baik'],
    [76.61, 'B', 'Baik'],
    [88.3, 'B', 'Baik'],
    [88.31, 'A', 'Sangat Baik'],
    [100, 'A', 'Sangat Baik'],
    // Graded on the value rounded half up to two decimals, as the bands are written.
    [64.994, 'D', 'Tidak Baik'],
    [64.995, 'C', 'Kurang Baik'],
    [76.6049, 'C', 'Kurang Baik'],
    [88.305, 'A', 'Sangat Baik'],
  ])('%s → %s (%s)', (value, grade, quality) => {
    expect(gradeIkm(value)).toEqual({ grade, quality });
  });

  it('refuses values off the 25–100 scale', () => {
    expect(() => gradeIkm(24.99)).toThrow(RangeError);
    expect(() => gradeIkm(100.01)).toThrow(RangeError);
    expect(() => gradeIkm(Number.NaN)).toThrow(RangeError);
  });

  it('rounds half up to two decimals', () => {
    expect(roundIkm(76.605)).toBe(76.61);
    expect(roundIkm(76.6049)).toBe(76.6);
    expect(roundIkm(87.5)).toBe(87.5);
  });
});

describe('computeIkm', () => {
  it('all 4 is 100 (A), all 1 is 25 (D)', () => {
    expect(computeIkm([answers([4, 4, 4, 4, 4, 4, 4, 4, 4])])).toMatchObject({ ikm: 100, grade: 'A', quality: 'Sangat Baik' });
    expect(computeIkm([answers([1, 1, 1, 1, 1, 1, 1, 1, 1])])).toMatchObject({ ikm: 25, grade: 'D', quality: 'Tidak Baik' });
  });

  it('three respondents, by hand', () => {
    // Element means: 10/3, 8/3, 8/3, 4, 3, 10/3, 10/3, 8/3, 8/3; weighted 83/27 = 3.07407…;
    // × 25 = 76.85185… → 76.85, grade B (Baik).
    const result = computeIkm([
      answers([4, 3, 3, 4, 3, 3, 3, 2, 3]),
      answers([3, 3, 2, 4, 3, 4, 3, 3, 3]),
      answers([3, 2, 3, 4, 3, 3, 4, 3, 2]),
    ]);
    expect(result.respondents).toBe(3);
    expect(result.weightedMean).toBeCloseTo(83 / 27, 12);
    expect(result.ikm).toBe(76.85);
    expect(result.grade).toBe('B');
    expect(result.quality).toBe('Baik');
    expect(result.elements.map((e) => e.mean)).toEqual([10 / 3, 8 / 3, 8 / 3, 4, 3, 10 / 3, 10 / 3, 8 / 3, 8 / 3]);
    expect(result.elements[3]).toMatchObject({ element: 'u4Biaya', answers: 3, index: 100 });
    expect(result.elements[1]?.index).toBe(66.67);
  });

  it.each([
    // n, T, IKM = 25T/9n, grade
    [200, 4679, 64.99, 'D'], // 64.986…
    [5, 117, 65.0, 'C'], // exactly 65
    [125, 3447, 76.6, 'C'], // exactly 76.6
    [250, 6895, 76.61, 'B'], // 76.611…
    [250, 7947, 88.3, 'B'], // exactly 88.3
    [250, 7948, 88.31, 'A'], // 88.311…
  ])('%i respondents scoring %i in all: %s (%s)', (n, total, ikm, grade) => {
    const result = computeIkm(respondentsWithTotal(n, total));
    expect(result.respondents).toBe(n);
    expect(result.ikm).toBe(ikm);
    expect(result.grade).toBe(grade);
  });

  it('takes the scores as the form stores them, and numbers 1–4, and skips anything else', () => {
    const numeric = answers([4, 4, 4, 4, 4, 4, 4, 4, 4]);
    for (const e of SKM_ELEMENTS) numeric[e] = 2;
    const result = computeIkm([
      answers([4, 4, 4, 4, 4, 4, 4, 4, 4]),
      numeric,
      { ...answers([4, 4, 4, 4, 4, 4, 4, 4, 4]), u9Sarana: '5' }, // u9 out of range: left out of u9's mean
      { layanan: 'informasi' }, // no score at all
      { u1Persyaratan: 'empat' },
    ]);
    expect(result.respondents).toBe(3);
    expect(result.ignored).toBe(2);
    expect(result.elements[0]).toMatchObject({ answers: 3, mean: 10 / 3 });
    expect(result.elements[8]).toMatchObject({ answers: 2, mean: 3 });
    // (8 × 10/3 + 3) / 9 × 25 = 82.407… → 82.41.
    expect(result.ikm).toBe(82.41);
  });

  it('an element nobody scored is left out and the weights spread over the rest', () => {
    const data = answers([4, 4, 4, 4, 4, 4, 4, 4, 4]);
    delete data.u4Biaya;
    const result = computeIkm([data, { ...data, u1Persyaratan: '2' }]);
    // Eight elements: u1 mean 3, seven means of 4 → (3 + 28) / 8 × 25 = 96.875 → 96.88.
    expect(result.elements[3]).toMatchObject({ answers: 0, mean: undefined, index: undefined });
    expect(result.ikm).toBe(96.88);
  });

  it('no answers: no index and no grade', () => {
    expect(computeIkm([])).toMatchObject({ respondents: 0, ignored: 0, ikm: undefined, grade: undefined, quality: undefined });
  });
});
