// Which queued rows the sync engine may send now (its `maySend`).
import { isSealedObject } from '../db/crypto-at-rest.ts';
import type { OutboxRow } from '../db/schema.ts';

let holdOfficerRows = false;

/** Set while a PIN protects this device but no officer is logged in: the queue waits for a login. */
export function holdQueueUntilLogin(on: boolean): void {
  holdOfficerRows = on;
}

/**
 * A row still sealed was read without the device key (the service worker, or a locked page): it
 * waits until the officer unlocks the app.
 */
export function maySendRow(row: OutboxRow): boolean {
  return !holdOfficerRows && !isSealedObject(row.envelope.data);
}
