// The sync's side of practice mode (src/db/practice.ts): which queues a sync sends and counts (their
// files too: upload-phase-lazy.ts). A device where practice was never switched on has one queue
// and never opens the practice database. Once it was, both queues are sent on every sync whatever
// the mode, so a practice queue left when the officer switched back still reaches the server (and a
// real one keeps going while practising); the screens count the queue of the mode they show.
import { getMeta } from '../db/meta.ts';
import type { JangkauDb } from '../db/schema.ts';
import type { SyncQueues } from './engine.ts';

export function practiceQueues(home: JangkauDb, practice: () => JangkauDb): () => Promise<SyncQueues> {
  return async () => {
    const mode = await getMeta(home, 'practiceMode');
    if (mode === undefined) return { shown: home, all: [home] };
    const practiceDb = practice();
    return { shown: mode ? practiceDb : home, all: [home, practiceDb] };
  };
}
