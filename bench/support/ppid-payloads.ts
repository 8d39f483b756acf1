// Realistic PPID requests for the benchmarks. The sizes and gzip ratios the benchmarks report are
// only honest if the payloads look like what residents type: different people, NIKs, phones,
// villages and wording in every submission, drawn from a seeded PRNG so runs are reproducible.
// Built on the form filler's sampleAnswers (so every field the form asks for is present) and then
// overridden with varied values; every answer set passes the one validator before it is used.
import { ppidPermohonanV1 } from '../../core/forms/catalog/ppid-permohonan.ts';
import type { FormData, FormDef } from '../../core/forms/definition.ts';
import { validateForm } from '../../core/forms/validate.ts';
import { ulid } from '../../core/ids.ts';
import type { SubmissionEnvelope } from '../../core/protocol.ts';
import { REGENCIES } from '../../core/regions.ts';
import { buildEnvelope } from '../../src/db/outbox.ts';
import { sampleAnswers } from '../../tests/support/form-filler.ts';
import { createPrng } from '../../tests/support/weak-link/prng.ts';

export const PPID: FormDef = ppidPermohonanV1;

type Rng = () => number;

const FIRST_F = ['Siti', 'Nur', 'Dewi', 'Rina', 'Yuliana', 'Maryam', 'Fitri', 'Suryani', 'Aisyah', 'Lestari', 'Wahyuni', 'Rohani', 'Mei Ling', 'Ratna', 'Halimah'];
const FIRST_M = ['Ahmad', 'Budi', 'Rahmat', 'Hendra', 'Syamsul', 'Yusuf', 'Agus', 'Darmawan', 'Ridwan', 'Akhmad', 'Suhardi', 'Ferry', 'Bong Kiat', 'Zulkifli', 'Rusli'];
const LAST = ['Aminah', 'Saputra', 'Hidayat', 'Kurniawan', 'Rahman', 'Susanto', 'Wijaya', 'Pratama', 'Lim', 'Syahputra', 'Harahap', 'Setiawan', 'Nasution', 'Tan', 'Marzuki', 'Effendi'];
const JOBS = ['Nelayan', 'Petani lada', 'Penambang timah', 'Guru honorer', 'Pedagang', 'Mahasiswa', 'Ibu rumah tangga', 'Wiraswasta', 'Perangkat desa', 'Buruh harian', 'Pegawai swasta', 'Bidan desa', 'Pengemudi ojek'];

/** Districts and villages per regency code; islands among them on purpose. */
const PLACES: Record<string, { kecamatan: string; desa: string[] }[]> = {
  '19.01': [
    { kecamatan: 'Sungailiat', desa: ['Sungailiat', 'Jelitik', 'Kenanga', 'Sinar Baru'] },
    { kecamatan: 'Belinyu', desa: ['Kuto Panji', 'Gunung Muda', 'Air Jukung', 'Bintet'] },
    { kecamatan: 'Riau Silip', desa: ['Riau', 'Cit', 'Pugul', 'Deniang'] },
  ],
  '19.02': [
    { kecamatan: 'Selat Nasik', desa: ['Selat Nasik', 'Petaling', 'Suak Gual', 'Pulau Gersik'] },
    { kecamatan: 'Membalong', desa: ['Mendanau', 'Pulau Seliu', 'Kembiri', 'Tanjung Rusa'] },
    { kecamatan: 'Tanjung Pandan', desa: ['Air Saga', 'Dukong', 'Kota', 'Pangkal Lalang'] },
  ],
  '19.03': [
    { kecamatan: 'Lepar Pongok', desa: ['Tanjung Labu', 'Penutuk', 'Tanjung Sangkar', 'Kumbung'] },
    { kecamatan: 'Kepulauan Pongok', desa: ['Pongok', 'Celagen'] },
    { kecamatan: 'Toboali', desa: ['Tanjung Ketapang', 'Jeriji', 'Rias', 'Gadung'] },
  ],
  '19.04': [
    { kecamatan: 'Koba', desa: ['Padang Mulia', 'Arung Dalam', 'Nibung', 'Kurau'] },
    { kecamatan: 'Lubuk Besar', desa: ['Lubuk Lingkuk', 'Perlang', 'Kulur', 'Belimbing'] },
  ],
  '19.05': [
    { kecamatan: 'Muntok', desa: ['Belo Laut', 'Air Putih', 'Sungai Baru', 'Tanjung'] },
    { kecamatan: 'Jebus', desa: ['Sinar Manik', 'Pangkal Beras', 'Ketap', 'Rambat'] },
  ],
  '19.06': [
    { kecamatan: 'Manggar', desa: ['Lalang', 'Baru', 'Padang', 'Mekar Jaya'] },
    { kecamatan: 'Kelapa Kampit', desa: ['Mentawak', 'Senyubuk', 'Buding', 'Pembaharuan'] },
  ],
  '19.71': [
    { kecamatan: 'Bukit Intan', desa: ['Sinar Bulan', 'Temberan', 'Air Itam', 'Bacang'] },
    { kecamatan: 'Gerunggang', desa: ['Tua Tunu', 'Kacang Pedang', 'Bukit Merapen', 'Taman Bunga'] },
  ],
};

const STREETS = ['Jl. Merdeka', 'Jl. Jenderal Sudirman', 'Jl. Pantai', 'Jl. Pelabuhan', 'Jl. Masjid Jamik', 'Gg. Nelayan', 'Jl. Raya Koba', 'Jl. Sekolah', 'Dusun Pasir Putih', 'Jl. Kampung Baru'];

const DOCUMENTS = [
  'salinan Daftar Pemilih Tetap (DPT)',
  'rekapitulasi hasil pencocokan dan penelitian (coklit)',
  'salinan formulir Model C.Hasil',
  'daftar nama anggota KPPS',
  'salinan keputusan penetapan calon terpilih',
  'data pemilih disabilitas',
  'laporan dana kampanye peserta pemilu',
  'salinan berita acara rekapitulasi tingkat kecamatan',
  'daftar lokasi TPS',
  'jadwal pemutakhiran data pemilih',
];
const ELECTIONS = ['Pemilu 2024', 'Pemilihan Gubernur dan Wakil Gubernur 2024', 'Pemilihan Bupati 2024', 'Pemilihan Wali Kota 2024', 'Pemilu 2019'];
const DETAILS = [
  'termasuk jumlah pemilih laki-laki dan perempuan per TPS',
  'beserta catatan perbaikan dari petugas pantarlih',
  'dalam bentuk tabel per desa',
  'untuk pemilih yang pindah domisili ke luar pulau',
  'yang sudah ditandatangani ketua dan anggota',
  'serta jumlah surat suara sah dan tidak sah',
  'dan daftar pemilih tambahan (DPTb) bila ada',
  'dengan nama petugas yang bertanggung jawab',
];
const REASONS = [
  'Di desa kami sinyal sering hilang berhari-hari sehingga kami tidak bisa mengecek secara daring.',
  'Beberapa warga yang sudah meninggal dunia masih tercatat sebagai pemilih.',
  'Keluarga kami pindah dari pulau lain dan belum yakin sudah terdaftar.',
  'Kapal ke Toboali hanya ada dua kali seminggu, jadi kami tidak bisa datang ke kantor KPU.',
  'Ada perbedaan jumlah pemilih antara papan pengumuman di balai desa dan keterangan petugas.',
  'Kami ingin memastikan nelayan yang sering melaut tetap bisa memilih.',
  'Data ini akan dibandingkan dengan catatan kependudukan desa.',
  'Anak saya baru berumur tujuh belas tahun dan belum menerima pemberitahuan apa pun.',
  'Waktu pengumuman DPS kami sedang di laut sehingga tidak sempat memeriksa.',
  'Ibu saya sudah lanjut usia dan tidak bisa berjalan jauh ke TPS yang lama.',
  'Menurut tetangga, TPS di dekat dermaga akan dipindahkan ke sekolah dasar.',
  'Kantor desa tutup sejak banjir bulan lalu sehingga salinan yang ditempel sudah rusak.',
  'Kami mendengar ada pemilih ganda di dusun sebelah tetapi belum ada penjelasan resmi.',
  'Beberapa pekerja tambang dari luar daerah tinggal sementara di mes perusahaan.',
  'Saya pernah bertugas sebagai anggota KPPS dan ingin mencocokkan catatan saya sendiri.',
  'Listrik di pulau hanya menyala malam hari, jadi kami jarang bisa membuka situs web.',
];
const OPENINGS = [
  'Dengan hormat,',
  'Yth. PPID KPU,',
  'Selamat siang Bapak/Ibu petugas.',
  'Assalamualaikum.',
  'Saya warga {desa} ingin bertanya.',
  'Bersama ini saya mengajukan permohonan informasi.',
  '',
];
const CLOSINGS = [
  'Terima kasih atas bantuannya.',
  'Atas perhatiannya saya ucapkan terima kasih.',
  'Mohon dikirim secepatnya karena akan dibahas pada rapat desa tanggal {day} {month}.',
  'Bila ada biaya penggandaan, mohon diberi tahu terlebih dahulu.',
  'Saya bisa dihubungi lewat nomor di atas setelah pukul {hour}.00.',
  '',
];
const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];
const PURPOSES = [
  'Penelitian skripsi tentang partisipasi pemilih di pulau-pulau kecil',
  'Bahan musyawarah desa dan laporan kepada warga',
  'Pemantauan pemilu oleh organisasi masyarakat sipil setempat',
  'Memastikan anggota keluarga terdaftar sebagai pemilih',
  'Bahan liputan media lokal',
  'Arsip dan transparansi di tingkat RT/RW',
  'Tugas mata kuliah hukum tata negara',
  'Menyiapkan sosialisasi pemilu untuk kelompok nelayan',
  'Laporan kegiatan karang taruna',
  'Pengecekan data sebelum pengajuan keberatan',
];

const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
const digits = (rng: Rng, n: number): string => Array.from({ length: n }, () => Math.floor(rng() * 10)).join('');
const between = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
const pad2 = (n: number): string => String(n).padStart(2, '0');

/** A NIK that passes the structure rules: province 19, a real regency, a valid date, serial ≠ 0000. */
function nikFor(rng: Rng, regency: string, female: boolean): string {
  const day = between(rng, 1, 28);
  const serial = String(between(rng, 1, 9999)).padStart(4, '0');
  return `19${regency.slice(3, 5)}${pad2(between(rng, 1, 9))}${pad2(female ? day + 40 : day)}${pad2(between(rng, 1, 12))}${pad2(between(rng, 60, 99))}${serial}`;
}

function fillIn(rng: Rng, template: string, desa: string): string {
  return template
    .replace('{desa}', desa)
    .replace('{day}', String(between(rng, 1, 28)))
    .replace('{month}', pick(rng, MONTHS))
    .replace('{hour}', String(between(rng, 13, 20)));
}

function sentenceAbout(rng: Rng, desa: string, kecamatan: string): string {
  const tps = String(between(rng, 1, 24)).padStart(3, '0');
  switch (Math.floor(rng() * 4)) {
    case 0:
      return `Mohon ${pick(rng, DOCUMENTS)} untuk TPS ${tps} Desa ${desa}, Kecamatan ${kecamatan}, pada ${pick(rng, ELECTIONS)}, ${pick(rng, DETAILS)}.`;
    case 1:
      return `Saya memerlukan ${pick(rng, DOCUMENTS)} ${pick(rng, DETAILS)} di wilayah ${desa} sejak ${pick(rng, MONTHS)} ${between(rng, 2018, 2025)}.`;
    case 2:
      return `Menurut catatan kami ada sekitar ${between(rng, 90, 640)} pemilih di TPS ${tps}, sedangkan di papan pengumuman tertulis ${between(rng, 90, 640)}; mohon ${pick(rng, DOCUMENTS)} agar bisa dicocokkan.`;
    default:
      return `Apakah ${pick(rng, DOCUMENTS)} untuk Kecamatan ${kecamatan} sudah bisa diminta, ${pick(rng, DETAILS)}?`;
  }
}

/** Appends sentences until the text is about `target` characters, never above `max`. */
function textOf(rng: Rng, target: number, max: number, next: () => string): string {
  let text = '';
  let misses = 0;
  while (text.length < target && misses < 20) {
    const sentence = next();
    // People do not repeat a sentence word for word; a repeat would also flatter gzip.
    if (text.includes(sentence)) {
      misses++;
      continue;
    }
    const joined = text === '' ? sentence : `${text} ${sentence}`;
    if (joined.length > max) break;
    text = joined;
  }
  return text;
}

export interface PpidOptions {
  /** Target length of the request text (rincianInformasi); the form allows 2000. */
  detailChars?: number;
  /** Target length of the purpose text (tujuanPenggunaan); the form allows 1000. */
  purposeChars?: number;
}

/**
 * One resident's answers. With the defaults the envelope's JSON is about 1 KB, the size of a
 * typical request (and of a coklit record); larger targets give the long letters some people write.
 */
export function ppidAnswers(rng: Rng, options: PpidOptions = {}): FormData {
  const { detailChars = 440, purposeChars = 110 } = options;
  const regency = pick(rng, REGENCIES);
  const place = pick(rng, PLACES[regency.code] ?? PLACES['19.01']!);
  const desa = pick(rng, place.desa);
  const female = rng() < 0.5;
  const nama = `${pick(rng, female ? FIRST_F : FIRST_M)} ${pick(rng, LAST)}`;
  const byEmail = rng() < 0.3;
  const opening = fillIn(rng, pick(rng, OPENINGS), desa);
  const closing = fillIn(rng, pick(rng, CLOSINGS), desa);
  const body = textOf(rng, detailChars - opening.length - closing.length, 2000 - opening.length - closing.length - 2, () =>
    rng() < 0.65 ? sentenceAbout(rng, desa, place.kecamatan) : pick(rng, REASONS),
  );
  const detail = [opening, body, closing].filter((part) => part !== '').join(' ');
  // Past the first sentence or two, people explain their circumstances.
  const purpose = textOf(rng, purposeChars, 1000, () => (rng() < 0.6 ? `${pick(rng, PURPOSES)}.` : pick(rng, REASONS)));
  const answers: FormData = {
    // The filler's answers first, so a field added to the form later is still filled.
    ...sampleAnswers(PPID),
    ditujukanKepada: rng() < 0.2 ? '19' : regency.code,
    nik: nikFor(rng, regency.code, female),
    nama,
    alamat: `${pick(rng, STREETS)} No. ${between(rng, 1, 120)}, RT ${pad2(between(rng, 1, 15))}/RW ${pad2(between(rng, 1, 6))}, Desa ${desa}, Kecamatan ${place.kecamatan}, ${regency.name}`,
    pekerjaan: pick(rng, JOBS),
    telepon: `08${pick(rng, ['11', '12', '13', '21', '22', '52', '53', '77', '78', '95'])} ${digits(rng, 4)} ${digits(rng, between(rng, 3, 5))}`,
    rincianInformasi: detail,
    tujuanPenggunaan: purpose,
    caraMenerima: byEmail ? 'email' : pick(rng, ['salinan', 'ambil']),
  };
  if (byEmail) answers.email = `${nama.toLowerCase().replace(/[^a-z]+/g, '.')}${between(rng, 1, 99)}@${pick(rng, ['gmail.com', 'yahoo.co.id', 'contoh.id'])}`;
  else delete answers.email;
  const verdict = validateForm(PPID, answers);
  // A benchmark on payloads the server refuses would measure the wrong path.
  if (verdict.errors.length > 0) throw new Error(`bench payload invalid: ${JSON.stringify(verdict.errors)}`);
  return answers;
}

/** The longest request the form accepts, written out: every text field near its maximum. */
export function longPpidAnswers(rng: Rng): FormData {
  const answers = ppidAnswers(rng, { detailChars: 2000, purposeChars: 1000 });
  // The address and occupation as long as the form lets them be, said the way people write them.
  const alamat = `${answers.alamat ?? ''}, Provinsi Kepulauan Bangka Belitung, di belakang gudang lada milik keluarga, dekat dermaga perahu nelayan dan surau, rumah panggung bercat hijau di sebelah kanan jalan setapak menuju pantai, sekitar dua ratus meter dari balai desa dan sekolah dasar negeri`;
  answers.alamat = alamat.slice(0, 300).trim();
  answers.pekerjaan = `${answers.pekerjaan ?? ''}, sambil berjualan ikan asin dan kerupuk di pasar pagi desa serta menjadi relawan`.slice(0, 100).trim();
  const verdict = validateForm(PPID, answers);
  if (verdict.errors.length > 0) throw new Error(`bench payload invalid: ${JSON.stringify(verdict.errors)}`);
  return answers;
}

export function createRng(seed: number): Rng {
  return createPrng(seed);
}

/** A ULID from the PRNG, time-ordered by `at`, so generated sets are reproducible. */
export function seededUlid(rng: Rng, at: number): string {
  return ulid(at, (bytes) => {
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rng() * 256);
    return bytes;
  });
}

/**
 * A ready envelope, built by the device's own buildEnvelope (cleaned answers, a fresh secret), for
 * load generators that bypass the device database.
 */
export function ppidEnvelope(rng: Rng, at: number): SubmissionEnvelope {
  return buildEnvelope(PPID, seededUlid(rng, at), ppidAnswers(rng), at);
}
