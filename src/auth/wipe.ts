// Erasing the officer's data from the phone: after too many wrong PINs (device-key.ts), or when
// the server says the officer's token was revoked. Everything an officer's phone holds of people
// is sealed under the device key, so deleting the wrapped key already makes it unreadable; the
// sealed rows go too, so the space comes back and nothing is left to attack at leisure. The
// practice database goes whole. The device's own identity and the forms stay: the phone stays
// usable for a resident and for a new login.
import { Dexie } from 'dexie';
import { PRACTICE_DB_SUFFIX } from '../db/practice.ts';
import type { JangkauDb } from '../db/schema.ts';
import { setAtRestCodec, setLockedCodec } from '../db/crypto-at-rest.ts';
import { PIN_LOCK_KEY, SESSION_KEY } from './session.ts';

const PIN_TRIES = 'officerPinTries';

export async function wipeOfficerData(db: JangkauDb): Promise<void> {
  setAtRestCodec(undefined);
  setLockedCodec(undefined);
  await db.transaction('rw', [db.meta, db.drafts, db.outbox, db.receipts, db.attachments, db.assignment], async () => {
    // The key first: from here on nothing sealed can be opened, whatever else fails.
    await db.meta.bulkDelete([PIN_LOCK_KEY, SESSION_KEY, PIN_TRIES]);
    await Promise.all([db.drafts.clear(), db.outbox.clear(), db.receipts.clear(), db.attachments.clear(), db.assignment.clear()]);
  });
  await Dexie.delete(db.name + PRACTICE_DB_SUFFIX);
}
