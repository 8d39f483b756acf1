// Survey of a polling station site: where it is, how voters reach it (on the islands often by
// boat), how many it holds, and whether voters with disabilities can get in.
import type { FormDef } from '../definition.ts';
import { PROVINCE_CODE } from '../../regions.ts';
import { PROVINCE_BOUNDS } from './common.ts';

export const surveiTpsV1: FormDef = {
  formId: 'survei-tps',
  version: 1,
  formatVersion: 2,
  audience: 'officer',
  title: { id: 'Survei Lokasi TPS', en: 'Polling station site survey' },
  summary: {
    id: 'Catat lokasi, akses, foto, kapasitas, dan aksesibilitas calon lokasi TPS.',
    en: 'Record the location, access, photo, capacity and accessibility of a polling station site.',
  },
  nextSteps: {
    id:
      'Survei masuk ke PPS dan PPK, lalu ke KPU Kabupaten/Kota yang menetapkan lokasi TPS dan kebutuhan logistiknya ' +
      '(termasuk angkutan perahu). Kirim segera setelah ada sinyal.',
    en:
      'The survey goes to the village and district committees, then to the regency/city KPU, which sets the site and its ' +
      'logistics (boats included). Send it as soon as there is signal.',
  },
  titleField: 'namaTempat',
  fields: [
    { name: 'desa', type: 'region', level: 'village', within: PROVINCE_CODE, label: { id: 'Desa/kelurahan', en: 'Village' }, required: true },
    {
      name: 'tps',
      type: 'text',
      label: { id: 'Nomor TPS', en: 'Polling station number' },
      required: true,
      example: '003',
      constraints: [{ pattern: '\\d{3}', message: { id: 'Tiga angka, contoh 003.', en: 'Three digits, e.g. 003.' } }],
    },
    {
      name: 'namaTempat',
      type: 'text',
      label: { id: 'Nama tempat', en: 'Name of the site' },
      help: { id: 'Contoh: halaman balai desa, SD Negeri 3.', en: 'For example: village hall yard, State Primary School 3.' },
      required: true,
      maxLength: 120,
    },
    { name: 'pulau', type: 'island', within: PROVINCE_CODE, label: { id: 'Pulau', en: 'Island' }, help: { id: 'Bila TPS di pulau kecil berpenghuni.', en: 'If the site is on a small inhabited island.' } },
    { name: 'lokasi', type: 'gps', label: { id: 'Titik lokasi', en: 'Location' }, required: true, bounds: PROVINCE_BOUNDS },
    {
      name: 'akses',
      type: 'multichoice',
      label: { id: 'Akses ke lokasi', en: 'How voters get there' },
      required: true,
      choices: [
        { value: 'jalan', label: { id: 'Jalan (kendaraan)', en: 'Road (vehicle)' } },
        { value: 'jalan_kaki', label: { id: 'Jalan kaki', en: 'On foot' } },
        { value: 'perahu', label: { id: 'Perahu', en: 'Boat' } },
      ],
    },
    {
      name: 'waktuPerahu',
      type: 'number',
      label: { id: 'Lama perjalanan perahu dari desa induk (menit)', en: 'Boat trip from the main village (minutes)' },
      showIf: { field: 'akses', contains: 'perahu' },
      required: true,
      integer: true,
      min: 1,
      max: 1440,
    },
    { name: 'foto', type: 'photo', label: { id: 'Foto lokasi', en: 'Photo of the site' }, required: true },
    {
      name: 'kapasitas',
      type: 'number',
      label: { id: 'Kapasitas pemilih', en: 'Voters it can serve' },
      help: { id: 'Pilkada: paling banyak 600 pemilih per TPS.', en: 'Regional election: at most 600 voters per station.' },
      required: true,
      integer: true,
      min: 1,
      max: 600,
    },
    { name: 'luas', type: 'number', label: { id: 'Luas tempat (m²)', en: 'Area (m²)' }, min: 1, max: 10000 },
    { name: 'aksesDisabilitas', type: 'yesno', label: { id: 'Dapat dimasuki kursi roda tanpa tangga?', en: 'Reachable by wheelchair without steps?' }, required: true },
    {
      name: 'catatanAksesibilitas',
      type: 'longtext',
      label: { id: 'Hambatan bagi pemilih disabilitas dan rencana perbaikannya', en: 'Barriers for voters with disabilities and how to fix them' },
      requiredIf: { field: 'aksesDisabilitas', equals: 'tidak' },
      maxLength: 1000,
    },
    {
      name: 'sinyal',
      type: 'choice',
      label: { id: 'Sinyal seluler di lokasi', en: 'Mobile signal at the site' },
      required: true,
      choices: [
        { value: 'tidak_ada', label: { id: 'Tidak ada', en: 'None' } },
        { value: '2g', label: { id: '2G/EDGE', en: '2G/EDGE' } },
        { value: '3g', label: { id: '3G', en: '3G' } },
        { value: '4g', label: { id: '4G atau lebih', en: '4G or better' } },
      ],
    },
  ],
};
