// The Indeks Kepuasan Masyarakat (IKM) from Survei Kepuasan Masyarakat answers, as PermenPANRB
// 14/2017 sets it out:
// 1. For each of the nine elements (unsur), the mean of the respondents' scores 1–4 (NRR per unsur).
// 2. Each element weighs 1/9; the index on the 1–4 scale is Σ (element mean × 1/9).
// 3. Converted to 25–100 by × 25.
// 4. The grade: 25.00–64.99 D (Tidak Baik), 65.00–76.60 C (Kurang Baik), 76.61–88.30 B (Baik),
//    88.31–100.00 A (Sangat Baik).
// The regulation's bands are written with two decimals, so the value is rounded half up to two
// decimals before it is graded, and the rounded value is the one reported.
//
// The weight is exactly 1/9 (the regulation's worked example writes it as 0.111; multiplying by
// 0.111 instead would lower every index by 0.1 % and can move a value across a band boundary).
import { SKM_ELEMENTS } from '../forms/catalog/skm.ts';

export type SkmElement = (typeof SKM_ELEMENTS)[number];
export type IkmGrade = 'A' | 'B' | 'C' | 'D';
/** The regulation's "mutu pelayanan" for each grade. */
export type ServiceQuality = 'Sangat Baik' | 'Baik' | 'Kurang Baik' | 'Tidak Baik';

export const QUALITY_OF_GRADE: Readonly<Record<IkmGrade, ServiceQuality>> = {
  A: 'Sangat Baik',
  B: 'Baik',
  C: 'Kurang Baik',
  D: 'Tidak Baik',
};

/** Lower bound (inclusive, on the 25–100 scale) of each grade, best first. */
const GRADE_FLOORS: readonly (readonly [IkmGrade, number])[] = [
  ['A', 88.31],
  ['B', 76.61],
  ['C', 65.0],
  ['D', 25.0],
];

/** Half-up rounding to two decimals, steady against binary fractions (64.995 → 65.00). */
export function roundIkm(value: number): number {
  return Math.round(value * 100 + 1e-7) / 100;
}

export interface GradeResult {
  grade: IkmGrade;
  quality: ServiceQuality;
}

/** The grade of an index on the 25–100 scale; throws outside 25–100. */
export function gradeIkm(value: number): GradeResult {
  const v = roundIkm(value);
  if (!(v >= 25 && v <= 100)) throw new RangeError(`an IKM lies between 25 and 100: ${value}`);
  const grade = GRADE_FLOORS.find(([, floor]) => v >= floor)?.[0] ?? 'D';
  return { grade, quality: QUALITY_OF_GRADE[grade] };
}

/** A score as the SKM form stores it: the choice value '1'…'4'. Numbers 1–4 are taken too. */
function score(value: unknown): number | undefined {
  if (value === '1' || value === '2' || value === '3' || value === '4') return Number(value);
  if (value === 1 || value === 2 || value === 3 || value === 4) return value;
  return undefined;
}

export interface ElementResult {
  element: SkmElement;
  /** How many respondents gave this element a valid score. */
  answers: number;
  /** The mean score 1–4 (NRR per unsur); undefined without answers. */
  mean: number | undefined;
  /** mean × 25, rounded to two decimals, so each element can be read on the index's own scale. */
  index: number | undefined;
}

export interface IkmResult {
  /** Submissions with at least one valid element score. */
  respondents: number;
  /** Submissions given that carried no valid element score at all. */
  ignored: number;
  elements: ElementResult[];
  /** Σ (element mean × 1/9) on the 1–4 scale, unrounded; undefined when nothing was answered. */
  weightedMean: number | undefined;
  /** The index on 25–100, rounded to two decimals. */
  ikm: number | undefined;
  grade: IkmGrade | undefined;
  quality: ServiceQuality | undefined;
}

/**
 * The IKM of a set of SKM submissions, each given as the form's data object
 * ({ u1Persyaratan: '4', u2Prosedur: '3', … }). A missing or malformed element score leaves that
 * answer out of that element's mean only. Elements nobody scored are left out of the sum and the
 * weights of the others are spread over those answered ("total unsur yang terisi"), so the index
 * stays on its scale; with the form as published every element is required, and this never
 * happens.
 */
export function computeIkm(submissions: Iterable<Readonly<Record<string, unknown>>>): IkmResult {
  const sums = new Array<number>(SKM_ELEMENTS.length).fill(0);
  const counts = new Array<number>(SKM_ELEMENTS.length).fill(0);
  let respondents = 0;
  let ignored = 0;
  for (const data of submissions) {
    let any = false;
    SKM_ELEMENTS.forEach((element, i) => {
      const s = score(data[element]);
      if (s === undefined) return;
      sums[i]! += s;
      counts[i]! += 1;
      any = true;
    });
    if (any) respondents += 1;
    else ignored += 1;
  }
  const elements = SKM_ELEMENTS.map((element, i): ElementResult => {
    const n = counts[i]!;
    const mean = n ? sums[i]! / n : undefined;
    return { element, answers: n, mean, index: mean === undefined ? undefined : roundIkm(mean * 25) };
  });
  const answered = elements.filter((e) => e.mean !== undefined);
  if (answered.length === 0) {
    return { respondents, ignored, elements, weightedMean: undefined, ikm: undefined, grade: undefined, quality: undefined };
  }
  const weight = 1 / answered.length;
  const weightedMean = answered.reduce((acc, e) => acc + (e.mean as number) * weight, 0);
  const ikm = roundIkm(weightedMean * 25);
  const { grade, quality } = gradeIkm(ikm);
  return { respondents, ignored, elements, weightedMean, ikm, grade, quality };
}
