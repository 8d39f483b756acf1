// The words for what this browser engine lacks (src/lib/engine-features.ts), Indonesian first.
// Beside the request screen (a lazy chunk) rather than in the first-load catalogue.
import { chunkText } from '../../i18n/chunk-text.ts';

const id = {
  queuedOpenAgain:
    'Permohonan Anda sudah tersimpan di ponsel ini. Peramban ini tidak dapat mengirimnya saat Jangkau tertutup: Buka Jangkau lagi saat ada sinyal, permohonan terkirim selama aplikasi terbuka.',
  openAgainPaths: 'Lama tanpa sinyal? Serahkan lewat kode QR ke petugas, atau kirim lewat SMS.',
  homeScreenTitle: 'Tambahkan Jangkau ke Layar Utama',
  homeScreenSteps: 'Ketuk Bagikan, lalu Tambahkan ke Layar Utama, dan buka Jangkau dari ikonnya.',
  homeScreenWhy:
    'Di Layar Utama antrean Anda tersimpan aman. Di Safari biasa, data situs yang tidak dibuka selama 7 hari pemakaian Safari dapat terhapus, termasuk permohonan yang belum terkirim.',
  storageAtRisk:
    'Peramban ini tidak menjamin data Jangkau tetap tersimpan: bila memori ponsel penuh, permohonan yang belum terkirim bisa terhapus. Simpan cadangan agar permohonan tetap aman.',
  storageSaveCopy: 'Simpan cadangan',
  storageUnderstood: 'Mengerti',
};

type Key = keyof typeof id;

const en: Record<Key, string> = {
  queuedOpenAgain:
    'Your request is saved on this phone. This browser cannot send it while Jangkau is closed: open Jangkau again when there is signal; the request is sent while the app is open.',
  openAgainPaths: 'No signal for long? Hand it to an officer by QR code, or send it by SMS.',
  homeScreenTitle: 'Add Jangkau to the Home Screen',
  homeScreenSteps: 'Tap Share, then Add to Home Screen, and open Jangkau from its icon.',
  homeScreenWhy:
    'On the Home Screen your queue is kept safe. In Safari itself, the data of a site not opened during 7 days of Safari use may be cleared, unsent requests included.',
  storageAtRisk:
    'This browser does not promise to keep Jangkau’s data: when the phone’s storage is full, unsent requests may be deleted. Save a safety copy to keep them safe.',
  storageSaveCopy: 'Save a safety copy',
  storageUnderstood: 'Understood',
};

/** Both catalogues, for the tests that read the words. */
export const ENGINE_TEXT = { id, en };

export const useEngineText = chunkText<Key>(ENGINE_TEXT);
