// Accreditation of election observers and media: the organisation, its members (a repeat group
// with photos), where and when it will observe, and its signed statement. The province accredits
// for the governor race, a regency/city KPU for its own regent or mayor race.
import type { FormDef } from '../definition.ts';
import { PROVINCE_CODE } from '../../regions.ts';

export const akreditasiPemantauV1: FormDef = {
  formId: 'akreditasi-pemantau',
  version: 1,
  formatVersion: 2,
  audience: 'public',
  title: { id: 'Akreditasi Pemantau dan Media', en: 'Observer and media accreditation' },
  summary: {
    id: 'Daftarkan lembaga pemantau atau media beserta anggotanya untuk memantau atau meliput pemilihan.',
    en: 'Register an observer organisation or media outlet and its members to observe or cover the election.',
  },
  nextSteps: {
    id:
      'KPU Provinsi memeriksa permohonan untuk pemilihan gubernur, KPU Kabupaten/Kota untuk pemilihan bupati/wali kota. ' +
      'Berkas diverifikasi, lalu KPU menerbitkan sertifikat akreditasi dan kartu tanda pengenal anggota sebelum masa ' +
      'pemantauan dimulai, sesuai jadwal tahapan yang diumumkan KPU. Hasilnya muncul di "Permohonan saya".',
    en:
      'KPU of the province reviews applications for the governor race, a regency/city KPU for the regent or mayor race. ' +
      'The documents are verified, and KPU issues the accreditation certificate and members’ ID cards before the ' +
      "observation period begins, as KPU's published stage schedule sets. The result appears under \"My requests\".",
  },
  titleField: 'namaOrganisasi',
  fields: [
    { name: 'lembaga', type: 'section', label: { id: 'Profil lembaga', en: 'Organisation' } },
    {
      name: 'jenisPemohon',
      type: 'choice',
      label: { id: 'Mendaftar sebagai', en: 'Applying as' },
      required: true,
      choices: [
        { value: 'pemantau', label: { id: 'Lembaga pemantau', en: 'Observer organisation' } },
        { value: 'media', label: { id: 'Media massa', en: 'News media' } },
      ],
    },
    { name: 'namaOrganisasi', type: 'text', label: { id: 'Nama lembaga/media', en: 'Name of the organisation' }, required: true, minLength: 2, maxLength: 150 },
    {
      name: 'nomorBadanHukum',
      type: 'text',
      label: { id: 'Nomor badan hukum atau pendaftaran', en: 'Registration number' },
      help: { id: 'Akta/SK Kemenkumham untuk pemantau; nomor perusahaan pers untuk media.', en: "The legal entity decree for observers; the press company number for media." },
      required: true,
      maxLength: 100,
    },
    { name: 'alamatOrganisasi', type: 'longtext', label: { id: 'Alamat sekretariat', en: 'Office address' }, required: true, minLength: 10, maxLength: 300 },
    { name: 'penanggungJawab', type: 'text', label: { id: 'Nama penanggung jawab', en: 'Person in charge' }, required: true, minLength: 2, maxLength: 100 },
    { name: 'telepon', type: 'phone', label: { id: 'Nomor HP penanggung jawab', en: "Person in charge's mobile" }, required: true, autocomplete: 'tel' },
    { name: 'email', type: 'email', label: { id: 'Email lembaga', en: 'Organisation email' }, required: true, maxLength: 254, autocomplete: 'email' },
    { name: 'dokumenLembaga', type: 'document', label: { id: 'Dokumen badan hukum/perusahaan pers', en: 'Registration document' }, required: true },
    { name: 'pemantauan', type: 'section', label: { id: 'Cakupan dan jadwal', en: 'Coverage and schedule' } },
    {
      name: 'pemilihan',
      type: 'choice',
      label: { id: 'Pemilihan yang dipantau/diliput', en: 'The race observed or covered' },
      required: true,
      choices: [
        { value: 'gubernur', label: { id: 'Pemilihan gubernur (akreditasi KPU Provinsi)', en: 'Governor race (accredited by the province)' } },
        { value: 'bupati_walikota', label: { id: 'Pemilihan bupati/wali kota (akreditasi KPU Kabupaten/Kota)', en: 'Regent/mayor race (accredited by the regency/city)' } },
      ],
    },
    {
      name: 'wilayahPemantauan',
      type: 'region',
      level: 'regency',
      within: PROVINCE_CODE,
      label: { id: 'Kabupaten/kota yang dipantau', en: 'Regency/city covered' },
      help: { id: 'Untuk pemilihan gubernur, kosongkan bila seluruh provinsi.', en: 'For the governor race, leave empty for the whole province.' },
      requiredIf: { field: 'pemilihan', equals: 'bupati_walikota' },
    },
    { name: 'mulai', type: 'date', label: { id: 'Mulai memantau', en: 'Observation starts' }, required: true, minDate: '2024-01-01' },
    { name: 'selesai', type: 'date', label: { id: 'Selesai memantau', en: 'Observation ends' }, required: true, minDate: '2024-01-01' },
    {
      name: 'anggota',
      type: 'repeat',
      label: { id: 'Anggota yang diakreditasi', en: 'Members to accredit' },
      itemLabel: { id: 'Anggota', en: 'Member' },
      help: { id: 'Setiap anggota mendapat kartu tanda pengenal.', en: 'Each member gets an ID card.' },
      required: true,
      minItems: 1,
      maxItems: 100,
      fields: [
        { name: 'nama', type: 'text', label: { id: 'Nama lengkap', en: 'Full name' }, required: true, minLength: 2, maxLength: 100 },
        { name: 'nik', type: 'nik', label: { id: 'NIK', en: 'NIK' }, required: true },
        { name: 'jabatan', type: 'text', label: { id: 'Jabatan/peran', en: 'Role' }, required: true, maxLength: 60 },
        { name: 'telepon', type: 'phone', label: { id: 'Nomor HP', en: 'Mobile number' } },
        { name: 'pasFoto', type: 'photo', label: { id: 'Pas foto', en: 'Passport photo' }, required: true, accept: ['image/jpeg', 'image/png'], maxBytes: 2 * 1024 * 1024 },
      ],
    },
    {
      name: 'pernyataan',
      type: 'yesno',
      label: {
        id: 'Kami menyatakan bersikap netral, tidak berpihak, menaati kode etik pemantau/jurnalistik, dan bertanggung jawab atas data ini.',
        en: 'We declare that we are neutral, take no side, follow the observer or journalistic code of ethics, and stand by this data.',
      },
      required: true,
      constraints: [{ pattern: 'ya', message: { id: 'Pernyataan harus disetujui untuk diakreditasi.', en: 'The statement must be agreed to be accredited.' } }],
    },
  ],
};
