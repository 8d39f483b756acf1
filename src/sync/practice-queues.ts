// The sync's side of practice mode (src/db/practice.ts): which queues a sync sends and counts, and
// the upload phase over each of them. A device where practice was never switched on has one queue
// and never opens the practice database. Once it was, both queues are sent on every sync whatever
// the mode, so a practice queue left when the officer switched back still reaches the server (and a
// real one keeps going while practising); the screens count the queue of the mode they show.
import { getMeta } from '../db/meta.ts';
import type { JangkauDb } from '../db/schema.ts';
import type { SyncQueues } from './engine.ts';
import type { UploadPhase, UploadPhaseResult } from './upload-phase.ts';

export function practiceQueues(home: JangkauDb, practice: () => JangkauDb): () => Promise<SyncQueues> {
  return async () => {
    const mode = await getMeta(home, 'practiceMode');
    if (mode === undefined) return { shown: home, all: [home] };
    const practiceDb = practice();
    return { shown: mode ? practiceDb : home, all: [home, practiceDb] };
  };
}

/** One upload phase per queue, run one after the other; a cut link stops the rest until next time. */
export function uploadsOfEachQueue(queues: () => Promise<SyncQueues>, phaseFor: (db: JangkauDb) => UploadPhase): UploadPhase {
  return {
    async run(onProgress) {
      const total: UploadPhaseResult = { kind: 'ok', uploaded: 0, rejected: 0, bytesSent: 0 };
      for (const db of (await queues()).all) {
        const result = await phaseFor(db).run(onProgress);
        total.uploaded += result.uploaded;
        total.rejected += result.rejected;
        total.bytesSent += result.bytesSent;
        if (result.kind === 'offline') return { ...total, kind: 'offline', error: result.error };
      }
      return total;
    },
  };
}
