// Survei Kepuasan Masyarakat (SKM) under PermenPANRB 14/2017: the nine service elements, each
// scored 1–4 with the regulation's standard wording, and the respondent's profile. Answers are
// anonymous; the scores feed the IKM (sum of element means × 1/9 × 25). Version 1 does not say
// which office is rated, so its answers count at the province; version 2 asks, so each KPU office
// (the province's and the seven regencies') gets its own IKM.
import type { FieldDef, FormDef } from '../definition.ts';
import { KPU_OFFICES, SEX } from './common.ts';

/** The element fields, in the regulation's order, for the IKM maths. */
export const SKM_ELEMENTS = [
  'u1Persyaratan',
  'u2Prosedur',
  'u3Waktu',
  'u4Biaya',
  'u5Produk',
  'u6Kompetensi',
  'u7Perilaku',
  'u8Pengaduan',
  'u9Sarana',
] as const;

export const skmV1: FormDef = {
  formId: 'skm',
  version: 1,
  formatVersion: 2,
  audience: 'public',
  title: { id: 'Survei Kepuasan Masyarakat (SKM)', en: 'Public satisfaction survey (SKM)' },
  summary: {
    id: 'Nilai layanan KPU yang Anda terima: sembilan unsur, masing-masing 1 sampai 4. Tanpa nama.',
    en: 'Rate the KPU service you received: nine elements, each 1 to 4. Anonymous.',
  },
  nextSteps: {
    id:
      'Jawaban Anda digabung dengan jawaban responden lain menjadi Indeks Kepuasan Masyarakat (IKM). KPU Provinsi ' +
      'mengumumkan hasilnya paling sedikit sekali setahun dan menindaklanjuti unsur yang nilainya rendah. Survei ini ' +
      'tidak dijawab satu per satu.',
    en:
      'Your answers are combined with those of other respondents into the satisfaction index (IKM). KPU of the province ' +
      'publishes the result at least once a year and acts on the elements that score low. Individual answers get no reply.',
  },
  titleField: 'layanan',
  fields: [
    { name: 'profil', type: 'section', label: { id: 'Tentang Anda', en: 'About you' } },
    {
      name: 'layanan',
      type: 'choice',
      label: { id: 'Layanan yang Anda terima', en: 'The service you used' },
      required: true,
      choices: [
        { value: 'informasi', label: { id: 'Permohonan informasi publik', en: 'Public information request' } },
        { value: 'keberatan', label: { id: 'Keberatan informasi', en: 'Information objection' } },
        { value: 'daftar_pemilih', label: { id: 'Daftar pemilih (tanggapan DPS, cek status)', en: 'Voter list (DPS response, status check)' } },
        { value: 'pindah_memilih', label: { id: 'Pindah memilih', en: 'Voting elsewhere' } },
        { value: 'akreditasi', label: { id: 'Akreditasi pemantau/media', en: 'Observer/media accreditation' } },
        { value: 'pengaduan', label: { id: 'Pengaduan dan saran', en: 'Complaints and suggestions' } },
        { value: 'lainnya', label: { id: 'Lainnya', en: 'Other' } },
      ],
    },
    { name: 'jenisKelamin', type: 'choice', label: { id: 'Jenis kelamin', en: 'Sex' }, required: true, choices: SEX },
    {
      name: 'umur',
      type: 'choice',
      label: { id: 'Umur', en: 'Age' },
      required: true,
      choices: [
        { value: '17-25', label: { id: '17–25 tahun', en: '17–25 years' } },
        { value: '26-35', label: { id: '26–35 tahun', en: '26–35 years' } },
        { value: '36-45', label: { id: '36–45 tahun', en: '36–45 years' } },
        { value: '46-55', label: { id: '46–55 tahun', en: '46–55 years' } },
        { value: '56+', label: { id: '56 tahun ke atas', en: '56 years or more' } },
      ],
    },
    {
      name: 'pendidikan',
      type: 'choice',
      label: { id: 'Pendidikan terakhir', en: 'Education' },
      required: true,
      choices: [
        { value: 'sd', label: { id: 'SD ke bawah', en: 'Primary school or less' } },
        { value: 'smp', label: { id: 'SMP', en: 'Junior secondary' } },
        { value: 'sma', label: { id: 'SMA/sederajat', en: 'Senior secondary' } },
        { value: 'diploma', label: { id: 'D1–D3', en: 'Diploma' } },
        { value: 's1', label: { id: 'D4/S1', en: "Bachelor's" } },
        { value: 's2', label: { id: 'S2 ke atas', en: "Master's or higher" } },
      ],
    },
    {
      name: 'pekerjaan',
      type: 'choice',
      label: { id: 'Pekerjaan utama', en: 'Main occupation' },
      required: true,
      choices: [
        { value: 'pns', label: { id: 'PNS/ASN', en: 'Civil servant' } },
        { value: 'tni_polri', label: { id: 'TNI/Polri', en: 'Armed forces/police' } },
        { value: 'swasta', label: { id: 'Pegawai swasta', en: 'Private employee' } },
        { value: 'wirausaha', label: { id: 'Wirausaha', en: 'Self-employed' } },
        { value: 'nelayan_petani', label: { id: 'Nelayan/petani', en: 'Fisher/farmer' } },
        { value: 'pelajar', label: { id: 'Pelajar/mahasiswa', en: 'Student' } },
        { value: 'lainnya', label: { id: 'Lainnya', en: 'Other' } },
      ],
    },
    { name: 'penilaian', type: 'section', label: { id: 'Penilaian layanan', en: 'Your rating' }, help: { id: '1 = paling rendah, 4 = paling tinggi.', en: '1 = lowest, 4 = highest.' } },
    {
      name: 'u1Persyaratan',
      type: 'choice',
      label: { id: 'U1. Persyaratan: Bagaimana pendapat Saudara tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?', en: 'U1. Requirements: How well do the requirements of the service fit the kind of service?' },
      required: true,
      choices: [
        { value: '1', label: { id: '1 Tidak sesuai', en: '1 Not fitting' } },
        { value: '2', label: { id: '2 Kurang sesuai', en: '2 Barely fitting' } },
        { value: '3', label: { id: '3 Sesuai', en: '3 Fitting' } },
        { value: '4', label: { id: '4 Sangat sesuai', en: '4 Very fitting' } },
      ],
    },
    {
      name: 'u2Prosedur',
      type: 'choice',
      label: { id: 'U2. Sistem, mekanisme, dan prosedur: Bagaimana pemahaman Saudara tentang kemudahan prosedur pelayanan di unit ini?', en: 'U2. System, mechanism and procedure: How easy is the procedure of this service?' },
      required: true,
      choices: [
        { value: '1', label: { id: '1 Tidak mudah', en: '1 Not easy' } },
        { value: '2', label: { id: '2 Kurang mudah', en: '2 Not very easy' } },
        { value: '3', label: { id: '3 Mudah', en: '3 Easy' } },
        { value: '4', label: { id: '4 Sangat mudah', en: '4 Very easy' } },
      ],
    },
    {
      name: 'u3Waktu',
      type: 'choice',
      label: { id: 'U3. Waktu penyelesaian: Bagaimana pendapat Saudara tentang kecepatan waktu dalam memberikan pelayanan?', en: 'U3. Completion time: How quickly was the service delivered?' },
      required: true,
      choices: [
        { value: '1', label: { id: '1 Tidak cepat', en: '1 Not fast' } },
        { value: '2', label: { id: '2 Kurang cepat', en: '2 Not very fast' } },
        { value: '3', label: { id: '3 Cepat', en: '3 Fast' } },
        { value: '4', label: { id: '4 Sangat cepat', en: '4 Very fast' } },
      ],
    },
    {
      name: 'u4Biaya',
      type: 'choice',
      label: { id: 'U4. Biaya/tarif: Bagaimana pendapat Saudara tentang kewajaran biaya/tarif dalam pelayanan?', en: 'U4. Cost: How fair was the cost of the service?' },
      required: true,
      choices: [
        { value: '1', label: { id: '1 Sangat mahal', en: '1 Very expensive' } },
        { value: '2', label: { id: '2 Cukup mahal', en: '2 Fairly expensive' } },
        { value: '3', label: { id: '3 Murah', en: '3 Cheap' } },
        { value: '4', label: { id: '4 Gratis', en: '4 Free' } },
      ],
    },
    {
      name: 'u5Produk',
      type: 'choice',
      label: { id: 'U5. Produk spesifikasi jenis pelayanan: Bagaimana pendapat Saudara tentang kesesuaian produk pelayanan antara yang tercantum dalam standar pelayanan dengan hasil yang diberikan?', en: 'U5. Service product: How well did what you received match what the service standard promises?' },
      required: true,
      choices: [
        { value: '1', label: { id: '1 Tidak sesuai', en: '1 Not matching' } },
        { value: '2', label: { id: '2 Kurang sesuai', en: '2 Barely matching' } },
        { value: '3', label: { id: '3 Sesuai', en: '3 Matching' } },
        { value: '4', label: { id: '4 Sangat sesuai', en: '4 Fully matching' } },
      ],
    },
    {
      name: 'u6Kompetensi',
      type: 'choice',
      label: { id: 'U6. Kompetensi pelaksana: Bagaimana pendapat Saudara tentang kompetensi/kemampuan petugas dalam pelayanan?', en: 'U6. Staff competence: How competent were the staff?' },
      required: true,
      choices: [
        { value: '1', label: { id: '1 Tidak kompeten', en: '1 Not competent' } },
        { value: '2', label: { id: '2 Kurang kompeten', en: '2 Barely competent' } },
        { value: '3', label: { id: '3 Kompeten', en: '3 Competent' } },
        { value: '4', label: { id: '4 Sangat kompeten', en: '4 Very competent' } },
      ],
    },
    {
      name: 'u7Perilaku',
      type: 'choice',
      label: { id: 'U7. Perilaku pelaksana: Bagaimana pendapat Saudara tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?', en: 'U7. Staff behaviour: How polite and friendly were the staff?' },
      required: true,
      choices: [
        { value: '1', label: { id: '1 Tidak sopan dan ramah', en: '1 Not polite or friendly' } },
        { value: '2', label: { id: '2 Kurang sopan dan ramah', en: '2 Barely polite or friendly' } },
        { value: '3', label: { id: '3 Sopan dan ramah', en: '3 Polite and friendly' } },
        { value: '4', label: { id: '4 Sangat sopan dan ramah', en: '4 Very polite and friendly' } },
      ],
    },
    {
      name: 'u8Pengaduan',
      type: 'choice',
      label: { id: 'U8. Penanganan pengaduan, saran dan masukan: Bagaimana pendapat Saudara tentang penanganan pengaduan pengguna layanan?', en: 'U8. Handling of complaints and suggestions: How are complaints from service users handled?' },
      required: true,
      choices: [
        { value: '1', label: { id: '1 Tidak ada', en: '1 There is none' } },
        { value: '2', label: { id: '2 Ada tetapi tidak berfungsi', en: '2 Exists but does not work' } },
        { value: '3', label: { id: '3 Berfungsi kurang maksimal', en: '3 Works, but not fully' } },
        { value: '4', label: { id: '4 Dikelola dengan baik', en: '4 Well managed' } },
      ],
    },
    {
      name: 'u9Sarana',
      type: 'choice',
      label: { id: 'U9. Sarana dan prasarana: Bagaimana pendapat Saudara tentang kualitas sarana dan prasarana?', en: 'U9. Facilities: How good are the facilities?' },
      required: true,
      choices: [
        { value: '1', label: { id: '1 Buruk', en: '1 Poor' } },
        { value: '2', label: { id: '2 Cukup', en: '2 Adequate' } },
        { value: '3', label: { id: '3 Baik', en: '3 Good' } },
        { value: '4', label: { id: '4 Sangat baik', en: '4 Very good' } },
      ],
    },
    { name: 'saran', type: 'longtext', label: { id: 'Saran perbaikan', en: 'What should improve' }, maxLength: 2000 },
  ],
};

function v1Field(name: string): FieldDef {
  const field = skmV1.fields.find((f) => f.name === name);
  if (!field) throw new Error(`skm@1 has no field ${name}`);
  return field;
}

/** The field of version 2 that names the rated office; it decides where an answer counts. */
export const SKM_OFFICE_FIELD = 'kantorDinilai';

/**
 * Version 2: the respondent names the KPU office they rate, first, with the service; the profile
 * and the nine elements follow unchanged.
 */
export const skmV2: FormDef = {
  ...skmV1,
  version: 2,
  effectiveDate: '2026-12-01',
  changeNotes: {
    id:
      'Pertanyaan baru di awal: "Kantor KPU yang Anda nilai" (KPU Provinsi atau salah satu dari tujuh KPU ' +
      'kabupaten/kota), wajib diisi. Setiap kantor kini mendapat Indeks Kepuasan Masyarakat (IKM) sendiri.',
    en:
      'A new first question: "The KPU office you rate" (the province\'s KPU or one of the seven regency/city KPUs), ' +
      'required. Each office now gets its own satisfaction index (IKM).',
  },
  nextSteps: {
    id:
      'Jawaban Anda digabung dengan jawaban responden lain menjadi Indeks Kepuasan Masyarakat (IKM) kantor KPU yang ' +
      'Anda nilai. KPU Provinsi mengumumkan hasil setiap kantor paling sedikit sekali setahun dan menindaklanjuti ' +
      'unsur yang nilainya rendah. Survei ini tidak dijawab satu per satu.',
    en:
      'Your answers are combined with those of other respondents into the satisfaction index (IKM) of the KPU office ' +
      'you rated. KPU of the province publishes each office\'s result at least once a year and acts on the elements ' +
      'that score low. Individual answers get no reply.',
  },
  scopeField: SKM_OFFICE_FIELD,
  fields: [
    { name: 'dinilai', type: 'section', label: { id: 'Layanan yang Anda nilai', en: 'The service you rate' } },
    {
      name: SKM_OFFICE_FIELD,
      type: 'choice',
      label: { id: 'Kantor KPU yang Anda nilai', en: 'The KPU office you rate' },
      required: true,
      choices: KPU_OFFICES,
    },
    v1Field('layanan'),
    ...skmV1.fields.filter((f) => f.name !== 'layanan'),
  ],
};
