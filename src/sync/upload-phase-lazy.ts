// The upload phase as the page builds it: the tus client and the phase load only when a sync
// reaches its uploads, which keeps them out of the first-load budget. The service worker's bundle
// is one classic script, where the build inlines this import, so the worker has it at hand.
import type { SyncQueues } from './engine.ts';
import type { UploadPhase, UploadPhaseOptions } from './upload-phase.ts';

/** The files of each queue the sync sends (the practice one too: src/sync/practice-queues.ts). */
export function lazyUploadPhase(options: Omit<UploadPhaseOptions, 'db'> & { queues: () => Promise<SyncQueues> }): UploadPhase {
  const { queues, ...rest } = options;
  return {
    async run(onProgress) {
      const { createUploadPhase, uploadEachQueue } = await import('./upload-phase.ts');
      return uploadEachQueue((await queues()).all, (db) => createUploadPhase({ ...rest, db }), onProgress);
    },
  };
}
