// The upload phase as the page builds it: the tus client and the phase load only when a sync
// reaches its uploads, which keeps them out of the first-load budget. The service worker's bundle
// is one classic script, where the build inlines this import, so the worker has it at hand.
import type { UploadPhase, UploadPhaseOptions } from './upload-phase.ts';

export function lazyUploadPhase(options: UploadPhaseOptions): UploadPhase {
  return {
    async run(onProgress) {
      const { createUploadPhase } = await import('./upload-phase.ts');
      return createUploadPhase(options).run(onProgress);
    },
  };
}
