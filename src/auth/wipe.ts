// Erasing the officer's data from the phone: after too many wrong PINs (device-key.ts), or when
// the server says an admin revoked the officer's token or disabled the account (revocation.ts).
// Everything an officer's phone holds of people is sealed under the device key, so deleting the
// wrapped key already makes it unreadable; the sealed rows go too, so the space comes back and
// nothing is left to attack at leisure. The practice database goes whole, with the downloaded voter
// lists, the session (token) and the officer's pull cursor.
//
// A resident's own requests on a shared phone stay: drafts, queued requests, receipts and their
// files of public forms, when they can still be read. With the device key in memory (an unlocked
// phone: a revocation heard through the officer's token) they are opened and kept in the clear, as
// a resident's phone without a PIN keeps them; without it (a wipe after wrong PINs, or a revocation
// heard by a locked phone through its revocation check, src/sync/wipe-signal.ts) what is sealed
// cannot be opened by anyone once the wrapped key is gone, and goes too: a resident's request
// written while the PIN was set (sealed) is lost with the officer's data; one in the clear stays. Officer forms' rows go
// whatever their state: an entry not sent yet is lost by design (docs/security.md). The device's
// own identity, the forms and the QR hand-offs it carries (sealed to the server) stay: the phone
// stays usable for a resident and for a new login.
import { Dexie } from 'dexie';
import { isSealedObject, isSealedText, openStoredFile, requireAtRestCodec, setAtRestCodec, setLockedCodec, storingFiles, type StoredFile } from '../db/crypto-at-rest.ts';
import { getMeta } from '../db/meta.ts';
import { PRACTICE_DB_SUFFIX } from '../db/practice.ts';
import type { AttachmentRow, DraftRow, JangkauDb, OutboxRow, ReceiptRow } from '../db/schema.ts';
import { holdOfficerRowsUntilLogin } from './send-gate.ts';
import { PIN_LOCK_KEY, REVOCATION_CHECK_KEY, SESSION_KEY } from './session.ts';

const PIN_TRIES = 'officerPinTries';
/** The officer identities' pull cursors (src/sync/pull-identities.ts names them `officer:<id>`). */
const OFFICER_CURSOR = /^officer:/;

interface Kept {
  drafts: DraftRow[];
  outbox: OutboxRow[];
  receipts: ReceiptRow[];
  attachments: AttachmentRow[];
}

const readable = (...fields: unknown[]) => fields.every((v) => !isSealedObject(v) && !isSealedText(v));

/** A stored file's bytes in the clear, if they can be opened now (undefined: it had none). */
function openedFile(file: StoredFile | undefined): { ok: boolean; file?: Blob } {
  if (file === undefined) return { ok: true };
  const opened = openStoredFile(file);
  return opened ? { ok: true, file: opened } : { ok: false };
}

/**
 * The resident's rows, read through the at-rest middleware (so opened while the device key is in
 * memory): rows of public forms whose every sealed field opened. A row sealed to the server's key
 * is an officer's entry whatever its form.
 */
async function residentRows(db: JangkauDb): Promise<Kept> {
  const officerForms = new Set((await db.forms.toArray()).filter((f) => f.definition.audience === 'officer').map((f) => f.formId));
  const [drafts, outbox, receipts, attachments] = await Promise.all([db.drafts.toArray(), db.outbox.toArray(), db.receipts.toArray(), db.attachments.toArray()]);
  const kept: Kept = {
    drafts: drafts.filter((d) => !officerForms.has(d.formId) && readable(d.data)),
    outbox: outbox.filter((o) => !officerForms.has(o.envelope.formId) && o.envelope.sealed === undefined && readable(o.envelope.data, o.answers)),
    receipts: receipts.filter((r) => !officerForms.has(r.formId) && readable(r.title, r.answer)),
    attachments: [],
  };
  const ids = new Set([...kept.drafts, ...kept.outbox, ...kept.receipts].map((r) => r.id));
  for (const row of attachments) {
    if (!row.refs.some((id) => ids.has(id))) continue;
    const blob = openedFile(row.blob);
    const thumb = openedFile(row.thumb);
    if (!blob.ok || !thumb.ok) continue;
    const { blob: _b, thumb: _t, ...rest } = row;
    kept.attachments.push({ ...rest, refs: row.refs.filter((id) => ids.has(id)), ...(blob.file ? { blob: blob.file } : {}), ...(thumb.file ? { thumb: thumb.file } : {}) });
  }
  return kept;
}

export async function wipeOfficerData(db: JangkauDb): Promise<void> {
  const kept = await residentRows(db);
  // From here on nothing is sealed or opened: what stays is the resident's, stored as it is.
  setAtRestCodec(undefined);
  setLockedCodec(undefined);
  requireAtRestCodec(false);
  holdOfficerRowsUntilLogin(false);
  // The resident's files go back in the clear: as bytes where the engine refuses a Blob (the whole
  // transaction is made again then).
  const files = kept.attachments.flatMap((a) => [a.blob, a.thumb]).filter((f): f is Blob => f instanceof Blob);
  await storingFiles(files, () => db.transaction('rw', [db.meta, db.drafts, db.outbox, db.receipts, db.attachments, db.assignment], async () => {
    // The key first: from here on nothing sealed can be opened, whatever else fails.
    await db.meta.bulkDelete([PIN_LOCK_KEY, SESSION_KEY, PIN_TRIES, REVOCATION_CHECK_KEY]);
    const cursors = await getMeta(db, 'pullCursors');
    if (cursors) await db.meta.put({ key: 'pullCursors', value: Object.fromEntries(Object.entries(cursors).filter(([key]) => !OFFICER_CURSOR.test(key))) });
    await Promise.all([db.drafts.clear(), db.outbox.clear(), db.receipts.clear(), db.attachments.clear(), db.assignment.clear()]);
    await Promise.all([db.drafts.bulkPut(kept.drafts), db.outbox.bulkPut(kept.outbox), db.receipts.bulkPut(kept.receipts), db.attachments.bulkPut(kept.attachments)]);
  }));
  await Dexie.delete(db.name + PRACTICE_DB_SUFFIX);
}
