// A deterministic generator of realistic submissions for KPI tests and benchmarks: the same seed
// and size always give the same records. Submissions spread over the 7 regencies by voter
// numbers and over every village including the small islands, across the catalogue's forms; each
// carries valid form data, a status history (diterima → diproses → selesai/ditolak, within or
// beyond the SLA counted in working days), SKM scores that differ by regency, and a sync delay
// (device → province) that is far longer on small islands. Most SKM answers are on version 2,
// which names the office rated; a quarter stay on version 1, which counts at the province.
//
// Emitted as plain objects; the data objects of one form share nested values (file references,
// GPS points) with a template, so treat them as read-only.
import { scopeFieldOf } from '../../../core/auth/submission-scope.ts';
import { addWorkingDays, localDate } from '../../../core/calendar/working-days.ts';
import { PUBLISHED_FORMS, findForm, latestForms } from '../../../core/forms/catalog/index.ts';
import { SKM_ELEMENTS } from '../../../core/forms/catalog/skm.ts';
import type { FormData, FormDef } from '../../../core/forms/definition.ts';
import { isVisible } from '../../../core/forms/validate.ts';
import { encodeTime } from '../../../core/ids.ts';
import { ISLAND_BANGKA, ISLAND_BELITUNG, islandOfVillage } from '../../../core/kpi/island-of-village.ts';
import type { StatusEvent } from '../../../core/kpi/requests.ts';
import { REGION_CATALOG } from '../../../core/regions/catalog.generated.ts';
import { PROVINCE_CODE } from '../../../core/regions.ts';
import { sampleAnswers, sampleValue } from '../form-filler.ts';

export interface SeedSubmission {
  /** A ULID whose time part is createdAt. */
  id: string;
  formId: string;
  formVersion: number;
  /** The village (desa) the submission comes from. */
  regionCode: string;
  /** Filed on the device. */
  createdAt: string;
  /** Received by the province. */
  receivedAt: string;
  statusHistory: StatusEvent[];
  /** True when the office used the service's one extension (PPID only). */
  extended: boolean;
  data: FormData;
}

export interface SeedOptions {
  count: number;
  seed?: number;
  /** Start of the period, an ISO instant; default 1 January 2026 00:00 WIB. */
  from?: string;
  /** Length of the period in days; default 365. */
  days?: number;
}

export interface TpsSize {
  villageCode: string;
  tps: string;
  voters: number;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** mulberry32: a small, fast 32-bit PRNG; plenty for test data, useless for secrets. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Rand = () => number;

function pick<T>(rand: Rand, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T;
}

/** Index chosen with probability proportional to its weight. */
function weighted(rand: Rand, weights: readonly number[], total: number): number {
  let x = rand() * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i] as number;
    if (x < 0) return i;
  }
  return weights.length - 1;
}

function exponential(rand: Rand, mean: number): number {
  return -Math.log(1 - rand()) * mean;
}

// Registered voters per regency, for the spread of submissions. Bangka and Pangkalpinang are the
// Pilkada 2024 figures (DOMAIN.md); the other five are approximations summing to the province's
// ~1.08 million.
const REGENCY_WEIGHT: Readonly<Record<string, number>> = {
  '19.01': 237_930,
  '19.02': 140_000,
  '19.03': 150_000,
  '19.04': 150_000,
  '19.05': 150_000,
  '19.06': 92_000,
  '19.71': 164_330,
};

/** How often each form is filed: coklit dominates in a year with a canvass. */
const FORM_WEIGHT: Readonly<Record<string, number>> = {
  'coklit-pilkada': 45,
  'tanggapan-dps': 12,
  skm: 15,
  'ppid-permohonan': 10,
  'pindah-memilih': 6,
  pengaduan: 5,
  'survei-tps': 3,
  'akreditasi-pemantau': 3,
  'keberatan-informasi': 1,
};

/** Forms an office answers; the others (coklit, TPS survey, SKM) are only received. */
const ANSWERED_FORMS: ReadonlySet<string> = new Set([
  'ppid-permohonan',
  'keberatan-informasi',
  'tanggapan-dps',
  'pindah-memilih',
  'pengaduan',
  'akreditasi-pemantau',
]);

/** Per regency: the share of SLA requests answered on time, and the SKM score level. */
const REGENCY_PROFILE: Readonly<Record<string, { onTime: number; skm: number }>> = {
  '19.01': { onTime: 0.86, skm: 3.25 },
  '19.02': { onTime: 0.9, skm: 3.4 },
  '19.03': { onTime: 0.7, skm: 2.85 },
  '19.04': { onTime: 0.8, skm: 3.1 },
  '19.05': { onTime: 0.75, skm: 2.95 },
  '19.06': { onTime: 0.82, skm: 3.2 },
  '19.71': { onTime: 0.94, skm: 3.6 },
};

function regencyOf(code: string): string {
  return code.split('.').slice(0, 2).join('.');
}

/** The polling stations of a village, fixed by its code: 2–8 of them, 180–560 voters each. */
export function tpsOfVillage(villageCode: string): TpsSize[] {
  let h = 0;
  for (const ch of villageCode) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  const rand = prng(h);
  const count = 2 + Math.floor(rand() * 7);
  return Array.from({ length: count }, (_, i) => ({
    villageCode,
    tps: String(i + 1).padStart(3, '0'),
    voters: 180 + Math.floor(rand() * 381),
  }));
}

/** Every village's polling stations: the assignment sizes for coklit coverage. */
export function allTpsSizes(): TpsSize[] {
  return REGION_CATALOG.villages.flatMap((v) => tpsOfVillage(v.code));
}

/** A valid answer set with some answers fixed, filling whatever those answers make visible. */
function templateWith(form: FormDef, preset: FormData): FormData {
  const data: FormData = { ...sampleAnswers(form), ...preset };
  for (let pass = 0; pass < 2; pass++) {
    for (const field of form.fields) {
      if (!isVisible(form, field, data)) {
        delete data[field.name];
      } else if (data[field.name] === undefined) {
        const value = sampleValue(form, field, data);
        if (value !== undefined) data[field.name] = value;
      }
    }
  }
  return data;
}

/**
 * Answers that carry the submission's region: region fields at their level, the office chosen in
 * the form's office field (the PPID request's "ditujukan kepada", the SKM's rated office).
 */
function regionAnswers(form: FormDef, template: FormData, village: string, office: string): FormData {
  const out: FormData = {};
  const scopeField = scopeFieldOf(form);
  for (const field of form.fields) {
    // Only fields the template answers: others are hidden by its choices (e.g. a destination
    // village when the voter moves out of the province).
    if (template[field.name] === undefined) continue;
    if (field.type === 'region') {
      const depth = { regency: 2, district: 3, village: 4 }[field.level ?? 'village'];
      out[field.name] = village.split('.').slice(0, depth).join('.');
    } else if (field.type === 'choice' && field.name === scopeField) {
      out[field.name] = office;
    }
  }
  return out;
}

/** The share of SKM answers still made on version 1 (no office named: they count at the province). */
const SKM_V1_SHARE = 0.25;

const COKLIT_OUTCOMES = ['sesuai', 'ubah', 'tms', 'baru'] as const;
const COKLIT_OUTCOME_WEIGHT = [67, 20, 8, 5];

/** A NIK of the village's district: birth date with +40 on the day for women, serial ≠ 0000. */
function nikFor(rand: Rand, village: string, serial: number): string {
  const district = village.split('.').slice(0, 3).join('');
  const female = rand() < 0.5;
  const day = 1 + Math.floor(rand() * 28) + (female ? 40 : 0);
  const month = 1 + Math.floor(rand() * 12);
  const year = Math.floor(rand() * 100);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${district}${two(day)}${two(month)}${two(year)}${String(1 + (serial % 9999)).padStart(4, '0')}`;
}

/** An instant at a random office hour (08:00–16:00 WIB) of a WIB date. */
function officeTime(rand: Rand, date: string): number {
  return Date.parse(`${date}T08:00:00+07:00`) + Math.floor(rand() * 8 * HOUR_MS);
}

/** Device → province: minutes on the main islands' towns, hours to days on small islands. */
function syncDelay(rand: Rand, smallIsland: boolean): number {
  if (smallIsland) {
    // Boat trips to signal, evening syncs: at least an hour, typically a day.
    return HOUR_MS + exponential(rand, 30 * HOUR_MS);
  }
  if (rand() < 0.75) return 5_000 + exponential(rand, 8 * 60_000);
  return exponential(rand, 6 * HOUR_MS);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * `count` submissions over the period, in filing order. The period's end is "now": no event
 * lies after it, so the most recent requests are still open.
 */
export function generateSubmissions(options: SeedOptions): SeedSubmission[] {
  const { count, seed = 1, from = '2026-01-01T00:00:00+07:00', days = 365 } = options;
  if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be a whole number ≥ 0');
  const rand = prng(seed);
  const start = Date.parse(from);
  const end = start + days * DAY_MS;

  const forms = latestForms(PUBLISHED_FORMS).filter((f) => FORM_WEIGHT[f.formId] !== undefined);
  const formWeights = forms.map((f) => FORM_WEIGHT[f.formId] as number);
  const formTotal = formWeights.reduce((a, b) => a + b, 0);

  const regencies = Object.keys(REGENCY_WEIGHT);
  const regencyWeights = regencies.map((r) => REGENCY_WEIGHT[r] as number);
  const regencyTotal = regencyWeights.reduce((a, b) => a + b, 0);
  const villagesOf = new Map(regencies.map((r) => [r, REGION_CATALOG.villages.filter((v) => regencyOf(v.code) === r).map((v) => v.code)]));

  const smallIsland = new Set(
    REGION_CATALOG.villages.map((v) => v.code).filter((v) => ![ISLAND_BANGKA, ISLAND_BELITUNG].includes(islandOfVillage(v))),
  );
  const stations = new Map<string, TpsSize[]>();

  const skmV1 = findForm(PUBLISHED_FORMS, 'skm', 1);
  const base = new Map([...forms, ...(skmV1 ? [skmV1] : [])].map((f) => [f, sampleAnswers(f)]));
  const coklit = forms.find((f) => f.formId === 'coklit-pilkada');
  const coklitTemplates = new Map(
    coklit ? COKLIT_OUTCOMES.map((hasil) => [hasil, templateWith(coklit, { hasil })]) : [],
  );

  const out: SeedSubmission[] = [];
  let serial = 0;
  const lastNik = new Map<string, string>();
  for (let n = 0; n < count; n++) {
    let form = forms[weighted(rand, formWeights, formTotal)] as FormDef;
    if (form.formId === 'skm' && skmV1 && rand() < SKM_V1_SHARE) form = skmV1;
    const regency = regencies[weighted(rand, regencyWeights, regencyTotal)] as string;
    const village = pick(rand, villagesOf.get(regency) as string[]);
    const profile = REGENCY_PROFILE[regency] as { onTime: number; skm: number };
    const delay = syncDelay(rand, smallIsland.has(village));

    // Filed mostly in waking hours (06:00–22:00 WIB), on any day of the period, received by its end.
    const dayStart = start + Math.floor(rand() * days) * DAY_MS;
    let created = dayStart + (6 + rand() * 16) * HOUR_MS;
    if (created + delay > end) created = end - delay - rand() * HOUR_MS;
    created = Math.max(start, Math.floor(created));
    const received = Math.min(end, Math.floor(created + delay));

    const office = rand() < 0.2 ? PROVINCE_CODE : regency;
    const template = base.get(form) as FormData;
    let data: FormData = { ...template, ...regionAnswers(form, template, village, office) };
    if (form.formId === 'coklit-pilkada') {
      const hasil = COKLIT_OUTCOMES[weighted(rand, COKLIT_OUTCOME_WEIGHT, 100)] as (typeof COKLIT_OUTCOMES)[number];
      let villageStations = stations.get(village);
      if (!villageStations) stations.set(village, (villageStations = tpsOfVillage(village)));
      const tps = pick(rand, villageStations).tps;
      // About 2 % record again a voter already recorded at that TPS (a second visit).
      const key = `${village}/${tps}`;
      const again = rand() < 0.02 ? lastNik.get(key) : undefined;
      const nik = again ?? nikFor(rand, village, ++serial);
      lastNik.set(key, nik);
      data = { ...(coklitTemplates.get(hasil) as FormData), desa: village, tps, nik };
    } else if (form.formId === 'skm') {
      data = { ...data };
      for (const element of SKM_ELEMENTS) {
        // Service is free of charge: U4 (cost) is nearly always 4.
        const level = element === 'u4Biaya' ? 3.9 : profile.skm;
        const s = Math.min(4, Math.max(1, Math.round(level + (rand() - 0.5) * 1.6)));
        data[element] = String(s);
      }
    }

    const history: StatusEvent[] = [{ status: 'diterima', at: iso(received) }];
    let extended = false;
    if (ANSWERED_FORMS.has(form.formId)) {
      let doneAt: number;
      if (form.sla) {
        const { workingDays, extensionWorkingDays = 0 } = form.sla;
        extended = extensionWorkingDays > 0 && rand() < 0.1;
        const limit = workingDays + (extended ? extensionWorkingDays : 0);
        const k = rand() < profile.onTime ? 1 + Math.floor(rand() * limit) : limit + 1 + Math.floor(rand() * 10);
        doneAt = officeTime(rand, addWorkingDays(localDate(iso(received)), k));
      } else {
        doneAt = received + HOUR_MS + exponential(rand, (rand() < profile.onTime ? 3 : 12) * DAY_MS);
      }
      if (rand() < 0.8) {
        const u = rand();
        const takenUp = received + Math.floor((doneAt - received) * u * u * 0.5);
        if (takenUp <= end) history.push({ status: 'diproses', at: iso(takenUp) });
      }
      if (doneAt <= end) {
        const refused = rand() < 0.12;
        history.push({
          status: refused ? 'ditolak' : 'selesai',
          at: iso(doneAt),
          answer: refused ? 'Permohonan tidak dapat dipenuhi (data uji).' : 'Permohonan telah dijawab (data uji).',
        });
      }
    }

    let id = encodeTime(created);
    for (let i = 0; i < 16; i++) id += ALPHABET[Math.floor(rand() * 32)];
    out.push({
      id,
      formId: form.formId,
      formVersion: form.version,
      regionCode: village,
      createdAt: iso(created),
      receivedAt: iso(received),
      statusHistory: history,
      extended,
      data,
    });
  }
  return out;
}
