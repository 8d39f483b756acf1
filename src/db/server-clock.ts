// How far the phone's clock is from the server's: learnt from the `Date` header of the server's
// answers at each sync (meta `serverClockOffset`: the server's time minus the phone's, in ms). The
// form page checks dates against the server's today with it before the answers are sealed: a phone
// whose clock runs a day ahead would otherwise accept tomorrow's date, which the server then
// refuses (`date_future`) once the answers are sealed and gone from the form.
import { todayInWib } from '../../core/forms/context.ts';
import { getMeta, setMeta } from './meta.ts';
import type { JangkauDb } from './schema.ts';

/** A change smaller than this is not written: the header counts whole seconds, a sync takes some. */
const WRITE_STEP_MS = 2_000;
/** The offset last read or written, per database: most answers then cost no IndexedDB request. */
const known = new WeakMap<JangkauDb, number>();

/** The api client's `onServerDate`: keeps the offset of the answer that arrived at `receivedAt`. */
export async function noteServerDate(db: JangkauDb, date: string, receivedAt: number = Date.now()): Promise<void> {
  const at = Date.parse(date);
  if (Number.isNaN(at)) return;
  // The header names the second the answer was made in: its middle. The answer's way here is not
  // counted; both are far below the day a date check needs.
  const offset = at + 500 - receivedAt;
  try {
    const before = known.get(db) ?? (await getMeta(db, 'serverClockOffset'));
    if (before !== undefined) known.set(db, before);
    if (before !== undefined && Math.abs(offset - before) < WRITE_STEP_MS) return;
    await setMeta(db, 'serverClockOffset', offset);
    known.set(db, offset);
  } catch {
    // A full phone: the offset learnt before stays, and the server still checks every date.
  }
}

/**
 * Today in WIB by the server's clock (core/forms/context.ts `today`, as the server computes it), as
 * far as the phone knows it: by its own clock until a first sync.
 */
export async function serverToday(db: JangkauDb, now: number = Date.now()): Promise<string> {
  return todayInWib(now + ((await getMeta(db, 'serverClockOffset')) ?? 0));
}
