// Coklit (pencocokan dan penelitian) for a regional election: one record per voter, door to door
// by the Pantarlih, often far from signal. The code lists are the Pilkada ones, kept as named
// lists in the definition so a Pemilu form can pick its own.
import type { FormDef } from '../definition.ts';
import { PROVINCE_CODE } from '../../regions.ts';
import { COKLIT_TMS_PILKADA, DISABILITY, MARITAL_STATUS, PROVINCE_BOUNDS, SEX } from './common.ts';

export const coklitPilkadaV1: FormDef = {
  formId: 'coklit-pilkada',
  version: 1,
  formatVersion: 2,
  audience: 'officer',
  title: { id: 'Coklit Pemilih (Pilkada)', en: 'Voter canvass (regional election)' },
  summary: {
    id: 'Catat hasil pencocokan dan penelitian satu pemilih: data, keadaan, dan hasilnya (sesuai, ubah, baru, TMS).',
    en: 'Record the canvass of one voter: data, circumstances, and outcome (matches, changed, new, not eligible).',
  },
  nextSteps: {
    id:
      'Catatan masuk ke PPS desa/kelurahan dan diolah ke daftar pemilih hasil pemutakhiran. Kirim setiap hari bila ada ' +
      'sinyal; catatan tersimpan aman di ponsel sampai terkirim. Perbaikan diminta oleh PPS lewat "perlu perbaikan".',
    en:
      'The record goes to the village committee (PPS) and into the updated voter list. Send daily when there is signal; ' +
      'records stay safe on the phone until sent. The PPS asks for corrections through "needs attention".',
  },
  titleField: 'nama',
  choiceLists: {
    jenisKelamin: SEX,
    statusKawin: MARITAL_STATUS,
    disabilitas: DISABILITY,
    tmsPilkada: COKLIT_TMS_PILKADA,
  },
  fields: [
    { name: 'tempat', type: 'section', label: { id: 'TPS dan alamat', en: 'Polling station and address' } },
    {
      name: 'desa',
      type: 'region',
      level: 'village',
      within: PROVINCE_CODE,
      label: { id: 'Desa/kelurahan', en: 'Village' },
      required: true,
    },
    {
      name: 'tps',
      type: 'text',
      label: { id: 'Nomor TPS', en: 'Polling station number' },
      required: true,
      example: '003',
      constraints: [{ pattern: '\\d{3}', message: { id: 'Tiga angka, contoh 003.', en: 'Three digits, e.g. 003.' } }],
    },
    { name: 'alamat', type: 'text', label: { id: 'Alamat (jalan, dusun)', en: 'Address (street, hamlet)' }, required: true, maxLength: 200 },
    {
      name: 'rt',
      type: 'text',
      label: { id: 'RT', en: 'RT (neighbourhood)' },
      required: true,
      example: '003',
      constraints: [{ pattern: '\\d{1,3}', message: { id: 'RT berupa angka, contoh 003.', en: 'Digits, e.g. 003.' } }],
    },
    {
      name: 'rw',
      type: 'text',
      label: { id: 'RW', en: 'RW (hamlet ward)' },
      example: '001',
      constraints: [{ pattern: '\\d{1,3}', message: { id: 'RW berupa angka, contoh 001.', en: 'Digits, e.g. 001.' } }],
    },
    { name: 'pemilih', type: 'section', label: { id: 'Data pemilih', en: 'The voter' } },
    { name: 'kk', type: 'kk', label: { id: 'Nomor KK', en: 'Family card number' }, required: true },
    { name: 'nik', type: 'nik', label: { id: 'NIK', en: 'NIK' }, required: true },
    { name: 'nama', type: 'text', label: { id: 'Nama', en: 'Name' }, required: true, minLength: 2, maxLength: 100 },
    { name: 'tempatLahir', type: 'text', label: { id: 'Tempat lahir', en: 'Place of birth' }, required: true, maxLength: 60 },
    { name: 'tanggalLahir', type: 'date', label: { id: 'Tanggal lahir', en: 'Date of birth' }, required: true, minDate: '1900-01-01', maxDate: 'today' },
    { name: 'jenisKelamin', type: 'choice', label: { id: 'Jenis kelamin', en: 'Sex' }, required: true, choiceList: 'jenisKelamin' },
    { name: 'statusKawin', type: 'choice', label: { id: 'Status perkawinan', en: 'Marital status' }, required: true, choiceList: 'statusKawin' },
    {
      name: 'disabilitas',
      type: 'multichoice',
      label: { id: 'Jenis disabilitas', en: 'Disability' },
      help: { id: 'Kosongkan bila tidak ada. Boleh lebih dari satu.', en: 'Leave empty if none. More than one allowed.' },
      choiceList: 'disabilitas',
    },
    {
      name: 'ktpEl',
      type: 'choice',
      label: { id: 'Status KTP-el', en: 'e-KTP status' },
      required: true,
      choices: [
        { value: 'ada', label: { id: 'Sudah memiliki KTP-el', en: 'Has an e-KTP' } },
        { value: 'rekam', label: { id: 'Sudah rekam, belum menerima', en: 'Recorded, not yet received' } },
        { value: 'belum', label: { id: 'Belum rekam', en: 'Not recorded' } },
      ],
    },
    { name: 'hasilCoklit', type: 'section', label: { id: 'Hasil coklit', en: 'Outcome' } },
    {
      name: 'hasil',
      type: 'choice',
      label: { id: 'Hasil', en: 'Outcome' },
      required: true,
      choices: [
        { value: 'sesuai', label: { id: 'Sesuai (data benar)', en: 'Matches' } },
        { value: 'ubah', label: { id: 'Ubah (ada data yang diperbaiki)', en: 'Changed (data corrected)' } },
        { value: 'baru', label: { id: 'Pemilih baru', en: 'New voter' } },
        { value: 'tms', label: { id: 'Tidak memenuhi syarat (TMS)', en: 'Not eligible (TMS)' } },
      ],
    },
    {
      name: 'dataDiubah',
      type: 'multichoice',
      label: { id: 'Data yang diubah', en: 'Data changed' },
      showIf: { field: 'hasil', equals: 'ubah' },
      required: true,
      choices: [
        { value: 'nik', label: { id: 'NIK', en: 'NIK' } },
        { value: 'kk', label: { id: 'Nomor KK', en: 'Family card number' } },
        { value: 'nama', label: { id: 'Nama', en: 'Name' } },
        { value: 'lahir', label: { id: 'Tempat/tanggal lahir', en: 'Place/date of birth' } },
        { value: 'jenisKelamin', label: { id: 'Jenis kelamin', en: 'Sex' } },
        { value: 'statusKawin', label: { id: 'Status perkawinan', en: 'Marital status' } },
        { value: 'alamat', label: { id: 'Alamat', en: 'Address' } },
        { value: 'disabilitas', label: { id: 'Disabilitas', en: 'Disability' } },
      ],
    },
    { name: 'alasanTms', type: 'choice', label: { id: 'Alasan TMS', en: 'Reason not eligible' }, showIf: { field: 'hasil', equals: 'tms' }, required: true, choiceList: 'tmsPilkada' },
    {
      name: 'suratDokter',
      type: 'document',
      label: { id: 'Surat keterangan dokter', en: "Doctor's letter" },
      showIf: { field: 'alasanTms', equals: '8' },
      required: true,
    },
    {
      name: 'lokasi',
      type: 'gps',
      label: { id: 'Lokasi rumah', en: 'Location of the house' },
      required: true,
      bounds: PROVINCE_BOUNDS,
    },
    {
      name: 'fotoStiker',
      type: 'photo',
      label: { id: 'Foto stiker coklit di rumah', en: 'Photo of the canvass sticker on the house' },
      required: true,
    },
    { name: 'catatan', type: 'longtext', label: { id: 'Catatan', en: 'Notes' }, maxLength: 1000 },
  ],
};
