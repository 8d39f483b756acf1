// A province's voter list, generated for bench:voters: voters spread over the real villages of the
// catalogue and a fixed number of TPS, with Indonesian names (Malay, Islamic, Javanese and the
// Chinese-Indonesian names common on Bangka), families sharing a KK (and twins born the same day),
// NIKs valid for their district and birth date (core/nik.ts), and planted duplicates of each kind
// the search must find: the same NIK on a second record elsewhere (exact), and the same person
// listed again under another NIK with the name written another way (likely). Deterministic per seed.
import { REGION_CATALOG } from '../../core/regions/catalog.generated.ts';
import type { DuplicateKind } from '../../core/duplicates/rules.ts';
import type { VoterCard } from '../../server/repositories/voter-duplicates.ts';

export interface GeneratedVoter extends VoterCard {
  jenisKelamin: 'L' | 'P';
}

export interface PlantedPair {
  a: string;
  b: string;
  /** exact: the same NIK; likely: another NIK, the same person by name and birth date. */
  planted: 'exact' | 'likely';
  /** How the second record's name was written. */
  variant: string;
}

export interface GeneratedList {
  voters: GeneratedVoter[];
  planted: PlantedPair[];
  tps: number;
  villages: number;
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MALE = [
  'Ahmad', 'Muhammad', 'Abdul', 'Agus', 'Budi', 'Bambang', 'Dedi', 'Eko', 'Fajar', 'Hendra', 'Hasan', 'Husin', 'Indra', 'Joko', 'Rudi', 'Rahmat',
  'Yusuf', 'Rizky', 'Arif', 'Andi', 'Ilham', 'Irwan', 'Zulkifli', 'Syahrul', 'Hamzah', 'Ismail', 'Iskandar', 'Junaidi', 'Kurniawan', 'Lukman', 'Mahmud',
  'Nasrul', 'Rusli', 'Sofyan', 'Taufik', 'Wahyu', 'Yudi', 'Zainal', 'Firdaus', 'Hairul', 'Saiful', 'Suparman', 'Sutrisno', 'Slamet', 'Darmawan',
  'Erwin', 'Gunawan', 'Heri', 'Jamal', 'Khairul', 'Mulyadi', 'Nurdin', 'Rafli', 'Ridwan', 'Samsul', 'Usman', 'Wawan', 'Yanto', 'Amir', 'Baharudin',
  'Fauzi', 'Haris', 'Imran', 'Johan', 'Kadir', 'Marzuki', 'Rosidi', 'Sahrudin', 'Tarmizi', 'Umar', 'Aliong', 'Akiong', 'Ahok', 'Afung', 'Asan',
];
const FEMALE = [
  'Siti', 'Nur', 'Dewi', 'Sri', 'Rina', 'Rini', 'Fitri', 'Ani', 'Yuni', 'Lestari', 'Wulan', 'Aisyah', 'Fatimah', 'Khadijah', 'Aminah', 'Maryam',
  'Nurhayati', 'Rahmawati', 'Suryani', 'Kartini', 'Halimah', 'Hasanah', 'Juliana', 'Kurniasih', 'Lina', 'Maya', 'Mega', 'Novi', 'Puspita', 'Ratna',
  'Rosmawati', 'Salmah', 'Safitri', 'Sumarni', 'Tuti', 'Umi', 'Wati', 'Yanti', 'Zubaidah', 'Desi', 'Eka', 'Fitriani', 'Herlina', 'Indah', 'Julaiha',
  'Kamsiah', 'Marlina', 'Nurul', 'Puji', 'Rohani', 'Sarinah', 'Winda', 'Asmah', 'Mariani', 'Apui', 'Amoi', 'Lina', 'Meliana', 'Susanti',
];
const SECOND = [
  'Saputra', 'Saputri', 'Pratama', 'Hidayat', 'Hidayati', 'Rahman', 'Hakim', 'Wijaya', 'Setiawan', 'Santoso', 'Susanto', 'Kurniawan', 'Ramadhan',
  'Nugroho', 'Firmansyah', 'Syahputra', 'Maulana', 'Hasibuan', 'Effendi', 'Gunawan', 'Lestari', 'Anggraini', 'Permata', 'Sari', 'Utami', 'Wahyuni',
  'Handayani', 'Rohman', 'Basri', 'Bakar', 'Ali', 'Amin', 'Hamid', 'Karim', 'Latif', 'Malik', 'Rasyid', 'Salim', 'Zakaria', 'Aminah', 'Aisyah',
  'Fadilah', 'Azizah', 'Bong', 'Lim', 'Tan', 'Liong', 'Tjhin', 'Fui', 'Kiong', 'Sui', 'Jaya', 'Putra', 'Putri', 'Kusuma', 'Prasetyo', 'Syarif',
];
const TITLES = ['H.', 'Hj.', 'Drs.', 'Dra.', 'Ir.'];
const DEGREES = [', S.Pd.', ', S.E.', ', S.H.', ' S.Kom', ', A.Md.', ', S.Sos.', ', S.Pd.I'];

/** The same name written the way another list or officer might: every one normalises to the same name. */
const SPELLINGS: readonly [string, (n: string) => string][] = [
  ['upper case', (n) => n.toUpperCase()],
  ['title', (n) => `H. ${n}`],
  ['degree', (n) => `${n}, S.Pd.`],
  ['Muhammad short', (n) => n.replace(/^Muhammad\b/, 'M.').replace(/^Ahmad\b/, 'Achmad')],
  ['old spelling', (n) => n.replace(/u/g, 'oe').replace(/j/g, 'dj').replace(/c/g, 'tj')],
  ['double letters', (n) => n.replace(/([aiueo])([a-z])/, '$1$2$2')],
  ['spacing', (n) => `  ${n.replace(/ /g, '   ')} `],
  ['Nur as Noor', (n) => (n.startsWith('Nur') ? n.replace(/^Nur/, 'Noor') : n.toLowerCase())],
];

const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)]!;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** One letter changed, dropped or doubled-then-changed in the longest word: a typing slip. */
function typo(r: () => number, name: string): string {
  const words = name.split(' ');
  let at = 0;
  words.forEach((w, i) => {
    if (w.length > words[at]!.length) at = i;
  });
  const w = words[at]!;
  const i = 2 + Math.floor(r() * Math.max(1, w.length - 3));
  const letters = 'aiueonrst';
  words[at] = r() < 0.5 ? w.slice(0, i) + w.slice(i + 1) : w.slice(0, i) + pick(r, [...letters].filter((c) => c !== w[i])) + w.slice(i + 1);
  return words.join(' ');
}

/**
 * The province's list: `voters` voters over `tps` TPS spread across the catalogue's villages, and
 * `share` of the voters planted again as duplicates of each kind (0.005: half a percent exact,
 * half a percent likely).
 */
export function generateVoterList(o: { voters: number; tps: number; share: number; seed: number }): GeneratedList {
  const r = rng(o.seed);
  const villages = REGION_CATALOG.villages.map((v) => v.code);
  const planted: PlantedPair[] = [];
  const voters: GeneratedVoter[] = [];
  const dupes = Math.round(o.voters * o.share);
  const base = o.voters - 2 * dupes;
  // TPS handed round the villages; each village's voters fill its TPS in turn.
  const tpsOfVillage = new Map<string, number>();
  for (let i = 0; i < o.tps; i++) tpsOfVillage.set(villages[i % villages.length]!, (tpsOfVillage.get(villages[i % villages.length]!) ?? 0) + 1);
  const villagesUsed = [...tpsOfVillage.keys()];
  const serials = new Map<string, number>();
  const nik = (village: string, born: string, sex: 'L' | 'P') => {
    const district = village.split('.').slice(0, 3).join('').slice(0, 6);
    const [y, m, d] = born.split('-');
    const stem = `${district}${pad(Number(d) + (sex === 'P' ? 40 : 0), 2)}${m}${y!.slice(2)}`;
    const next = (serials.get(stem) ?? 0) + 1;
    serials.set(stem, next);
    return `${stem}${pad(next, 4)}`;
  };
  let family: { kk: string; village: string; tps: string; left: number; twinBorn?: string } | undefined;
  let kkSerial = 0;
  const birthDate = () => {
    const age = 17 + Math.floor(r() * r() * 70);
    const day = Math.floor(r() * 365);
    const d = new Date(Date.UTC(2024 - age, 0, 1 + day));
    return d.toISOString().slice(0, 10);
  };
  const nameFor = (sex: 'L' | 'P') => {
    const first = pick(r, sex === 'L' ? MALE : FEMALE);
    const shape = r();
    if (shape < 0.2) return first;
    if (shape < 0.85) return `${first} ${pick(r, SECOND)}`;
    return `${first} ${pick(r, sex === 'L' ? MALE : FEMALE)} ${pick(r, SECOND)}`;
  };
  const written = (n: string) => {
    const x = r();
    if (x < 0.03) return `${pick(r, TITLES)} ${n}`;
    if (x < 0.05) return `${n}${pick(r, DEGREES)}`;
    return n;
  };
  let villageIndex = 0;
  let tpsInVillage = 0;
  let inTps = 0;
  const perTps = Math.ceil(base / o.tps);
  for (let i = 0; i < base; i++) {
    if (inTps >= perTps) {
      inTps = 0;
      tpsInVillage++;
      if (tpsInVillage >= tpsOfVillage.get(villagesUsed[villageIndex]!)!) {
        tpsInVillage = 0;
        villageIndex = (villageIndex + 1) % villagesUsed.length;
      }
      family = undefined;
    }
    inTps++;
    const village = villagesUsed[villageIndex]!;
    const tps = pad(tpsInVillage + 1, 3);
    if (!family || family.left <= 0) {
      kkSerial++;
      family = { kk: `${village.split('.').join('').slice(0, 6)}${pad(1 + (kkSerial % 28), 2)}${pad(1 + (kkSerial % 12), 2)}${pad(10 + (kkSerial % 14), 2)}${pad(kkSerial % 10000, 4)}`, village, tps, left: 1 + Math.floor(r() * 4) };
      // About one family in 60 has adult twins: the same KK and birth date, two names.
      if (r() < 1 / 60) family.twinBorn = birthDate();
    }
    family.left--;
    const sex: 'L' | 'P' = r() < 0.5 ? 'L' : 'P';
    const born = family.twinBorn && family.left <= 1 ? family.twinBorn : birthDate();
    voters.push({ key: `v${pad(i, 8)}`, nik: nik(village, born, sex), nama: written(nameFor(sex)), tanggalLahir: born, desa: village, tps, kk: family.kk, jenisKelamin: sex });
  }
  // Planted duplicates: a random listed voter listed again elsewhere.
  const otherVillage = (v: string) => {
    for (;;) {
      const w = pick(r, villagesUsed);
      if (w !== v) return w;
    }
  };
  for (let k = 0; k < dupes; k++) {
    const orig = voters[Math.floor(r() * base)]!;
    const village = otherVillage(orig.desa);
    const [label, spell] = pick(r, SPELLINGS);
    voters.push({ ...orig, key: `e${pad(k, 8)}`, nama: r() < 0.5 ? spell(orig.nama) : orig.nama, desa: village, tps: '001', kk: `${village.split('.').join('').slice(0, 6)}0101${pad(20 + (k % 70), 2)}${pad(k % 10000, 4)}` });
    planted.push({ a: orig.key, b: `e${pad(k, 8)}`, planted: 'exact', variant: label });
  }
  for (let k = 0; k < dupes; k++) {
    const orig = voters[Math.floor(r() * base)]!;
    const key = `l${pad(k, 8)}`;
    // Most move village with their name written another way; some are listed twice in their own
    // village (or family) with a typing slip.
    if (r() < 0.8) {
      const village = otherVillage(orig.desa);
      const [label, spell] = pick(r, SPELLINGS);
      voters.push({ ...orig, key, nik: nik(village, orig.tanggalLahir, orig.jenisKelamin), nama: spell(orig.nama), desa: village, tps: '001', kk: `${village.split('.').join('').slice(0, 6)}0202${pad(20 + (k % 70), 2)}${pad(k % 10000, 4)}` });
      planted.push({ a: orig.key, b: key, planted: 'likely', variant: label });
    } else {
      voters.push({ ...orig, key, nik: nik(orig.desa, orig.tanggalLahir, orig.jenisKelamin), nama: typo(r, orig.nama), tps: orig.tps });
      planted.push({ a: orig.key, b: key, planted: 'likely', variant: 'typo' });
    }
  }
  return { voters, planted, tps: o.tps, villages: villagesUsed.length };
}

/** Recall of each planted kind and precision of all found pairs against the planted set. */
export function scoreFound(planted: readonly PlantedPair[], found: Iterable<{ a: string; b: string; kind: DuplicateKind }>) {
  const key = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
  const plantedBy = new Map(planted.map((p) => [key(p.a, p.b), p]));
  const hit = { exact: 0, likely: 0 };
  const total = { exact: planted.filter((p) => p.planted === 'exact').length, likely: planted.filter((p) => p.planted === 'likely').length };
  let foundCount = 0;
  let truePositives = 0;
  const missedVariants = new Map<string, number>();
  const seen = new Set<string>();
  for (const f of found) {
    foundCount++;
    const p = plantedBy.get(key(f.a, f.b));
    if (!p) continue;
    truePositives++;
    seen.add(key(f.a, f.b));
    if (p.planted === 'exact' ? f.kind === 'nik' : true) hit[p.planted]++;
  }
  for (const p of planted) if (!seen.has(key(p.a, p.b))) missedVariants.set(`${p.planted}/${p.variant}`, (missedVariants.get(`${p.planted}/${p.variant}`) ?? 0) + 1);
  return {
    recallExact: total.exact === 0 ? 1 : hit.exact / total.exact,
    recallLikely: total.likely === 0 ? 1 : hit.likely / total.likely,
    precision: foundCount === 0 ? 1 : truePositives / foundCount,
    found: foundCount,
    truePositives,
    missed: [...missedVariants.entries()].sort((x, y) => y[1] - x[1]),
  };
}
