// Permohonan Informasi Publik (UU 14/2008): the request a resident files with KPU's PPID.
import type { FormDef } from '../definition.ts';
import { KPU_OFFICES } from './common.ts';

export const ppidPermohonanV1: FormDef = {
  formId: 'ppid-permohonan',
  version: 1,
  audience: 'public',
  title: { id: 'Permohonan Informasi Publik', en: 'Public information request' },
  summary: {
    id: 'Minta informasi publik dari KPU Provinsi atau KPU Kabupaten/Kota (UU 14/2008).',
    en: 'Ask KPU of the province or of a regency for public information (Law 14/2008).',
  },
  nextSteps: {
    id:
      'PPID KPU yang Anda tuju menjawab paling lambat 10 hari kerja sejak permohonan diterima, dan dapat ' +
      'memperpanjang sekali paling lama 7 hari kerja dengan pemberitahuan. Jawaban muncul di "Permohonan saya" ' +
      'setelah ponsel Anda tersambung. Jika ditolak atau tidak dijawab tepat waktu, Anda dapat mengajukan ' +
      'keberatan dalam 30 hari kerja.',
    en:
      'The PPID of the KPU you chose answers within 10 working days of receiving the request, and may extend ' +
      'once by at most 7 working days with notice. The answer appears under "My requests" once your phone is ' +
      'connected. If it is refused or late, you may file an objection within 30 working days.',
  },
  titleField: 'rincianInformasi',
  sla: { workingDays: 10, extensionWorkingDays: 7 },
  fields: [
    {
      name: 'ditujukanKepada',
      type: 'choice',
      label: { id: 'Ditujukan kepada', en: 'Addressed to' },
      required: true,
      choices: KPU_OFFICES,
    },
    {
      name: 'nik',
      type: 'nik',
      label: { id: 'NIK', en: 'NIK (national identity number)' },
      help: { id: '16 angka pada KTP-el atau KK.', en: 'The 16 digits on your e-KTP or family card.' },
      required: true,
    },
    {
      name: 'nama',
      type: 'text',
      label: { id: 'Nama lengkap', en: 'Full name' },
      required: true,
      minLength: 2,
      maxLength: 100,
      autocomplete: 'name',
    },
    {
      name: 'alamat',
      type: 'longtext',
      label: { id: 'Alamat', en: 'Address' },
      help: { id: 'Jalan, RT/RW, desa/kelurahan, kecamatan.', en: 'Street, RT/RW, village, district.' },
      required: true,
      minLength: 5,
      maxLength: 300,
      autocomplete: 'street-address',
    },
    {
      name: 'pekerjaan',
      type: 'text',
      label: { id: 'Pekerjaan', en: 'Occupation' },
      required: true,
      maxLength: 100,
      autocomplete: 'organization-title',
    },
    {
      name: 'telepon',
      type: 'phone',
      label: { id: 'Nomor HP', en: 'Mobile number' },
      help: { id: 'Contoh: 0812 3456 7890.', en: 'For example: 0812 3456 7890.' },
      required: true,
      autocomplete: 'tel',
    },
    {
      name: 'rincianInformasi',
      type: 'longtext',
      label: { id: 'Rincian informasi yang dibutuhkan', en: 'The information you need' },
      required: true,
      minLength: 10,
      maxLength: 2000,
    },
    {
      name: 'tujuanPenggunaan',
      type: 'longtext',
      label: { id: 'Tujuan penggunaan informasi', en: 'What you will use it for' },
      required: true,
      minLength: 5,
      maxLength: 1000,
    },
    {
      name: 'caraMenerima',
      type: 'choice',
      label: { id: 'Cara menerima informasi', en: 'How to receive it' },
      required: true,
      choices: [
        { value: 'salinan', label: { id: 'Salinan tercetak dikirim ke alamat', en: 'Printed copy sent to my address' } },
        { value: 'email', label: { id: 'Salinan lewat email', en: 'Copy by email' } },
        { value: 'ambil', label: { id: 'Mengambil langsung di kantor KPU', en: 'Pick up at the KPU office' } },
      ],
    },
    {
      name: 'email',
      type: 'email',
      label: { id: 'Email', en: 'Email' },
      requiredIf: { field: 'caraMenerima', in: ['email'] },
      maxLength: 254,
      autocomplete: 'email',
    },
  ],
};
