// Pindah memilih: a voter already on the final list asks to vote at another polling station (DPTb).
// The last step is in person; the app pre-registers so the officer receives a ready case.
import type { FormDef } from '../definition.ts';
import { PROVINCE_CODE } from '../../regions.ts';
import { reporterFields, SEX } from './common.ts';

export const pindahMemilihV1: FormDef = {
  formId: 'pindah-memilih',
  version: 1,
  formatVersion: 2,
  audience: 'public',
  title: { id: 'Pindah Memilih', en: 'Vote at another polling station' },
  summary: {
    id: 'Daftar awal untuk memilih di TPS lain karena tugas, dirawat, bencana, pindah rumah, atau belajar/bekerja di luar daerah.',
    en: 'Pre-register to vote at another polling station because of duty, hospital, disaster, moving house, or study/work away.',
  },
  nextSteps: {
    id:
      'PPS desa/kelurahan asal memeriksa bahwa Anda terdaftar di DPT dan menyiapkan berkas Anda; jawabannya muncul di ' +
      '"Permohonan saya". Pindah memilih baru sah setelah Anda datang sendiri ke PPS atau KPU membawa KTP-el dan dokumen ' +
      'pendukung, paling lambat 7 hari sebelum hari pemungutan suara (batas dapat berbeda per pemilihan; ikuti pengumuman ' +
      'KPU). Untuk keadaan tak terduga (sakit, bencana, tahanan) batasnya lebih dekat ke hari pemungutan suara.',
    en:
      'The village committee (PPS) where you are listed checks that you are on the final list and prepares your case; the ' +
      'answer appears under "My requests". The move is valid only once you go in person to the PPS or KPU with your e-KTP ' +
      'and supporting document, no later than 7 days before voting day (the deadline may differ per election; follow ' +
      "KPU's notices). For the unforeseen (illness, disaster, detention) the deadline is closer to voting day.",
  },
  titleField: 'nama',
  fields: [
    ...reporterFields(),
    { name: 'tanggalLahir', type: 'date', label: { id: 'Tanggal lahir', en: 'Date of birth' }, required: true, maxDate: 'today', autocomplete: 'bday' },
    { name: 'jenisKelamin', type: 'choice', label: { id: 'Jenis kelamin', en: 'Sex' }, required: true, choices: SEX },
    {
      name: 'desaAsal',
      type: 'region',
      level: 'village',
      within: PROVINCE_CODE,
      label: { id: 'Desa/kelurahan tempat Anda terdaftar', en: 'Village where you are listed' },
      required: true,
    },
    {
      name: 'tpsAsal',
      type: 'text',
      label: { id: 'Nomor TPS asal', en: 'Your current polling station number' },
      required: true,
      example: '003',
      constraints: [{ pattern: '\\d{1,3}', message: { id: 'Nomor TPS berupa angka, contoh 003.', en: 'A polling station number is digits, e.g. 003.' } }],
    },
    {
      name: 'alasan',
      type: 'choice',
      label: { id: 'Alasan pindah memilih', en: 'Reason' },
      required: true,
      choices: [
        { value: 'tugas', label: { id: 'Menjalankan tugas di tempat lain', en: 'On duty elsewhere' } },
        { value: 'rawat_inap', label: { id: 'Dirawat inap di rumah sakit/puskesmas, atau mendampingi', en: 'In hospital, or accompanying a patient' } },
        { value: 'disabilitas_panti', label: { id: 'Penyandang disabilitas di panti sosial/rehabilitasi', en: 'Person with disabilities in a care home' } },
        { value: 'bencana', label: { id: 'Tertimpa bencana alam', en: 'Hit by a natural disaster' } },
        { value: 'tahanan', label: { id: 'Menjalani penahanan atau pidana', en: 'In detention or prison' } },
        { value: 'pindah_domisili', label: { id: 'Pindah domisili', en: 'Moved house' } },
        { value: 'belajar_bekerja', label: { id: 'Belajar atau bekerja di luar daerah', en: 'Studying or working away' } },
      ],
    },
    {
      name: 'dokumen',
      type: 'document',
      label: { id: 'Dokumen pendukung', en: 'Supporting document' },
      help: {
        id: 'Surat tugas, surat keterangan rawat inap, surat keterangan bencana/penahanan, surat pindah, atau kartu pelajar/surat kerja.',
        en: 'A duty letter, hospital letter, disaster or detention letter, moving letter, or student card or work letter.',
      },
      required: true,
    },
    {
      name: 'tujuanLuarProvinsi',
      type: 'yesno',
      label: { id: 'Apakah tujuan di luar Provinsi Kepulauan Bangka Belitung?', en: 'Is the destination outside the Bangka Belitung Islands?' },
      required: true,
    },
    {
      name: 'desaTujuan',
      type: 'region',
      level: 'village',
      within: PROVINCE_CODE,
      label: { id: 'Desa/kelurahan tujuan', en: 'Destination village' },
      showIf: { field: 'tujuanLuarProvinsi', equals: 'tidak' },
      required: true,
    },
    {
      name: 'alamatTujuan',
      type: 'longtext',
      label: { id: 'Alamat tujuan', en: 'Destination address' },
      help: { id: 'Desa/kelurahan, kecamatan, kabupaten/kota, provinsi.', en: 'Village, district, regency/city, province.' },
      showIf: { field: 'tujuanLuarProvinsi', equals: 'ya' },
      required: true,
      minLength: 10,
      maxLength: 300,
    },
  ],
};
