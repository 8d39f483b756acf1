// Pengaduan dan saran about KPU's own service. Reports of election violations belong to Bawaslu;
// the form says so, and still takes them, since turning a resident away helps no one.
import type { FormDef } from '../definition.ts';
import { PROVINCE_CODE } from '../../regions.ts';
import { KPU_OFFICES, reporterFields } from './common.ts';

export const pengaduanV1: FormDef = {
  formId: 'pengaduan',
  version: 1,
  formatVersion: 2,
  audience: 'public',
  title: { id: 'Pengaduan dan Saran', en: 'Complaint or suggestion' },
  summary: {
    id:
      'Sampaikan keluhan atau saran tentang layanan KPU. Laporan dugaan pelanggaran pemilu adalah wewenang Bawaslu; ' +
      'tetap kirim di sini bila perlu, dan KPU meneruskannya ke Bawaslu.',
    en:
      "Tell KPU about a problem with its service, or suggest an improvement. Reports of election violations are Bawaslu's " +
      'to handle; you may still send them here, and KPU passes them on to Bawaslu.',
  },
  nextSteps: {
    id:
      'Pengelola pengaduan di KPU yang Anda tuju mencatat dan menanggapi; tanggapan muncul di "Permohonan saya". ' +
      'Laporan dugaan pelanggaran pemilu diteruskan ke Bawaslu setempat, dan Bawaslu yang memutuskan tindak lanjutnya. ' +
      'Untuk pelanggaran, lapor juga langsung ke Bawaslu agar tenggat pelaporannya tidak terlewat.',
    en:
      'The complaints desk of the KPU you chose records and answers it; the answer appears under "My requests". ' +
      'Reports of election violations are passed on to the local Bawaslu, which decides what follows. For a violation, ' +
      'also report directly to Bawaslu so its reporting deadline is not missed.',
  },
  titleField: 'isi',
  fields: [
    {
      name: 'jenis',
      type: 'choice',
      label: { id: 'Jenis', en: 'Kind' },
      required: true,
      choices: [
        { value: 'pengaduan', label: { id: 'Pengaduan tentang layanan KPU', en: "Complaint about KPU's service" } },
        { value: 'saran', label: { id: 'Saran', en: 'Suggestion' } },
        { value: 'pelanggaran', label: { id: 'Dugaan pelanggaran pemilu (diteruskan ke Bawaslu)', en: 'Suspected election violation (passed to Bawaslu)' } },
      ],
    },
    { name: 'ditujukanKepada', type: 'choice', label: { id: 'Ditujukan kepada', en: 'Addressed to' }, required: true, choices: KPU_OFFICES },
    ...reporterFields(),
    { name: 'email', type: 'email', label: { id: 'Email', en: 'Email' }, maxLength: 254, autocomplete: 'email' },
    {
      name: 'isi',
      type: 'longtext',
      label: { id: 'Isi pengaduan atau saran', en: 'Your complaint or suggestion' },
      help: { id: 'Apa, di mana, kapan, dan siapa yang terlibat.', en: 'What, where, when, and who was involved.' },
      required: true,
      minLength: 10,
      maxLength: 3000,
    },
    {
      name: 'lokasi',
      type: 'region',
      level: 'district',
      within: PROVINCE_CODE,
      label: { id: 'Kecamatan tempat kejadian', en: 'District where it happened' },
      requiredIf: { field: 'jenis', equals: 'pelanggaran' },
    },
    {
      name: 'tanggalKejadian',
      type: 'date',
      label: { id: 'Tanggal kejadian', en: 'Date it happened' },
      maxDate: 'today',
      showIf: { field: 'jenis', in: ['pengaduan', 'pelanggaran'] },
      requiredIf: { field: 'jenis', equals: 'pelanggaran' },
    },
    { name: 'bukti', type: 'photo', label: { id: 'Foto bukti', en: 'Photo of evidence' }, showIf: { field: 'jenis', in: ['pengaduan', 'pelanggaran'] } },
  ],
};
