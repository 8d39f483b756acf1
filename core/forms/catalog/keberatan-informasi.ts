// Keberatan (objection) to the PPID under UU 14/2008 art. 35: filed when a request was refused,
// not answered, or answered badly; the grounds are the statute's own list.
import type { FormDef } from '../definition.ts';
import { KPU_OFFICES, reporterFields } from './common.ts';

export const keberatanInformasiV1: FormDef = {
  formId: 'keberatan-informasi',
  version: 1,
  formatVersion: 2,
  audience: 'public',
  title: { id: 'Keberatan atas Layanan Informasi Publik', en: 'Objection about a public information request' },
  summary: {
    id: 'Ajukan keberatan bila permohonan informasi Anda ditolak, tidak dijawab, atau dijawab tidak sesuai (UU 14/2008 Pasal 35).',
    en: 'Object when your information request was refused, not answered, or answered wrongly (Law 14/2008 art. 35).',
  },
  nextSteps: {
    id:
      'Keberatan diajukan paling lambat 30 hari kerja setelah alasan keberatan terjadi. Atasan PPID KPU yang Anda tuju ' +
      'memberi tanggapan tertulis paling lambat 30 hari kerja sejak keberatan dicatat; tanggapan muncul di "Permohonan saya". ' +
      'Jika Anda tidak puas, Anda dapat mengajukan sengketa ke Komisi Informasi Provinsi.',
    en:
      'File the objection within 30 working days of what you object to. The superior of the PPID of the KPU you chose ' +
      'answers in writing within 30 working days of recording it; the answer appears under "My requests". If you are ' +
      'not satisfied, you may take the dispute to the Provincial Information Commission.',
  },
  titleField: 'uraianKeberatan',
  sla: { workingDays: 30 },
  fields: [
    { name: 'ditujukanKepada', type: 'choice', label: { id: 'Ditujukan kepada', en: 'Addressed to' }, required: true, choices: KPU_OFFICES },
    {
      name: 'nomorPermohonan',
      type: 'text',
      label: { id: 'Nomor tanda terima permohonan informasi', en: 'Receipt number of the information request' },
      help: {
        id: 'Tertera di "Permohonan saya" pada permohonan yang Anda keberatan. Kosongkan bila permohonan diajukan di luar aplikasi ini.',
        en: 'Shown under "My requests" on the request you object about. Leave empty if it was filed outside this app.',
      },
      maxLength: 40,
      example: '01JD-2K8F-7QW3-X9',
      constraints: [
        {
          pattern: '[0-9A-Za-z][0-9A-Za-z\\-/. ]*',
          message: { id: 'Tulis nomor seperti tertera: huruf, angka, tanda hubung.', en: 'Write the number as shown: letters, digits, dashes.' },
        },
      ],
    },
    ...reporterFields(),
    {
      name: 'alamat',
      type: 'longtext',
      label: { id: 'Alamat', en: 'Address' },
      required: true,
      minLength: 5,
      maxLength: 300,
      autocomplete: 'street-address',
    },
    {
      name: 'alasan',
      type: 'choice',
      label: { id: 'Alasan keberatan', en: 'Grounds of the objection' },
      help: { id: 'Pilih alasan menurut UU 14/2008 Pasal 35 ayat (1).', en: 'Choose the grounds under Law 14/2008 art. 35(1).' },
      required: true,
      choices: [
        { value: 'a', label: { id: 'a. Permohonan ditolak dengan alasan pengecualian (Pasal 17)', en: 'a. Refused on the exemptions of art. 17' } },
        { value: 'b', label: { id: 'b. Informasi berkala tidak disediakan (Pasal 9)', en: 'b. Periodic information not provided (art. 9)' } },
        { value: 'c', label: { id: 'c. Permohonan tidak ditanggapi', en: 'c. The request was not answered' } },
        { value: 'd', label: { id: 'd. Permohonan ditanggapi tidak sebagaimana yang diminta', en: 'd. Answered other than as requested' } },
        { value: 'e', label: { id: 'e. Permohonan tidak dipenuhi', en: 'e. The request was not fulfilled' } },
        { value: 'f', label: { id: 'f. Biaya yang dikenakan tidak wajar', en: 'f. An unreasonable fee was charged' } },
        { value: 'g', label: { id: 'g. Informasi disampaikan melebihi waktu yang diatur', en: 'g. The information came later than the law allows' } },
      ],
    },
    {
      name: 'uraianKeberatan',
      type: 'longtext',
      label: { id: 'Uraian keberatan', en: 'Your objection' },
      help: { id: 'Apa yang terjadi, dan apa yang Anda minta.', en: 'What happened, and what you ask for.' },
      required: true,
      minLength: 10,
      maxLength: 2000,
    },
    {
      name: 'email',
      type: 'email',
      label: { id: 'Email', en: 'Email' },
      help: { id: 'Bila Anda ingin salinan tanggapan lewat email.', en: 'If you want a copy of the answer by email.' },
      maxLength: 254,
      autocomplete: 'email',
    },
  ],
};
