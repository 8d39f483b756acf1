// Practice mode (latihan) as the page sees it: on or off, read once at start (the screens wait for
// it, so no screen ever shows the other mode's data), and switched from the officer screen. While
// on, the drafts, queue, receipts and files are those of the practice database (src/db/practice.ts).
import { create } from 'zustand';
import { db, selectWorkDb } from '../db/open-db.ts';
import { getMeta, setMeta } from '../db/meta.ts';
import { useSync } from './sync-client.ts';

/** `undefined` until read at start. */
export const usePractice = create<{ on: boolean | undefined }>(() => ({ on: undefined }));

function apply(on: boolean): void {
  selectWorkDb(on);
  usePractice.setState({ on });
}

export async function loadPracticeMode(): Promise<void> {
  apply((await getMeta(db, 'practiceMode')) === true);
}

/** Stored in the home database, so the service worker's sync counts the same queue as the page. */
export async function setPracticeMode(on: boolean): Promise<void> {
  await setMeta(db, 'practiceMode', on);
  apply(on);
  // The queue the connection bar counts has changed; a sync recounts it (and sends what waits).
  useSync.getState().afterQueued();
}
