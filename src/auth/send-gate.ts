// Which queued rows may be sent now (src/sync/send-identities.ts asks, for each row).
import { isSealedObject } from '../db/crypto-at-rest.ts';
import type { OutboxRow } from '../db/schema.ts';

let holdOfficerRows = false;

/**
 * Set while a PIN protects this device but no officer is logged in: the officer's rows wait for a
 * login. A resident's rows go on: the PIN an officer left on a shared phone holds nothing of theirs.
 */
export function holdOfficerRowsUntilLogin(on: boolean): void {
  holdOfficerRows = on;
}

/**
 * Whether a queued row may go now; `byOfficer`: it is an officer's form. A row still sealed was read
 * without the device key (the service worker, or a locked page): it waits until the app is unlocked.
 */
export function maySendRow(row: OutboxRow, byOfficer: boolean): boolean {
  if (isSealedObject(row.envelope.data)) return false;
  return !(byOfficer && holdOfficerRows);
}
