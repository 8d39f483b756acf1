// Tanggapan masyarakat atas DPS: a resident tells the village committee (PPS) that the provisional
// voter list misses someone, lists someone wrongly, or holds wrong data.
import type { FormDef } from '../definition.ts';
import { PROVINCE_CODE } from '../../regions.ts';
import { reporterFields } from './common.ts';

export const tanggapanDpsV1: FormDef = {
  formId: 'tanggapan-dps',
  version: 1,
  formatVersion: 2,
  audience: 'public',
  title: { id: 'Tanggapan atas Daftar Pemilih Sementara (DPS)', en: 'Response to the provisional voter list (DPS)' },
  summary: {
    id: 'Laporkan pemilih yang belum terdaftar, data yang salah, atau pemilih yang tidak memenuhi syarat di DPS.',
    en: 'Report an eligible voter who is missing, wrong data, or someone listed who is not eligible.',
  },
  nextSteps: {
    id:
      'PPS di desa/kelurahan orang yang bersangkutan memeriksa tanggapan Anda dan menindaklanjutinya sebelum DPS ditetapkan ' +
      'menjadi DPT; hasilnya muncul di "Permohonan saya". Kirim dalam masa tanggapan DPS tahapan yang sedang berjalan ' +
      '(biasanya sekitar 3 minggu sejak DPS diumumkan).',
    en:
      "The village committee (PPS) of the person concerned checks your response and acts on it before the provisional list " +
      'becomes final; the result appears under "My requests". Send it within the response window of the current stage ' +
      '(usually about 3 weeks from the list being published).',
  },
  titleField: 'namaBersangkutan',
  fields: [
    { name: 'pelapor', type: 'section', label: { id: 'Pelapor', en: 'You, the reporter' } },
    ...reporterFields(),
    { name: 'bersangkutan', type: 'section', label: { id: 'Orang yang ditanggapi', en: 'The person concerned' } },
    {
      name: 'jenisTanggapan',
      type: 'choice',
      label: { id: 'Jenis tanggapan', en: 'Kind of response' },
      required: true,
      choices: [
        { value: 'belum_terdaftar', label: { id: 'Memenuhi syarat tetapi belum terdaftar', en: 'Eligible but not listed' } },
        { value: 'data_salah', label: { id: 'Data tidak benar', en: 'Wrong data' } },
        { value: 'meninggal', label: { id: 'Sudah meninggal dunia', en: 'Has died' } },
        { value: 'ganda', label: { id: 'Terdaftar lebih dari sekali', en: 'Listed more than once' } },
        { value: 'belum_cukup_umur', label: { id: 'Belum berumur 17 tahun dan belum pernah kawin', en: 'Under 17 and never married' } },
        { value: 'tni_polri', label: { id: 'Anggota TNI/Polri', en: 'Member of the armed forces or police' } },
        { value: 'pindah', label: { id: 'Sudah pindah domisili', en: 'Has moved away' } },
      ],
    },
    {
      name: 'nikBersangkutan',
      type: 'nik',
      label: { id: 'NIK orang yang ditanggapi', en: 'NIK of the person concerned' },
      help: { id: 'Bila diketahui: dari KTP-el, KK atau DPS.', en: 'If known: from the e-KTP, family card or the list.' },
      requiredIf: { field: 'jenisTanggapan', in: ['belum_terdaftar', 'data_salah'] },
    },
    { name: 'namaBersangkutan', type: 'text', label: { id: 'Nama orang yang ditanggapi', en: 'Name of the person concerned' }, required: true, minLength: 2, maxLength: 100 },
    {
      name: 'wilayah',
      type: 'region',
      level: 'village',
      within: PROVINCE_CODE,
      label: { id: 'Desa/kelurahan tempat terdaftar atau tinggal', en: 'Village where listed or living' },
      required: true,
    },
    {
      name: 'nomorTps',
      type: 'text',
      label: { id: 'Nomor TPS di DPS', en: 'Polling station number on the list' },
      help: { id: 'Bila tercantum, tiga angka.', en: 'If listed, three digits.' },
      example: '003',
      constraints: [{ pattern: '\\d{1,3}', message: { id: 'Nomor TPS berupa angka, contoh 003.', en: 'A polling station number is digits, e.g. 003.' } }],
    },
    {
      name: 'dataBenar',
      type: 'longtext',
      label: { id: 'Data yang benar', en: 'The correct data' },
      help: { id: 'Sebutkan data yang salah dan yang benar, contoh: tanggal lahir 05-01-1990.', en: 'Say what is wrong and what is right, e.g. birth date 05-01-1990.' },
      showIf: { field: 'jenisTanggapan', equals: 'data_salah' },
      required: true,
      minLength: 5,
      maxLength: 1000,
    },
    {
      name: 'bukti',
      type: 'photo',
      label: { id: 'Foto bukti', en: 'Photo of evidence' },
      help: {
        id: 'KTP-el atau KK; untuk yang meninggal, akta atau surat keterangan kematian.',
        en: 'The e-KTP or family card; for a death, the death certificate or letter.',
      },
      required: true,
    },
    { name: 'keterangan', type: 'longtext', label: { id: 'Keterangan lain', en: 'Anything else' }, maxLength: 1000 },
  ],
};
