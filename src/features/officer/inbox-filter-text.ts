// Words of the inbox's filters and search, Indonesian first, kept in the officer chunk.
import { chunkText } from '../../i18n/chunk-text.ts';

const id = {
  search: 'Cari',
  searchHelp: 'Nomor tanda terima, NIK, atau nama pemohon. Setiap pencarian dicatat di log audit (tanpa kata yang dicari).',
  searchInvalid: 'Ketik nomor tanda terima, NIK 16 angka, atau nama (paling sedikit 2 huruf).',
  service: 'Layanan',
  serviceAll: 'Semua layanan',
  region: 'Wilayah',
  regionAll: 'Seluruh wilayah Anda',
  assigned: 'Penugasan',
  assigned_all: 'Semua',
  assigned_me: 'Ditugaskan ke saya',
  assigned_none: 'Belum ditugaskan',
  receivedFrom: 'Diterima sejak',
  receivedTo: 'Diterima sampai',
  rangeReversed: 'Tanggal ini tidak boleh sebelum tanggal “Diterima sejak”.',
  dateInvalid: 'Tanggal tidak dikenal. Pilih dari kalender.',
  clear: 'Hapus saringan',
  refused: 'Saringan ditolak server: {message}',
};

export type InboxFilterKey = keyof typeof id;

const en: Record<InboxFilterKey, string> = {
  search: 'Search',
  searchHelp: 'Receipt number, NIK or the requester’s name. Every search is written to the audit log (without what was searched for).',
  searchInvalid: 'Type a receipt number, a 16-digit NIK or a name (2 letters or more).',
  service: 'Service',
  serviceAll: 'All services',
  region: 'Region',
  regionAll: 'All of your region',
  assigned: 'Assignment',
  assigned_all: 'All',
  assigned_me: 'Assigned to me',
  assigned_none: 'Not assigned',
  receivedFrom: 'Received from',
  receivedTo: 'Received until',
  rangeReversed: 'This date cannot be before “Received from”.',
  dateInvalid: 'Unknown date. Pick one from the calendar.',
  clear: 'Clear filters',
  refused: 'The server refused the filter: {message}',
};

export const useInboxFilterText = chunkText<InboxFilterKey>({ id, en });
